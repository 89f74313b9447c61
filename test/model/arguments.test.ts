/**
 * Called from JavaScript, through `any` or from another language, the value factories refuse
 * what they cannot render exactly, in one line naming the call, the argument and the fix,
 * instead of rendering something wider (every port, every pod) or failing later.
 */
import fc from 'fast-check';
import { Cidr, IpBlock, LabelSelector, Peer, Port, Protocol } from '../../lib';
import { NetpolError } from '../../lib/model/errors';

const A = undefined as any;

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    return e.message;
  }
  throw new Error('expected a refusal');
}

describe('value factories refuse arguments they cannot render', () => {
  test.each([
    [() => Port.tcp(A), 'Port.tcp: port: expected a port number, an integer from 1 to 65535, got undefined'],
    [() => Port.tcp(null as any), 'Port.tcp: port: expected a port number, an integer from 1 to 65535, got null'],
    [() => Port.tcp({} as any), 'Port.tcp: port: expected a port number, an integer from 1 to 65535, got an object'],
    [() => Port.tcp(80n as any), 'Port.tcp: port: expected a port number, an integer from 1 to 65535, got the BigInt 80n'],
    [() => Port.udp('53' as any), 'Port.udp: port: expected a port number, an integer from 1 to 65535, got the string "53"'],
    [() => Port.tcpRange(80, A), 'Port.tcpRange: endPort: expected a port number, an integer from 1 to 65535, got undefined'],
    [() => Port.named(A), "Port.named: name: expected a container port name such as 'http', got undefined"],
    [() => Port.of(A, 80), 'Port.of: protocol: expected Protocol.TCP, Protocol.UDP or Protocol.SCTP, got undefined'],
    [
      () => Port.of(Protocol.TCP, null as any),
      'Port.of: port: expected a port number, a container port name, or nothing for every port, got null',
    ],
    [() => Port.of(Protocol.TCP, 80, '90' as any), 'Port.of: endPort: expected a port number or nothing, got the string "90"'],
    [() => Peer.pods(A), "Peer.pods: selector: expected labels such as { app: 'web' } ({} for all), or a LabelSelector, got undefined"],
    [
      () => Peer.namespaces(null as any),
      "Peer.namespaces: selector: expected labels such as { app: 'web' } ({} for all), or a LabelSelector, got null",
    ],
    [() => Peer.namespace(A), "Peer.namespace: namespace: expected a namespace name such as 'monitoring', got undefined"],
    [
      () => Peer.podsInNamespace('team-a', A),
      "Peer.podsInNamespace: pods: expected labels such as { app: 'web' } ({} for all), or a LabelSelector, got undefined",
    ],
    [() => Peer.cidr(A), "Peer.cidr: cidr: expected a CIDR such as '10.0.0.0/16', got undefined"],
    [
      () => Peer.fromIpBlock('10.0.0.0/8' as any),
      'Peer.fromIpBlock: block: expected an IpBlock such as IpBlock.of(\'10.0.0.0/16\'), got the string "10.0.0.0/8"',
    ],
    [
      () => Peer.ipBlock('10.0.0.0/8' as any),
      'Peer.ipBlock: block: expected an IpBlock such as IpBlock.of(\'10.0.0.0/16\'), got the string "10.0.0.0/8"',
    ],
    [() => Peer.raw(A), 'Peer.raw: parts: expected an object with podSelector, namespaceSelector or ipBlock, got undefined'],
    [
      () => IpBlock.of('10.0.0.0/8', '10.1.0.0/16' as any),
      'IpBlock.of: except: expected an array of CIDRs such as [\'10.0.1.0/24\'], got the string "10.1.0.0/16"',
    ],
    [
      () => LabelSelector.of(A),
      "LabelSelector.of: matchLabels: expected labels such as { app: 'web' } (LabelSelector.all() selects everything), got undefined",
    ],
    [
      () => LabelSelector.of({}, [null as any]),
      "LabelSelector.of: matchExpressions[0]: expected an expression such as { key: 'tier', operator: SelectorOperator.IN, values: ['web'] }, got null",
    ],
    [() => Cidr.parse(A), 'expected a CIDR string such as "10.0.0.0/16", got undefined'],
  ])('%#: %s', (call, message) => {
    expect(refusal(call)).toBe(message);
  });
});

