/**
 * One end's answer for one pair worked out from the rules (`Analysis.pairSideReach`) against the
 * same answer read from the rows (`Analysis.sideReach`), on generated policies and pods: named
 * ports on pods whose ports are known or not, namespaces whose labels are unknown, pod IPs
 * against ipBlocks, all peers and none.
 */
import fc from 'fast-check';
import { Analysis } from '../../../lib/analysis/analysis';
import { IpBlock } from '../../../lib/model/cidr';
import { ContainerPort, namespace, Workload } from '../../../lib/model/cluster';
import { Peer } from '../../../lib/model/peer';
import { Port, Protocol } from '../../../lib/model/port';
import { Direction } from '../../../lib/model/rule';
import { LabelSelector, SelectorOperator } from '../../../lib/model/selector';
import { pod } from '../helpers';
import { policyArbOf } from './policy-arb';

const SPACES = ['front', 'back'];

const podSelectorArb = fc.oneof(
  fc.constant(LabelSelector.all()),
  fc.constantFrom('web', 'db').map((app) => LabelSelector.of({ app })),
  fc.constant(LabelSelector.of({}, [{ key: 'app', operator: SelectorOperator.IN, values: ['web', 'api'] }])),
);
const namespaceSelectorArb = fc.oneof(
  fc.constant(LabelSelector.all()),
  fc.constantFrom('blue', 'green').map((zone) => LabelSelector.of({ zone })),
  fc.constantFrom(...SPACES).map((n) => LabelSelector.namespaceName(n)),
);
const peerArb = fc.oneof(
  podSelectorArb.map((s) => Peer.pods(s)),
  fc
    .tuple(namespaceSelectorArb, fc.option(podSelectorArb, { nil: undefined }))
    .map(([n, s]) => (s === undefined ? Peer.namespaces(n) : Peer.podsInNamespace(n, s))),
  fc.constantFrom(IpBlock.of('10.0.0.0/8', ['10.2.0.0/16']), IpBlock.of('0.0.0.0/0')).map((b) => Peer.ipBlock(b)),
);
const portArb = fc.oneof(
  fc.constantFrom(80, 5432).map((p) => Port.tcp(p)),
  fc.constant(Port.udp(53)),
  fc.constantFrom('http', 'admin').map((name) => Port.named(name)),
  fc.constant(Port.tcpRange(9000, 9100)),
);
const policyArb = policyArbOf({
  namespaces: SPACES,
  podSelector: podSelectorArb,
  peer: peerArb,
  port: portArb,
  most: { peers: 3, rules: 3 },
  name: (i) => `policy-${i}`,
});
const CONTAINER_PORTS: ContainerPort[][] = [
  [{ name: 'http', containerPort: 8080, protocol: Protocol.TCP }],
  [
    { name: 'http', containerPort: 80, protocol: Protocol.TCP },
    { name: 'admin', containerPort: 9001, protocol: Protocol.TCP },
  ],
  [],
];
const podArb = (i: number) =>
  fc
    .record({
      namespace: fc.constantFrom(...SPACES),
      app: fc.constantFrom('web', 'db', 'api'),
      ports: fc.constantFrom(...CONTAINER_PORTS),
      portsKnown: fc.boolean(),
      ip: fc.option(fc.constantFrom('10.1.0.5', '10.2.0.5', '172.16.0.5'), { nil: undefined }),
    })
    .map((w): Workload => {
      const p = pod(`${w.namespace}/pod-${i}`, { app: w.app }, { ports: w.ports, ...(w.ip ? { ips: [w.ip] } : {}) });
      return w.portsKnown ? p : { ...p, portsKnown: false };
    });
const worldArb = fc.record({
  // A namespace without a zone given has unknown labels: peers selecting by zone match it on a condition.
  zones: fc.tuple(...SPACES.map(() => fc.constantFrom('blue', 'green', undefined))),
  pods: fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i)))),
  policies: fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i)))),
  complete: fc.boolean(),
});

describe('pairSideReach', () => {
  it("gives each end's answer for every pair of workloads as the rows do", () => {
    fc.assert(
      fc.property(worldArb, ({ zones, pods, policies, complete }) => {
        const cluster = {
          namespaces: SPACES.flatMap((n, i) => (zones[i] === undefined ? [] : [namespace(n, { zone: zones[i]! })])),
          workloads: pods,
          complete,
        };
        // Asked first, before anything builds the rows, and compared with the rows of another analysis.
        const fromRules = Analysis.create(policies, cluster, {});
        const fromRows = Analysis.create(policies, cluster, {});
        const ends = pods.map((workload) => ({ type: 'workload' as const, workload }));
        for (const a of ends) {
          for (const b of ends) {
            for (const direction of [Direction.EGRESS, Direction.INGRESS]) {
              expect(fromRules.pairSideReach(direction, a, b).key).toBe(fromRows.sideReach(direction, a, b).key);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an address as either end, as sideReach does', () => {
    const web = pod('front/web', { app: 'web' });
    const a = Analysis.create([], { namespaces: [], workloads: [web] }, {});
    const external = { type: 'external' as const, range: a.externalDestinations[0] };
    const workload = { type: 'workload' as const, workload: web };
    const message = 'sideReach answers for two workloads; ask reach for an address or a domain name';
    expect(() => a.pairSideReach(Direction.EGRESS, workload, external)).toThrow(message);
    expect(() => a.pairSideReach(Direction.INGRESS, external, workload)).toThrow(message);
  });
});
