import * as fc from 'fast-check';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelKeyErrors, labelValueErrors, portNameErrors, toDnsLabel } from '../../lib/model';

const LABEL_REGEX =
  "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";
const SUBDOMAIN_REGEX =
  "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
const NAME_PART_REGEX =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
const VALUE_REGEX =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')";

describe('dns1123LabelErrors', () => {
  test.each(['a', 'web', 'my-name', '123-abc', '0', 'a'.repeat(63)])('accepts %p', (v) => {
    expect(dns1123LabelErrors(v)).toEqual([]);
  });

  test.each(['', 'Web', '-web', 'web-', 'my.name', 'my_name', 'wéb'])('reports the character rule for %p', (v) => {
    expect(dns1123LabelErrors(v)).toEqual([LABEL_REGEX]);
  });

  test('reports a label of 64 characters as too long', () => {
    expect(dns1123LabelErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  test('reports both the length and the characters when both are wrong', () => {
    expect(dns1123LabelErrors('A'.repeat(64))).toEqual(['must be no more than 63 characters', LABEL_REGEX]);
  });
});

describe('dns1123SubdomainErrors', () => {
  test.each(['web', 'example.com', 'a.b.c', '1.2.3', `${'a'.repeat(63)}.${'b'.repeat(63)}`, 'a'.repeat(253)])('accepts %p', (v) => {
    expect(dns1123SubdomainErrors(v)).toEqual([]);
  });

  test.each(['', 'Example.com', '.web', 'web.', 'a..b', 'a_b', '-a.b', 'a.-b'])('reports the character rule for %p', (v) => {
    expect(dns1123SubdomainErrors(v)).toEqual([SUBDOMAIN_REGEX]);
  });

  test('reports a subdomain of 254 characters as too long', () => {
    expect(dns1123SubdomainErrors('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
  });
});

describe('labelKeyErrors', () => {
  test.each([
    'app',
    'App',
    'my.name',
    'my_name',
    '123-abc',
    'example.com/MyName',
    'kubernetes.io/metadata.name',
    'a'.repeat(63),
    `${'p'.repeat(253)}/n`,
  ])('accepts %p', (k) => {
    expect(labelKeyErrors(k)).toEqual([]);
  });

  test('reports an empty key as an empty name part', () => {
    expect(labelKeyErrors('')).toEqual(['name part must be non-empty']);
  });

  test('reports an empty prefix', () => {
    expect(labelKeyErrors('/app')).toEqual(['prefix part must be non-empty']);
  });

  test('reports an empty name after a prefix', () => {
    expect(labelKeyErrors('example.com/')).toEqual(['name part must be non-empty']);
  });

  test('reports an upper-case prefix with the subdomain rule', () => {
    expect(labelKeyErrors('Example.com/app')).toEqual([`prefix part ${SUBDOMAIN_REGEX}`]);
  });

  test('reports a prefix longer than 253 characters', () => {
    expect(labelKeyErrors(`${'p'.repeat(254)}/app`)).toEqual(['prefix part must be no more than 253 characters']);
  });

  test('reports a name part of 64 characters as too long', () => {
    expect(labelKeyErrors('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
  });

  test.each(['-app', 'app-', '_app', 'app.', 'my app', 'app=web', 'wéb'])('reports the character rule for the name %p', (k) => {
    expect(labelKeyErrors(k)).toEqual([NAME_PART_REGEX]);
  });

  test('reports prefix and name problems together', () => {
    expect(labelKeyErrors('Bad_Prefix/-name')).toEqual([`prefix part ${SUBDOMAIN_REGEX}`, NAME_PART_REGEX]);
  });

  test('reports a key with two slashes as not a qualified name', () => {
    expect(labelKeyErrors('a/b/c')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });
});

describe('labelValueErrors', () => {
  test.each(['', 'web', 'MyValue', 'my_value', '12345', 'v1.2-rc_3', 'a'.repeat(63)])('accepts %p', (v) => {
    expect(labelValueErrors(v)).toEqual([]);
  });

  test.each(['-web', 'web-', '_x', 'x.', 'a b', 'a/b', 'a=b'])('reports the character rule for %p', (v) => {
    expect(labelValueErrors(v)).toEqual([VALUE_REGEX]);
  });

  test('reports a value of 64 characters as too long', () => {
    expect(labelValueErrors('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });
});

describe('portNameErrors', () => {
  test.each(['http', 'h2c', 'web-8080', 'a', '1a', 'a1', 'a-b-c', 'abcdefghijklmno'])('accepts %p', (n) => {
    expect(portNameErrors(n)).toEqual([]);
  });

  test('reports a name of 16 characters as too long', () => {
    expect(portNameErrors('abcdefghijklmnop')).toEqual(['must be no more than 15 characters']);
  });

  test('reports an empty name by its characters, not its length', () => {
    expect(portNameErrors('')).toEqual([
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ]);
  });

  test('reports upper case and other characters', () => {
    expect(portNameErrors('HTTP')).toEqual([
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ]);
    expect(portNameErrors('my_port')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  });

  test('reports consecutive hyphens', () => {
    expect(portNameErrors('a--b')).toEqual(['must not contain consecutive hyphens']);
  });

  test('reports a name without a letter', () => {
    expect(portNameErrors('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(portNameErrors('80-80')).toEqual(['must contain at least one letter (a-z)']);
  });

  test('reports a leading or trailing hyphen', () => {
    expect(portNameErrors('-http')).toEqual(['must not begin or end with a hyphen']);
    expect(portNameErrors('http-')).toEqual(['must not begin or end with a hyphen']);
  });
});

describe('toDnsLabel', () => {
  test.each([
    ['WebTier', 'web-tier'],
    ['web', 'web'],
    ['myAPIServer', 'my-apiserver'],
    ['db2Primary', 'db2-primary'],
    ['my_app.v2', 'my-app-v2'],
    ['  Spaced   Out  ', 'spaced-out'],
    ['--edge--', 'edge'],
    ['a//b', 'a-b'],
    ['Café', 'caf'],
  ])('turns %p into %p', (input, expected) => {
    expect(toDnsLabel(input)).toBe(expected);
  });

  test('returns undefined when nothing usable is left', () => {
    expect(toDnsLabel('')).toBeUndefined();
    expect(toDnsLabel('---')).toBeUndefined();
    expect(toDnsLabel('!!!')).toBeUndefined();
  });

  test('cuts at 63 characters and drops a hyphen left at the end', () => {
    expect(toDnsLabel('a'.repeat(70))).toBe('a'.repeat(63));
    expect(toDnsLabel(`${'a'.repeat(62)}-bc`)).toBe('a'.repeat(62));
  });

  test('always returns a valid DNS-1123 label or undefined', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        const label = toDnsLabel(s);
        if (label !== undefined) expect(dns1123LabelErrors(label)).toEqual([]);
      }),
    );
  });

  test('leaves a valid DNS-1123 label unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/), (label) => {
        fc.pre(!label.includes('--'));
        expect(toDnsLabel(label)).toBe(label);
      }),
    );
  });
});
