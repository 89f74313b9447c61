import * as fc from 'fast-check';
import { AddressInterval, AddressSet, Cidr, cutAddressSpace, formatIp, IpBlock } from '../../lib/model';
import { caught } from './caught';

const v4 = (first: string, last: string) => {
  const n = (ip: string) => ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
  return { family: 4 as const, first: n(first), last: n(last) };
};
const cidr = (text: string): AddressInterval => {
  const c = Cidr.parse(text);
  return { family: c.family, first: c.first, last: c.last };
};
const block = (text: string, except: string[] = []) => AddressSet.fromBlock(IpBlock.of(text, except));
const rangeText = (r: AddressInterval) => `${formatIp(r.family, r.first)}-${formatIp(r.family, r.last)}`;

describe('AddressSet', () => {
  test('merges overlapping and touching ranges and keeps the families apart', () => {
    const s = AddressSet.of([
      v4('10.0.1.0', '10.0.1.255'),
      v4('10.0.0.0', '10.0.0.255'),
      v4('10.0.0.128', '10.0.0.200'),
      { family: 6, first: 0n, last: 15n },
    ]);
    expect(s.intervals.map((r) => [r.family, r.first, r.last])).toEqual([
      [4, 0x0a000000n, 0x0a0001ffn],
      [6, 0n, 15n],
    ]);
  });

  test('contains a range only when every address of it is in the set', () => {
    const s = block('10.0.0.0/8', ['10.1.0.0/16']);
    expect(s.contains(cidr('10.0.0.0/16'))).toBe(true);
    expect(s.contains(cidr('10.2.0.0/15'))).toBe(true);
    expect(s.contains(cidr('10.1.2.0/24'))).toBe(false);
    expect(s.contains(cidr('10.0.0.0/15'))).toBe(false);
    expect(s.contains({ family: 6, first: 0n, last: 0n })).toBe(false);
  });

  test('prints a single CIDR as itself', () => {
    expect(block('10.20.0.0/24').toString()).toBe('10.20.0.0/24');
  });

  test('prints a CIDR with a hole as an ipBlock with except', () => {
    expect(block('172.17.0.0/16', ['172.17.1.0/24']).toString()).toBe('172.17.0.0/16 except 172.17.1.0/24');
  });

  test('prints a hole inside a hole as an except and a CIDR of its own', () => {
    const s = block('0.0.0.0/0', ['172.17.0.0/16']).union(block('172.17.1.0/24'));
    expect(s.blocks().map(String)).toEqual(['0.0.0.0/0 except 172.17.0.0/16', '172.17.1.0/24']);
    expect(s.lines()).toEqual(['0.0.0.0/0 except 172.17.0.0/16', '172.17.1.0/24']);
    expect(s.toString()).toBe('0.0.0.0/0 except 172.17.0.0/16; 172.17.1.0/24');
  });

  test('prints the whole space with many holes as one ipBlock', () => {
    const s = block('0.0.0.0/0', ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16']);
    expect(s.lines()).toEqual(['0.0.0.0/0 except 10.0.0.0/8, 100.64.0.0/10, 172.16.0.0/12, 192.168.0.0/16']);
  });

  test('prints whole blocks as CIDRs, apart or joined', () => {
    expect(AddressSet.of([cidr('0.0.0.0/0')]).lines()).toEqual(['0.0.0.0/0']);
    expect(AddressSet.of([cidr('::/0'), cidr('0.0.0.0/0')]).lines()).toEqual(['0.0.0.0/0', '::/0']);
    expect(AddressSet.of([cidr('10.0.0.0/24'), cidr('10.0.2.0/24')]).lines()).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(AddressSet.of([cidr('10.0.0.0/25'), cidr('10.0.0.128/25')]).lines()).toEqual(['10.0.0.0/24']);
  });

  test('prints a range as first-last when it would take more CIDRs than ranges', () => {
    const s = AddressSet.of([v4('0.0.0.0', '9.255.255.255')]);
    expect(s.blocks().map(String)).toEqual(['0.0.0.0/5', '8.0.0.0/7']);
    expect(s.toString()).toBe('0.0.0.0-9.255.255.255');
    expect(AddressSet.of([v4('10.0.0.5', '10.0.0.9')]).lines()).toEqual(['10.0.0.5-10.0.0.9']);
  });

  test('prints both families, IPv4 first', () => {
    expect(block('::/0').union(block('10.0.0.0/24')).lines()).toEqual(['10.0.0.0/24', '::/0']);
  });

  test('says (none) for the empty set', () => {
    expect(AddressSet.empty().toString()).toBe('(none)');
    expect(AddressSet.empty().isEmpty).toBe(true);
  });

  test('equal sets have equal keys however they were built', () => {
    const a = block('10.0.0.0/8', ['10.1.0.0/16']);
    const b = AddressSet.of([v4('10.2.0.0', '10.255.255.255'), v4('10.0.0.0', '10.0.255.255')]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(block('10.0.0.0/8'))).toBe(false);
  });

  test('orders sets by their first address, IPv4 before IPv6', () => {
    const sets = [block('::/0'), block('10.0.0.0/8'), block('9.0.0.0/8')];
    expect(sets.sort(AddressSet.compare).map(String)).toEqual(['9.0.0.0/8', '10.0.0.0/8', '::/0']);
  });

  test('blocks() matches exactly the addresses of the set (random sets)', () => {
    // an oracle: every block's addresses, unioned, must give the set back
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 200; i++) {
      const ranges = Array.from({ length: 1 + rand(4) }, () => {
        const a = BigInt(rand(1 << 16)) << 16n;
        return { family: 4 as const, first: a, last: a + BigInt(rand(1 << 20)) };
      });
      const s = AddressSet.of(ranges);
      const back = s.blocks().reduce((acc, b) => acc.union(AddressSet.fromBlock(b)), AddressSet.empty());
      expect(back.key).toBe(s.key);
    }
  });
});

