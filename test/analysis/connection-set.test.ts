import { AddressRange, ConnectionSet, findRange, parseProbes, partitionAddressSpace, probeText } from '../../lib/analysis';
import { IpBlock, parseIp } from '../../lib/model/cidr';
import { Protocol } from '../../lib/model/port';

describe('ConnectionSet', () => {
  const tcp = (a: number, b = a) => ConnectionSet.range(Protocol.TCP, a, b);

  test('union merges overlapping and adjacent ranges per protocol', () => {
    expect(tcp(1, 52).union(tcp(54, 100)).union(tcp(53)).toString()).toBe('TCP 1-100');
    expect(tcp(80).union(ConnectionSet.port(Protocol.UDP, 53)).toString()).toBe('TCP 80,UDP 53');
  });

  test('intersection keeps what both sets allow', () => {
    expect(tcp(1, 100).intersect(tcp(50, 200)).toString()).toBe('TCP 50-100');
    expect(tcp(80).intersect(ConnectionSet.port(Protocol.UDP, 80)).isEmpty).toBe(true);
    expect(ConnectionSet.all().intersect(tcp(5432)).toString()).toBe('TCP 5432');
  });

  test('subtract removes ports', () => {
    expect(ConnectionSet.protocol(Protocol.TCP).subtract(tcp(53)).toString()).toBe('TCP 1-52,54-65535');
    expect(ConnectionSet.all().subtract(ConnectionSet.protocol(Protocol.UDP)).toString()).toBe('SCTP 1-65535,TCP 1-65535');
  });

  test('All Connections means every port of TCP, UDP and SCTP, however it was built', () => {
    const built = ConnectionSet.fromRanges({
      TCP: [[1, 65535]],
      UDP: [
        [1, 30000],
        [30001, 65535],
      ],
      SCTP: [[1, 65535]],
    });
    expect(built.isAll).toBe(true);
    expect(built.toString()).toBe('All Connections');
    expect(built.equals(ConnectionSet.all())).toBe(true);
    expect(ConnectionSet.protocol(Protocol.TCP).union(ConnectionSet.protocol(Protocol.UDP)).toString()).toBe('TCP 1-65535,UDP 1-65535');
  });

  test('prints protocols in string order: SCTP, TCP, UDP', () => {
    expect(
      ConnectionSet.fromRanges({
        UDP: [[53, 53]],
        SCTP: [
          [9090, 9090],
          [8956, 8956],
        ],
        TCP: [[80, 81]],
      }).toString(),
    ).toBe('SCTP 8956,9090,TCP 80-81,UDP 53');
  });

  test('an empty set prints No Connections and contains nothing', () => {
    expect(ConnectionSet.none().toString()).toBe('No Connections');
    expect(ConnectionSet.none().contains(80)).toBe(false);
  });

  test('contains finds a port in any range of its protocol', () => {
    const s = ConnectionSet.fromRanges({
      TCP: [
        [1, 10],
        [20, 30],
        [40, 50],
      ],
    });
    expect([5, 15, 20, 30, 45, 51].map((p) => s.contains(p, Protocol.TCP))).toEqual([true, false, true, true, true, false]);
    expect(s.contains(5, Protocol.UDP)).toBe(false);
  });

  test('the JSON form lists the ranges of non-empty protocols', () => {
    expect(JSON.stringify(tcp(80).union(ConnectionSet.range(Protocol.UDP, 1000, 2000)))).toBe('{"TCP":[[80,80]],"UDP":[[1000,2000]]}');
  });

  test('throws on a port out of range or an empty range', () => {
    expect(() => ConnectionSet.range(Protocol.TCP, 0, 10)).toThrow('port 0 is out of range; a port number is an integer from 1 to 65535');
    expect(() => ConnectionSet.range(Protocol.TCP, 10, 5)).toThrow('port range 10-5 is empty; the last port must not be below the first');
  });
});

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

describe('probes', () => {
  test('parses port/protocol lists, TCP by default, protocol in any case, dropping repeats', () => {
    expect(parseProbes('80/TCP, 81,53/udp,80/tcp,2905/SCTP').map(probeText)).toEqual(['80/TCP', '81/TCP', '53/UDP', '2905/SCTP']);
  });

  test('throws on bad entries, one issue each', () => {
    expect(() => parseProbes('http,0/TCP,80/ICMP')).toThrow(
      [
        '"http" is not a probe; write port/protocol, e.g. "80/TCP" or "53/UDP"',
        'port 0 in "0/TCP" is out of range; a port number is an integer from 1 to 65535',
        'protocol "ICMP" in "80/ICMP" is not supported; use TCP, UDP or SCTP',
      ].join('\n'),
    );
  });
});
