import * as fc from 'fast-check';
import { isProtocol, Port, Protocol, PROTOCOLS } from '../../lib/model';
import { issuesOf } from './caught';

const outOfRange = (what: string, n: number) => `${what} ${n} is out of range; a port number is an integer from 1 to 65535`;

describe('Port factories', () => {
  test.each([
    [Port.tcp(5432), 'TCP', 5432, undefined, 'TCP 5432'],
    [Port.udp(53), 'UDP', 53, undefined, 'UDP 53'],
    [Port.sctp(9899), 'SCTP', 9899, undefined, 'SCTP 9899'],
    [Port.tcpRange(32000, 32768), 'TCP', 32000, 32768, 'TCP 32000-32768'],
    [Port.udpRange(1, 65535), 'UDP', 1, 65535, 'UDP 1-65535'],
    [Port.sctpRange(5000, 5001), 'SCTP', 5000, 5001, 'SCTP 5000-5001'],
    [Port.allTcp(), 'TCP', undefined, undefined, 'TCP *'],
    [Port.allUdp(), 'UDP', undefined, undefined, 'UDP *'],
    [Port.allSctp(), 'SCTP', undefined, undefined, 'SCTP *'],
    [Port.named('http'), 'TCP', 'http', undefined, 'TCP http'],
    [Port.named('dns', Protocol.UDP), Protocol.UDP, 'dns', undefined, 'UDP dns'],
  ])('%s has protocol, port and endPort as given', (port, protocol, number, endPort, text) => {
    expect([port.protocol, port.port, port.endPort]).toEqual([protocol, number, endPort]);
    expect(port.toString()).toBe(text);
  });

  test('the DNS ports are UDP 53 and TCP 53', () => {
    expect(Port.DNS_UDP.toString()).toBe('UDP 53');
    expect(Port.DNS_TCP.toString()).toBe('TCP 53');
  });

  test('a range of one port is the port itself', () => {
    const p = Port.tcpRange(80, 80);
    expect(p.endPort).toBeUndefined();
    expect(p.toString()).toBe('TCP 80');
    expect(p.isEqualTo(Port.tcp(80))).toBe(true);
  });

  test('portNumber and portName split the port by kind', () => {
    expect([Port.tcp(80).portNumber, Port.tcp(80).portName]).toEqual([80, undefined]);
    expect([Port.tcpRange(8000, 8080).portNumber, Port.tcpRange(8000, 8080).endPort]).toEqual([8000, 8080]);
    expect([Port.named('http').portNumber, Port.named('http').portName]).toEqual([undefined, 'http']);
    expect([Port.allUdp().portNumber, Port.allUdp().portName]).toEqual([undefined, undefined]);
  });

  test('isNamed is true only for a port name', () => {
    expect(Port.named('http').isNamed).toBe(true);
    expect(Port.tcp(80).isNamed).toBe(false);
    expect(Port.allTcp().isNamed).toBe(false);
  });

  test('isPort recognises ports and nothing else', () => {
    expect(Port.isPort(Port.tcp(1))).toBe(true);
    expect(Port.isPort({ protocol: 'TCP', port: 1 })).toBe(false);
    expect(Port.isPort(undefined)).toBe(false);
  });

  test('equals, kept for TypeScript, answers as isEqualTo', () => {
    expect(Port.tcp(80).equals(Port.of(Protocol.TCP, 80))).toBe(true);
    expect(Port.tcp(80).equals(Port.udp(80))).toBe(false);
  });

  test('isEqualTo compares protocol, port and endPort', () => {
    expect(Port.tcp(80).isEqualTo(Port.of(Protocol.TCP, 80))).toBe(true);
    expect(Port.tcp(80).isEqualTo(Port.udp(80))).toBe(false);
    expect(Port.tcpRange(80, 81).isEqualTo(Port.tcp(80))).toBe(false);
    expect(Port.named('http').isEqualTo(Port.named('http', Protocol.UDP))).toBe(false);
  });
});

