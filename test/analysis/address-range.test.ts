import { findRange, partitionAddressSpace } from '../../lib/analysis/address-range';
import { AddressRange } from '../../lib/model/address-range';
import { IpBlock, parseIp } from '../../lib/model/cidr';

describe('AddressRange and the address partition', () => {
  test('prints a CIDR when the range is one, else first-last', () => {
    expect(new AddressRange(4, 0x0a000000n, 0x0affffffn).toString()).toBe('10.0.0.0/8');
    expect(new AddressRange(4, 0x0a000000n, 0x0a0affffn).toString()).toBe('10.0.0.0-10.10.255.255');
    expect(new AddressRange(4, 0x31320000n, 0x31320000n).toRangeString()).toBe('49.50.0.0-49.50.0.0');
    expect(AddressRange.whole(6).toString()).toBe('::/0');
  });

  test('cuts the space at the start and end of every block minus its excepts, never merging neighbours', () => {
    const p = partitionAddressSpace([IpBlock.of('10.0.0.0/8', ['10.10.0.0/16']), IpBlock.of('10.0.0.0/9')]);
    expect(p.map((r) => r.toRangeString())).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.9.255.255',
      '10.10.0.0-10.10.255.255',
      '10.11.0.0-10.127.255.255',
      '10.128.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  test('finds the range of an address of either family', () => {
    const p = partitionAddressSpace([IpBlock.of('10.0.0.0/8'), IpBlock.of('2001:db8::/32')]);
    expect(p[findRange(p, parseIp('10.1.2.3'))].toString()).toBe('10.0.0.0/8');
    expect(p[findRange(p, parseIp('2001:db8::1'))].toString()).toBe('2001:db8::/32');
    expect(p[findRange(p, parseIp('255.255.255.255'))].toString()).toBe('11.0.0.0-255.255.255.255');
  });

  test('a range is inside a block when the block minus its excepts covers all of it', () => {
    const block = IpBlock.of('10.0.0.0/8', ['10.10.0.0/16']);
    expect(new AddressRange(4, 0x0a000000n, 0x0a09ffffn).isInside(block)).toBe(true);
    expect(new AddressRange(4, 0x0a0a0000n, 0x0a0affffn).isInside(block)).toBe(false);
  });
});
