import { ConnectionSet } from '../../lib/model/connection-set';
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
