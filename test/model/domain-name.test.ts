import * as fc from 'fast-check';
import { DOMAIN_NAME_PATTERN, DomainName } from '../../lib/model';
import { issuesOf } from './caught';

describe('DomainName.of', () => {
  test.each([
    'kubernetes.io',
    'api.stripe.com',
    '*.stripe.com',
    'a.b.c.example.com',
    'Example.COM',
    'kubernetes.io.',
    '_dmarc.example.com',
    'x--y.example.com',
  ])('accepts %s', (name) => {
    expect(DomainName.of(name).toString()).toBe(name);
  });

  test('accepts what the API pattern accepts through its [a-zA-z0-9] class, as the API server does', () => {
    expect(DomainName.of('^odd.example.com').text).toBe('^odd.example.com');
  });

  test.each([
    ['', 'domain name "" is invalid: a domain name cannot be empty; e.g. "api.example.com", or "*.example.com" for its subdomains'],
    [
      'localhost',
      'domain name "localhost" is invalid: a domain name needs at least two labels separated by "." (e.g. "api.example.com", or "*.example.com" for its subdomains)',
    ],
    [
      'https://api.stripe.com',
      'domain name "https://api.stripe.com" is invalid: write the host name only, without scheme, port or path (e.g. "api.example.com", or "*.example.com" for its subdomains)',
    ],
    [
      'api.stripe.com:443',
      'domain name "api.stripe.com:443" is invalid: write the host name only, without scheme, port or path (e.g. "api.example.com", or "*.example.com" for its subdomains)',
    ],
    [
      'api.*.com',
      'domain name "api.*.com" is invalid: "*" may only be the whole first label, followed by "." ("*.example.com"); it matches one or more whole labels, never part of one',
    ],
    [
      '*stripe.com',
      'domain name "*stripe.com" is invalid: "*" may only be the whole first label, followed by "." ("*.example.com"); it matches one or more whole labels, never part of one',
    ],
    [
      'api..stripe.com',
      'domain name "api..stripe.com" is invalid: a domain name cannot have an empty label (two dots in a row, or a leading dot)',
    ],
    [
      '-api.stripe.com',
      'domain name "-api.stripe.com" is invalid: each label must consist of letters, digits, \'-\' and \'_\', and start and end with a letter or digit (e.g. "api.example.com", or "*.example.com" for its subdomains)',
    ],
  ])('throws for %j, saying why', (name, message) => {
    expect(issuesOf(() => DomainName.of(name))).toEqual([{ code: 'domain.invalid', path: '', message }]);
  });

  test.each([
    ['a.b', true],
    ['*.a.b', true],
    ['a.b.', true],
    ['a-b.c-d', true],
    ['[.b', true],
    ['a.[', true],
    ['*.a', false],
    ['*', false],
    ['a', false],
    ['a_.b', false],
    ['*.*.a.b', false],
    ['a.b..', false],
  ])('%j is %s for the model and for the CRD pattern alike', (text, valid) => {
    expect(new RegExp(DOMAIN_NAME_PATTERN).test(text)).toBe(valid);
    let ok = true;
    try {
      DomainName.of(text);
    } catch {
      ok = false;
    }
    expect(ok).toBe(valid);
  });
});

describe('DomainName.matches', () => {
  test('an exact name matches only itself, whatever the letter case and trailing dot', () => {
    const d = DomainName.of('kubernetes.io');
    expect(d.matches('kubernetes.io')).toBe(true);
    expect(d.matches('Kubernetes.IO.')).toBe(true);
    for (const other of ['www.kubernetes.io', 'blog.kubernetes.io', 'my-kubernetes.io', 'wikipedia.org'])
      expect(d.matches(other)).toBe(false);
  });

  test('a subdomain names only itself', () => {
    const d = DomainName.of('blog.kubernetes.io');
    expect(d.matches('blog.kubernetes.io')).toBe(true);
    expect(d.matches('www.kubernetes.io')).toBe(false);
    expect(d.matches('kubernetes.io')).toBe(false);
  });

  test('*. matches one or more whole labels before the base, never the base itself', () => {
    const d = DomainName.of('*.kubernetes.io');
    expect(d.matches('www.kubernetes.io')).toBe(true);
    expect(d.matches('blog.kubernetes.io')).toBe(true);
    expect(d.matches('latest.blog.kubernetes.io')).toBe(true);
    expect(d.matches('kubernetes.io')).toBe(false);
    expect(d.matches('wikipedia.org')).toBe(false);
    expect(d.matches('mykubernetes.io')).toBe(false);
  });

  test('overlaps is true exactly when some name matches both', () => {
    const o = (a: string, b: string) => DomainName.of(a).overlaps(DomainName.of(b));
    expect(o('api.stripe.com', 'API.stripe.com.')).toBe(true);
    expect(o('api.stripe.com', 'stripe.com')).toBe(false);
    expect(o('*.stripe.com', 'api.stripe.com')).toBe(true);
    expect(o('api.stripe.com', '*.stripe.com')).toBe(true);
    expect(o('*.stripe.com', 'stripe.com')).toBe(false);
    expect(o('*.stripe.com', '*.api.stripe.com')).toBe(true);
    expect(o('*.stripe.com', '*.example.com')).toBe(false);
  });

  test('overlaps agrees with a search over every host of up to four labels', () => {
    const label = fc.constantFrom('a', 'b', 'c');
    const name = fc
      .tuple(fc.boolean(), fc.array(label, { minLength: 2, maxLength: 3 }))
      .map(([w, ls]) => `${w ? '*.' : ''}${ls.join('.')}`);
    const hosts: string[] = [];
    const grow = (prefix: string[]) => {
      if (prefix.length >= 2) hosts.push(prefix.join('.'));
      if (prefix.length < 4) for (const l of ['a', 'b', 'c', 'x']) grow([l, ...prefix]);
    };
    grow([]);
    fc.assert(
      fc.property(name, name, (x, y) => {
        const a = DomainName.of(x);
        const b = DomainName.of(y);
        expect(a.overlaps(b)).toBe(hosts.some((h) => a.matches(h) && b.matches(h)));
      }),
      { numRuns: 500 },
    );
  });

  test('key and compare order names by their canonical form', () => {
    const names = ['b.example.com', '*.Example.com', 'A.example.com'].map((n) => DomainName.of(n));
    expect(names.sort(DomainName.compare).map((d) => d.key)).toEqual(['*.example.com', 'a.example.com', 'b.example.com']);
    expect(DomainName.of('A.example.com.').isSameName(DomainName.of('a.example.com'))).toBe(true);
  });
});
