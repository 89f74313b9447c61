import { AddressSet } from '../../../lib/model/address-set';
import { IpBlock } from '../../../lib/model/cidr';

const v4 = (first: string, last: string) => {
  const n = (ip: string) => ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
  return { family: 4 as const, first: n(first), last: n(last) };
};
const block = (cidr: string, except: string[] = []) => AddressSet.fromBlock(IpBlock.of(cidr, except));

describe('AddressSet', () => {
  test('merges overlapping and touching ranges and keeps the families apart', () => {
    const s = AddressSet.of([v4('10.0.1.0', '10.0.1.255'), v4('10.0.0.0', '10.0.0.255'), v4('10.0.0.128', '10.0.0.200'), { family: 6, first: 0n, last: 15n }]);
    expect(s.intervals.map((r) => [r.family, r.first, r.last])).toEqual([[4, 0x0a000000n, 0x0a0001ffn], [6, 0n, 15n]]);
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

  test('prints a range as first-last when it would take more CIDRs than ranges', () => {
    const s = AddressSet.of([v4('0.0.0.0', '9.255.255.255')]);
    expect(s.blocks().map(String)).toEqual(['0.0.0.0/5', '8.0.0.0/7']);
    expect(s.toString()).toBe('0.0.0.0-9.255.255.255');
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