/** Arbitrary JavaScript values, mixed with valid ones so that both outcomes are exercised. */
const anyValue = fc.oneof(
  fc.anything(),
  fc.bigInt(),
  fc.constantFrom(undefined, null, NaN, 80, 443, 0, -1, 65536, 1.5, '80', 'http', {}, []),
);

/** The outcome of a call: what it returned, or its refusal, which must be one line of NetpolError. */
function outcome<T>(f: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    expect(NetpolError.isNetpolError(e)).toBe(true);
    // one line per problem found (several arguments can be wrong at once), nothing else
    expect((e as NetpolError).message.split('\n')).toHaveLength((e as NetpolError).issues.length);
    return { ok: false };
  }
}

describe('with arbitrary JavaScript values, nothing is wider than a valid argument', () => {
  test('Port.tcp/udp/sctp return exactly the given port number, or refuse in one line', () => {
    fc.assert(
      fc.property(fc.constantFrom('tcp', 'udp', 'sctp') as fc.Arbitrary<'tcp' | 'udp' | 'sctp'>, anyValue, (f, x) => {
        const r = outcome(() => Port[f](x as any));
        if (r.ok) {
          expect(typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 65535).toBe(true);
          expect(r.value.port).toBe(x);
          expect(r.value.endPort).toBeUndefined();
          expect(r.value.protocol).toBe(f.toUpperCase());
        }
      }),
      { numRuns: 500 },
    );
  });

  test('Port.of and the ranges never yield a missing protocol or a port that was not given', () => {
    fc.assert(
      fc.property(anyValue, anyValue, anyValue, (protocol, port, end) => {
        const r = outcome(() => Port.of(protocol as any, port as any, end as any));
        if (r.ok) {
          expect(['TCP', 'UDP', 'SCTP']).toContain(r.value.protocol);
          expect(r.value.port).toBe(port);
          if (r.value.endPort !== undefined) expect(r.value.endPort).toBe(end);
        }
        const range = outcome(() => Port.tcpRange(port as any, end as any));
        if (range.ok) {
          expect(range.value.port).toBe(port);
          expect(range.value.endPort ?? range.value.port).toBe(end);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('selector peers select by the labels given, and never by an empty selector made from a missing argument', () => {
    const labelsOrAnything = fc.oneof(
      anyValue,
      fc.dictionary(fc.constantFrom('app', 'tier'), fc.oneof(fc.constantFrom('web', 'db'), anyValue)),
    );
    fc.assert(
      fc.property(fc.constantFrom('pods', 'namespaces') as fc.Arbitrary<'pods' | 'namespaces'>, labelsOrAnything, (f, x) => {
        const r = outcome(() => Peer[f](x as any));
        if (r.ok) {
          expect(typeof x === 'object' && x !== null && !Array.isArray(x)).toBe(true);
          const selector = f === 'pods' ? r.value.podSelector! : r.value.namespaceSelector!;
          expect(selector.matchLabels).toEqual(x);
        }
        const s = outcome(() => LabelSelector.of(x as any));
        if (s.ok) expect(s.value.matchLabels).toEqual(x);
      }),
      { numRuns: 500 },
    );
  });

  test('address peers hold the block given, and never every address from a missing argument', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyValue, fc.constantFrom('10.0.0.0/8', '0.0.0.0/0')),
        fc.oneof(anyValue, fc.constant(['10.1.0.0/16'])),
        (cidr, except) => {
          const r = outcome(() => Peer.cidr(cidr as any, except as any));
          if (r.ok) {
            expect(typeof cidr).toBe('string');
            expect(r.value.ipBlock!.cidr.toString()).toBe(cidr);
          }
          const n = outcome(() => Peer.namespace(cidr as any));
          if (n.ok) expect(n.value.namespaceSelector!.namespaceNameOnly).toBe(cidr);
        },
      ),
      { numRuns: 300 },
    );
  });
});
