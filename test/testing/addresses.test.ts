import * as fc from 'fast-check';
import { AddressRange } from '../../lib/analysis/address-range';
import { Cidr } from '../../lib/model';
import { cutAddressSpace, formatAddressSet, mergeRanges, parseAddressSet } from '../../lib/testing/private/addresses';
import { caught } from '../model/caught';

const v4 = (text: string) => {
  const c = Cidr.parse(text);
  return new AddressRange(c.family, c.first, c.last);
};

describe('address sets in flow statements', () => {
  test('an IP, a CIDR, a CIDR with excepts and a range each read as their addresses', () => {
    const show = (t: string) => parseAddressSet(t)!.map((r) => r.toRangeString());
    expect(show('10.1.2.3')).toEqual(['10.1.2.3-10.1.2.3']);
    expect(show('10.0.0.0/8')).toEqual(['10.0.0.0-10.255.255.255']);
    expect(show('172.17.0.0/16 except 172.17.1.0/24')).toEqual(['172.17.0.0-172.17.0.255', '172.17.2.0-172.17.255.255']);
    expect(show('10.0.0.5-10.0.0.9')).toEqual(['10.0.0.5-10.0.0.9']);
    expect(show('2001:db8::/32')).toEqual(['2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff']);
  });

  test('text that does not look like addresses is not read', () => {
    expect(parseAddressSet('web')).toBeUndefined();
    expect(parseAddressSet('kube-system/kube-dns')).toBeUndefined();
    expect(parseAddressSet('frontend except db')).toBeUndefined();
  });

  test('throws the CIDR error for addresses the API server would refuse', () => {
    expect(caught(() => parseAddressSet('10.0.0.5/24')).message).toBe('CIDR "10.0.0.5/24" has bits set beyond its /24 prefix; write the network address "10.0.0.0/24" (or "10.0.0.5/32" for the single address)');
    expect(caught(() => parseAddressSet('10.0.0.0/16 except 10.1.0.0/24')).message).toBe('except[0]: except "10.1.0.0/24" must be strictly within the cidr "10.0.0.0/16"; remove it or use a smaller range inside the cidr');
    expect(caught(() => parseAddressSet('10.0.0.9-10.0.0.5')).message).toBe('"10.0.0.9-10.0.0.5" is not an address range; write first-last with the lower address first, both of one family');
  });

  test('prints whole blocks as CIDRs and a block with a few holes with except', () => {
    expect(formatAddressSet([AddressRange.whole(4)])).toEqual(['0.0.0.0/0']);
    expect(formatAddressSet([AddressRange.whole(6), AddressRange.whole(4)])).toEqual(['0.0.0.0/0', '::/0']);
    expect(formatAddressSet(parseAddressSet('172.17.0.0/16 except 172.17.1.0/24')!)).toEqual(['172.17.0.0/16 except 172.17.1.0/24']);
    expect(formatAddressSet([v4('10.0.0.0/24'), v4('10.0.2.0/24')])).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(formatAddressSet([v4('10.0.0.0/25'), v4('10.0.0.128/25')])).toEqual(['10.0.0.0/24']);
    expect(formatAddressSet(parseAddressSet('10.0.0.5-10.0.0.9')!)).toEqual(['10.0.0.5-10.0.0.9']);
  });

  test('cuts the address space at the ends of every range', () => {
    expect(cutAddressSpace([v4('10.0.0.0/8')], [v4('10.1.0.0/16')]).map(String)).toEqual([
      '0.0.0.0-9.255.255.255', '10.0.0.0/16', '10.1.0.0/16', '10.2.0.0-10.255.255.255', '11.0.0.0-255.255.255.255', '::/0',
    ]);
  });

  test('every printed entry reads back, and together they are exactly the set printed', () => {
    let excepts = 0;
    // Blocks packed into 10.0.0.0/16, so that they touch, overlap and leave holes; and blocks
    // with a few smaller blocks taken out, the sets that print with except.
    const block = fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 18, max: 30 })).map(([offset, prefix]) => {
      const host = BigInt(32 - prefix);
      const first = ((0x0a000000n + BigInt(offset)) >> host) << host;
      return new AddressRange(4, first, first + (1n << host) - 1n);
    });
    const holed = fc.tuple(block, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 2, max: 5 })), { minLength: 1, maxLength: 2 })).map(([b, holes]) => {
      let parts = [b];
      for (const [at, deeper] of holes) {
        const size = (b.last - b.first + 1n) >> BigInt(deeper);
        if (size === 0n) continue;
        const first = b.first + (BigInt(Math.floor(at * 2 ** deeper)) % (1n << BigInt(deeper))) * size;
        parts = parts.flatMap((r) => [
          ...(r.first < first ? [new AddressRange(4, r.first, first - 1n < r.last ? first - 1n : r.last)] : []),
          ...(r.last > first + size - 1n ? [new AddressRange(4, first + size > r.first ? first + size : r.first, r.last)] : []),
        ]).filter((r) => r.first <= r.last);
      }
      return parts;
    });
    fc.assert(fc.property(fc.oneof(fc.array(block, { minLength: 1, maxLength: 8 }), holed), (blocks) => {
      const printed = formatAddressSet(blocks);
      excepts += printed.filter((t) => t.includes('except')).length;
      const back = mergeRanges(printed.flatMap((t) => parseAddressSet(t)!));
      expect(back.map((r) => r.toRangeString())).toEqual(mergeRanges(blocks).map((r) => r.toRangeString()));
    }), { numRuns: 300 });
    expect(excepts).toBeGreaterThan(30);
  });
});
