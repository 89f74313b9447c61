import { Protocol } from '../../lib/model/port';
import { ConnectionSet } from '../../lib/model/connection-set';
import { Port } from '../../lib/model';
import { Reach } from '../../lib/model/reach';
import { connectionsOfPort, formatConnections, formatReach, parseConnections } from '../../lib/testing/private/connections';
import { caught } from '../model/caught';

describe('connections in flow statements', () => {
  test('reads protocols with ports and ranges, in any order and spacing', () => {
    expect(parseConnections('TCP 80,443').toString()).toBe('TCP 80,443');
    expect(parseConnections('UDP 53, TCP 53').toString()).toBe('TCP 53,UDP 53');
    expect(parseConnections('tcp 5978, 32000-32768').toString()).toBe('TCP 5978,32000-32768');
    expect(parseConnections('TCP 80, TCP 81').equals(parseConnections('TCP 80-81'))).toBe(true);
  });

  test('a protocol without ports, or with *, is every port of it; All is everything', () => {
    expect(parseConnections('UDP').equals(Reach.of(ConnectionSet.protocol(Protocol.UDP)))).toBe(true);
    expect(parseConnections('SCTP *, TCP 80').toString()).toBe('SCTP 1-65535,TCP 80');
    expect(parseConnections('All').allowed.isAll).toBe(true);
    expect(parseConnections('All Connections').allowed.isAll).toBe(true);
  });

  test('a container port name is the port the destination names so, whichever number it is', () => {
    expect(parseConnections('TCP metrics').equals(Reach.named({ name: 'metrics', protocol: Protocol.TCP }))).toBe(true);
    expect(parseConnections('TCP 443,metrics, UDP dns').toString()).toBe('TCP 443; TCP metrics; UDP dns');
    expect(parseConnections('TCP metrics(8000-8999)').toString()).toBe('TCP metrics in 8000-8999');
    expect(parseConnections('TCP http=web').depends[0].portNames.map((n) => n.name)).toEqual(['http', 'web']);
  });

  test('a condition after "if" makes the connections depend on it', () => {
    const r = parseConnections('TCP 8080 if source IP in 10.0.0.0/8 and destination namespace matches team=a');
    expect(r.allowed.isEmpty).toBe(true);
    expect(r.toString()).toBe('TCP 8080 if source IP in 10.0.0.0/8 and destination namespace matches team=a');
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
    expect(caught(() => parseConnections('TCP Http!')).message).toBe(
      '"TCP Http!" is not a list of connections: "Http!" is neither a protocol, a port nor a container port name; write ports as numbers or ranges ("TCP 80,443", "TCP 32000-32768") or a port name ("TCP metrics")',
    );
    expect(caught(() => parseConnections('TCP 80 if source is nice')).message).toBe(
      '"TCP 80 if source is nice" is not a list of connections: "source is nice" is not a condition; write "source IP in 10.0.0.0/8" or "destination namespace matches team=a", joined by "and"',
    );
  });

  test('prints All, or each protocol with merged ranges in the order TCP, UDP, SCTP', () => {
    expect(formatConnections(ConnectionSet.all())).toBe('All');
    expect(formatConnections(parseConnections('UDP 53, TCP 53').allowed)).toBe('TCP 53, UDP 53');
    expect(formatConnections(parseConnections('TCP 80,81,82,443').allowed)).toBe('TCP 80-82,443');
    expect(formatConnections(parseConnections('TCP, UDP 53').allowed)).toBe('TCP *, UDP 53');
    expect(formatConnections(ConnectionSet.none())).toBe('nothing');
  });

  test('prints a three-valued set as statements that read back to it: names beside numbers, one per condition', () => {
    const r = parseConnections('TCP 443,metrics, UDP 53').union(parseConnections('TCP 8080 if source IP in 10.0.0.0/8'));
    expect(formatReach(r)).toEqual(['TCP 443,metrics, UDP 53', 'TCP 8080 if source IP in 10.0.0.0/8']);
    expect(
      formatReach(r)
        .map(parseConnections)
        .reduce((a, b) => a.union(b))
        .equals(r),
    ).toBe(true);
    expect(formatReach(parseConnections('TCP metrics(8000-8999)'))).toEqual(['TCP metrics(8000-8999)']);
    expect(formatReach(Reach.none())).toEqual([]);
  });

  test('the port of a query is a number, port/protocol text, a range or a Port, a named one included', () => {
    expect(connectionsOfPort(5432).toString()).toBe('TCP 5432');
    expect(connectionsOfPort('5432').toString()).toBe('TCP 5432');
    expect(connectionsOfPort('53/udp').toString()).toBe('UDP 53');
    expect(connectionsOfPort('32000-32768/TCP').toString()).toBe('TCP 32000-32768');
    expect(connectionsOfPort(Port.sctp(9)).toString()).toBe('SCTP 9');
    expect(connectionsOfPort(Port.tcpRange(80, 81)).toString()).toBe('TCP 80-81');
    expect(connectionsOfPort(Port.allUdp()).toString()).toBe('UDP 1-65535');
    expect(connectionsOfPort(Port.named('http')).toString()).toBe('TCP http');
  });

  test('throws for a port that is not one', () => {
    expect(caught(() => connectionsOfPort('http')).message).toBe(
      `port: port "http" is not a port; write 5432, "5432/TCP", "53/UDP", "32000-32768/TCP", Port.tcp(5432) or Port.named('metrics')`,
    );
    expect(caught(() => connectionsOfPort(70000)).message).toBe(
      'port: port 70000 is out of range; a port number is an integer from 1 to 65535',
    );
    expect(caught(() => connectionsOfPort('53/ICMP')).message).toBe(
      `port: port "53/ICMP" is not a port; write 5432, "5432/TCP", "53/UDP", "32000-32768/TCP", Port.tcp(5432) or Port.named('metrics')`,
    );
  });
});
