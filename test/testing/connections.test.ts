import { ConnectionSet } from '../../lib/analysis/connection-set';
import { Port, Protocol } from '../../lib/model';
import { connectionsOfPort, formatConnections, parseConnections } from '../../lib/testing/private/connections';
import { caught } from '../model/caught';

describe('connections in flow statements', () => {
  test('reads protocols with ports and ranges, in any order and spacing', () => {
    expect(parseConnections('TCP 80,443').toString()).toBe('TCP 80,443');
    expect(parseConnections('UDP 53, TCP 53').toString()).toBe('TCP 53,UDP 53');
    expect(parseConnections('tcp 5978, 32000-32768').toString()).toBe('TCP 5978,32000-32768');
    expect(parseConnections('TCP 80, TCP 81').equals(parseConnections('TCP 80-81'))).toBe(true);
  });

  test('a protocol without ports, or with *, is every port of it; All is everything', () => {
    expect(parseConnections(Protocol.UDP).equals(ConnectionSet.protocol(Protocol.UDP))).toBe(true);
    expect(parseConnections('SCTP *, TCP 80').toString()).toBe('SCTP 1-65535,TCP 80');
    expect(parseConnections('All').isAll).toBe(true);
    expect(parseConnections('All Connections').isAll).toBe(true);
  });

  test('throws saying what is wrong', () => {
    expect(caught(() => parseConnections('80 TCP')).message).toBe(
      '"80 TCP" is not a list of connections: "80" comes before any protocol; start with TCP, UDP or SCTP, e.g. "TCP 80"',
    );
    expect(caught(() => parseConnections('TCP 0')).message).toBe(
      '"TCP 0" is not a list of connections: port 0 is out of range; a port number is an integer from 1 to 65535',
    );
    expect(caught(() => parseConnections('TCP 90-80')).message).toBe(
      '"TCP 90-80" is not a list of connections: the range 90-80 is empty; write the lower port first',
    );
    expect(caught(() => parseConnections('TCP http')).message).toBe(
      '"TCP http" is not a list of connections: "http" is neither a protocol nor a port; write ports as numbers or ranges, e.g. "TCP 80,443" or "TCP 32000-32768"',
    );
  });

  test('prints All, or each protocol with merged ranges in the order TCP, UDP, SCTP', () => {
    expect(formatConnections(ConnectionSet.all())).toBe('All');
    expect(formatConnections(parseConnections('UDP 53, TCP 53'))).toBe('TCP 53, UDP 53');
    expect(formatConnections(parseConnections('TCP 80,81,82,443'))).toBe('TCP 80-82,443');
    expect(formatConnections(parseConnections('TCP, UDP 53'))).toBe('TCP *, UDP 53');
    expect(formatConnections(ConnectionSet.none())).toBe('nothing');
  });

  test('the port of a query is a number, port/protocol text, a range or a Port', () => {
    expect(connectionsOfPort(5432).toString()).toBe('TCP 5432');
    expect(connectionsOfPort('5432').toString()).toBe('TCP 5432');
    expect(connectionsOfPort('53/udp').toString()).toBe('UDP 53');
    expect(connectionsOfPort('32000-32768/TCP').toString()).toBe('TCP 32000-32768');
    expect(connectionsOfPort(Port.sctp(9)).toString()).toBe('SCTP 9');
    expect(connectionsOfPort(Port.tcpRange(80, 81)).toString()).toBe('TCP 80-81');
    expect(connectionsOfPort(Port.allUdp()).toString()).toBe('UDP 1-65535');
  });

  test('throws for a named port or a port that is not one', () => {
    expect(caught(() => connectionsOfPort(Port.named('http'))).message).toBe(
      'port: the named port "TCP http" depends on the destination pod\'s container ports, which flow assertions do not know; give the port number',
    );
    expect(caught(() => connectionsOfPort('http')).message).toBe(
      'port: port "http" is not a port; write 5432, "5432/TCP", "53/UDP", "32000-32768/TCP" or Port.tcp(5432)',
    );
    expect(caught(() => connectionsOfPort(70000)).message).toBe(
      'port: port 70000 is out of range; a port number is an integer from 1 to 65535',
    );
    expect(caught(() => connectionsOfPort('53/ICMP')).message).toBe(
      'port: port "53/ICMP" is not a port; write 5432, "5432/TCP", "53/UDP", "32000-32768/TCP" or Port.tcp(5432)',
    );
  });
});
