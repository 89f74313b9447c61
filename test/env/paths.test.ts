import fc from 'fast-check';
import { formatPath, parsePath, withValueAt } from '../../lib/env/private/paths';
import { closest } from '../../lib/env/private/suggest';

describe('key paths', () => {
  test('formatPath writes plain keys dotted, indexes in brackets and other keys quoted', () => {
    expect(formatPath(['databases', 'orders', 'cidrs', 0])).toBe('databases.orders.cidrs[0]');
    expect(formatPath(['dns', 'pods', 'dns.operator.openshift.io/daemonset-dns'])).toBe(
      'dns.pods["dns.operator.openshift.io/daemonset-dns"]',
    );
    expect(formatPath([])).toBe('');
  });

  test('parsePath reads what formatPath writes', () => {
    const segment = fc.oneof(fc.nat({ max: 1000 }), fc.string({ minLength: 1, maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        expect(parsePath(formatPath(segments))).toEqual(segments);
      }),
    );
  });

  test.each(['', 'a..b', 'a.', '.a', 'a[x]', 'a[0]b', 'a b'])('throws on %j, which is not a key path', (text) => {
    expect(() => parsePath(text)).toThrow(
      `"${text}" is not a key path; write it as dotted keys with [n] for list entries, e.g. "databases.orders.cidrs" or "cidrs.corporate"`,
    );
  });

  test('withValueAt sets a value without changing the original, creating mappings and lists', () => {
    const base = { name: 'prod', databases: { orders: { port: 5432 } } };
    const out = withValueAt(base, ['databases', 'orders', 'cidrs', 0], '10.0.0.0/24');
    expect(out).toEqual({ name: 'prod', databases: { orders: { port: 5432, cidrs: ['10.0.0.0/24'] } } });
    expect(base).toEqual({ name: 'prod', databases: { orders: { port: 5432 } } });
  });

  test('withValueAt throws for a list index past the end, which would leave empty entries', () => {
    expect(() => withValueAt({ cidrs: ['10.0.0.0/8'] }, ['cidrs', 2], '10.1.0.0/16')).toThrow(
      'list index [2] is past the end of the list, which has 1 entry; use [1] to add an entry, or a lower index to replace one',
    );
  });
});

describe('closest', () => {
  test('suggests a key within a small edit distance, a swap, or a case difference', () => {
    expect(closest('prots', ['port', 'ports', 'protocol'])).toBe('ports');
    expect(closest('databses', ['name', 'databases'])).toBe('databases');
    expect(closest('Cidrs', ['cidrs', 'cidr'])).toBe('cidrs');
    expect(closest('porst', ['ports'])).toBe('ports');
  });

  test('suggests nothing when no candidate is close', () => {
    expect(closest('networks', ['name', 'dns', 'cidrs', 'databases', 'extras'])).toBeUndefined();
    expect(closest('abc', ['xyz'])).toBeUndefined();
  });
});