describe('Port.of validation', () => {
  test.each([1, 80, 65535])('accepts the port number %p', (n) => {
    expect(Port.of(Protocol.TCP, n).port).toBe(n);
  });

  test.each([0, 65536, -1, 80.5, Number.NaN, Number.POSITIVE_INFINITY])('throws for the port number %p', (n) => {
    expect(issuesOf(() => Port.of(Protocol.TCP, n))).toEqual([{ code: 'port.range', path: 'port', message: outOfRange('port', n) }]);
  });

  test('throws for port 0 with the path in the message', () => {
    expect(() => Port.tcp(0)).toThrow(new Error('port: port 0 is out of range; a port number is an integer from 1 to 65535'));
  });

  test.each([0, 65536, 100.5])('throws for the endPort %p', (n) => {
    expect(issuesOf(() => Port.of(Protocol.TCP, 80, n))).toEqual([
      { code: 'port.range', path: 'endPort', message: outOfRange('endPort', n) },
    ]);
  });

  test('throws for an endPort below the port', () => {
    expect(issuesOf(() => Port.tcpRange(80, 79))).toEqual([
      {
        code: 'port.endport-order',
        path: 'endPort',
        message: 'endPort 79 is below port 80; endPort must be greater than or equal to port',
      },
    ]);
  });

  test('throws for an endPort with a named port', () => {
    expect(issuesOf(() => Port.of(Protocol.TCP, 'http', 90))).toEqual([
      {
        code: 'port.endport-without-port',
        path: 'endPort',
        message: 'endPort 90 cannot be used with the named port "http"; give a numeric port to start the range',
      },
    ]);
  });

  test('throws for an endPort without a port', () => {
    expect(issuesOf(() => Port.of(Protocol.UDP, undefined, 90))).toEqual([
      {
        code: 'port.endport-without-port',
        path: 'endPort',
        message: 'endPort 90 needs a numeric port to start the range',
      },
    ]);
  });

  test('throws for a quoted number, telling to drop the quotes', () => {
    expect(issuesOf(() => Port.named('8080'))).toEqual([
      {
        code: 'port.name',
        path: 'port',
        message: 'port name "8080" is all digits; a quoted number is read as a port name, so write the number 8080 without quotes',
      },
    ]);
    expect(() => Port.of(Protocol.TCP, '080')).toThrow(
      new Error('port: port name "080" is all digits; a quoted number is read as a port name, so write the number 80 without quotes'),
    );
  });

  test('throws for a quoted number that is no valid port without suggesting it', () => {
    expect(issuesOf(() => Port.of(Protocol.TCP, '0'))).toEqual([
      { code: 'port.name', path: 'port', message: 'port name "0" is invalid: must contain at least one letter (a-z)' },
    ]);
    expect(issuesOf(() => Port.of(Protocol.TCP, '70000'))).toEqual([
      { code: 'port.name', path: 'port', message: 'port name "70000" is invalid: must contain at least one letter (a-z)' },
    ]);
  });

  test.each([
    ['HTTP', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-); must contain at least one letter (a-z)'],
    ['http_alt', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ['web--api', 'must not contain consecutive hyphens'],
    ['-http', 'must not begin or end with a hyphen'],
    ['http-', 'must not begin or end with a hyphen'],
    ['a-very-long-name', 'must be no more than 15 characters'],
    ['80-tcp-', 'must not begin or end with a hyphen'],
    ['', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-); must contain at least one letter (a-z)'],
  ])('throws for the port name %p', (name, why) => {
    expect(issuesOf(() => Port.named(name))).toEqual([
      { code: 'port.name', path: 'port', message: `port name "${name}" is invalid: ${why}` },
    ]);
  });

  test.each(['http', 'h2c', 'metrics-9090', 'abcdefghijklmno', '8080-tcp'])('accepts the port name %p', (name) => {
    expect(Port.named(name).port).toBe(name);
  });

  test.each(['tcp', 'Tcp', 'udp', 'ICMP', ''])('throws for the protocol %p, which is case-sensitive', (protocol) => {
    expect(issuesOf(() => Port.of(protocol as Protocol, 80))).toEqual([
      {
        code: 'port.protocol',
        path: 'protocol',
        message: `protocol "${protocol}" is not supported; use "TCP", "UDP" or "SCTP" (upper case)`,
      },
    ]);
  });

  test('throws every issue at once', () => {
    expect(issuesOf(() => Port.of('tcp' as Protocol, 0, 70000)).map((i) => `${i.path}: ${i.code}`)).toEqual([
      'protocol: port.protocol',
      'port: port.range',
      'endPort: port.range',
    ]);
  });
});

describe('protocols', () => {
  test('PROTOCOLS lists TCP, UDP, SCTP in print order', () => {
    expect(PROTOCOLS).toEqual(['TCP', 'UDP', 'SCTP']);
  });

  test('isProtocol accepts only the upper-case names', () => {
    expect(PROTOCOLS.every(isProtocol)).toBe(true);
    expect(isProtocol('tcp')).toBe(false);
    expect(isProtocol('ICMP')).toBe(false);
    expect(isProtocol(6)).toBe(false);
  });
});

describe('Port.compare', () => {
  test('orders by protocol, then every-port, numbers ascending, ranges by end, then names', () => {
    const ports = [
      Port.named('web'),
      Port.udp(53),
      Port.tcpRange(80, 90),
      Port.named('api'),
      Port.tcp(443),
      Port.allSctp(),
      Port.tcp(80),
      Port.allTcp(),
      Port.tcpRange(80, 85),
      Port.sctp(1),
    ];
    expect([...ports].sort(Port.compare).map(String)).toEqual([
      'TCP *',
      'TCP 80',
      'TCP 80-85',
      'TCP 80-90',
      'TCP 443',
      'TCP api',
      'TCP web',
      'UDP 53',
      'SCTP *',
      'SCTP 1',
    ]);
  });

  const anyPort: fc.Arbitrary<Port> = fc.oneof(
    fc.tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 1, max: 20 })).map(([p, n]) => Port.of(p, n)),
    fc
      .tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 5 }))
      .map(([p, n, w]) => Port.of(p, n, n + w)),
    fc.tuple(fc.constantFrom(...PROTOCOLS), fc.constantFrom('http', 'https', 'dns', 'metrics')).map(([p, n]) => Port.of(p, n)),
    fc.constantFrom(...PROTOCOLS).map((p) => Port.of(p)),
  );

  test('is a total order that agrees with equals', () => {
    fc.assert(
      fc.property(anyPort, anyPort, anyPort, (a, b, c) => {
        expect(Port.compare(a, a)).toBe(0);
        expect(Math.sign(Port.compare(a, b)) + Math.sign(Port.compare(b, a)) === 0).toBe(true);
        expect(Port.compare(a, b) === 0).toBe(a.isEqualTo(b));
        if (Port.compare(a, b) <= 0 && Port.compare(b, c) <= 0) expect(Port.compare(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  test('sorting any list twice, or a shuffled copy, gives the same order', () => {
    fc.assert(
      fc.property(
        fc.array(anyPort, { maxLength: 12 }).chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length }))),
        ([ps, shuffled]) => {
          const once = [...ps].sort(Port.compare).map(String);
          expect([...shuffled].sort(Port.compare).map(String)).toEqual(once);
        },
      ),
    );
  });
});