describe('AddressSet.parse', () => {
  test('an IP, a CIDR, a CIDR with excepts and a range each read as their addresses', () => {
    const show = (t: string) => AddressSet.parse(t).intervals.map(rangeText);
    expect(show('10.1.2.3')).toEqual(['10.1.2.3-10.1.2.3']);
    expect(show('10.0.0.0/8')).toEqual(['10.0.0.0-10.255.255.255']);
    expect(show('172.17.0.0/16 except 172.17.1.0/24')).toEqual(['172.17.0.0-172.17.0.255', '172.17.2.0-172.17.255.255']);
    expect(show('10.0.0.5-10.0.0.9')).toEqual(['10.0.0.5-10.0.0.9']);
    expect(show('2001:db8::/32')).toEqual(['2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff']);
    expect(show('::1-::5')).toEqual(['::1-::5']);
  });

  test('text that does not look like addresses is told apart from text that does', () => {
    expect(AddressSet.looksLikeAddresses('web')).toBe(false);
    expect(AddressSet.looksLikeAddresses('kube-system/kube-dns')).toBe(false);
    expect(AddressSet.looksLikeAddresses('frontend except db')).toBe(false);
    expect(AddressSet.looksLikeAddresses('10.0.0.5/24')).toBe(true);
    expect(AddressSet.looksLikeAddresses('10.0.0.0/16 except db')).toBe(true);
    expect(AddressSet.looksLikeAddresses('fd00::/8')).toBe(true);
  });

  test('throws the CIDR error for addresses the API server would refuse', () => {
    expect(caught(() => AddressSet.parse('10.0.0.5/24')).message).toBe(
      'CIDR "10.0.0.5/24" has bits set beyond its /24 prefix; write the network address "10.0.0.0/24" (or "10.0.0.5/32" for the single address)',
    );
    expect(caught(() => AddressSet.parse('10.0.0.0/16 except 10.1.0.0/24')).message).toBe(
      'except[0]: except "10.1.0.0/24" must be strictly within the cidr "10.0.0.0/16"; remove it or use a smaller range inside the cidr',
    );
    expect(caught(() => AddressSet.parse('10.0.0.9-10.0.0.5')).message).toBe(
      '"10.0.0.9-10.0.0.5" is not an address range; write first-last with the lower address first, both of one family',
    );
  });

  test('throws for text that is not addresses at all', () => {
    expect(caught(() => AddressSet.parse('web')).message).toBe(
      '"web" is not a set of addresses; write an IP ("10.1.2.3"), a CIDR ("10.0.0.0/8"), a CIDR with excepts ("10.0.0.0/8 except 10.1.0.0/16") or a range ("10.0.0.5-10.0.0.9")',
    );
  });

  test('every printed entry reads back, and together they are exactly the set printed', () => {
    let excepts = 0;
    // Blocks packed into 10.0.0.0/16, so that they touch, overlap and leave holes; and blocks
    // with a few smaller blocks taken out, the sets that print with except.
    const aligned = fc
      .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 18, max: 30 }))
      .map(([offset, prefix]): AddressInterval => {
        const host = BigInt(32 - prefix);
        const first = ((0x0a000000n + BigInt(offset)) >> host) << host;
        return { family: 4, first, last: first + (1n << host) - 1n };
      });
    const holed = fc
      .tuple(
        aligned,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 2, max: 5 })), { minLength: 1, maxLength: 2 }),
      )
      .map(([b, holes]) => {
        let parts: AddressInterval[] = [b];
        for (const [at, deeper] of holes) {
          const size = (b.last - b.first + 1n) >> BigInt(deeper);
          if (size === 0n) continue;
          const first = b.first + (BigInt(Math.floor(at * 2 ** deeper)) % (1n << BigInt(deeper))) * size;
          parts = parts
            .flatMap((r): AddressInterval[] => [
              ...(r.first < first ? [{ family: 4 as const, first: r.first, last: first - 1n < r.last ? first - 1n : r.last }] : []),
              ...(r.last > first + size - 1n
                ? [{ family: 4 as const, first: first + size > r.first ? first + size : r.first, last: r.last }]
                : []),
            ])
            .filter((r) => r.first <= r.last);
        }
        return parts;
      });
    fc.assert(
      fc.property(fc.oneof(fc.array(aligned, { minLength: 1, maxLength: 8 }), holed), (ranges) => {
        const set = AddressSet.of(ranges);
        const printed = set.lines();
        excepts += printed.filter((t) => t.includes('except')).length;
        const back = printed.reduce((acc, t) => acc.union(AddressSet.parse(t)), AddressSet.empty());
        expect(back.intervals.map(rangeText)).toEqual(set.intervals.map(rangeText));
      }),
      { numRuns: 300 },
    );
    expect(excepts).toBeGreaterThan(30);
  });
});

describe('cutAddressSpace', () => {
  test('cuts the address space at the ends of every range', () => {
    expect(cutAddressSpace([cidr('10.0.0.0/8'), cidr('10.1.0.0/16')]).map(rangeText)).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.0.255.255',
      '10.1.0.0-10.1.255.255',
      '10.2.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  test('leaves each family one piece without ranges of it', () => {
    expect(cutAddressSpace([]).map(rangeText)).toEqual(['0.0.0.0-255.255.255.255', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
  });
});
