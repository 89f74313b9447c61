/**
 * The tiered rows (answers with ClusterNetworkPolicies kept per kind of subject and kind of other
 * end) against the plain storage (every ordered pair of classes evaluated and kept), on generated
 * NetworkPolicies, ClusterNetworkPolicies of both tiers and clusters with unknowns (namespace
 * labels, pod IPs, named ports, host-network pods on a node): every pair of classes, every
 * external destination and the all-pairs counts must be equal, in three values.
 */
import fc from 'fast-check';
import { Analysis, AnalyzeOptions, InternalAnalyzeOptions } from '../../../lib/analysis/analysis';
import { PairStorage } from '../../../lib/analysis/private/tiered-rows';
import { parseIp } from '../../../lib/model/cidr';
import { Cluster, ContainerPort, namespace, Workload } from '../../../lib/model/cluster';
import { ClusterPolicy } from '../../../lib/model/cluster-policy';
import { Peer } from '../../../lib/model/peer';
import { Port, Protocol } from '../../../lib/model/port';
import { LabelSelector } from '../../../lib/model/selector';
import { clusterPolicyArb, UNIVERSE } from '../../model/cluster-arbitraries';
import { pod } from '../helpers';
import { policyArbOf } from './policy-arb';

const NAMESPACES = UNIVERSE.namespaces;
const PER_PAIR: InternalAnalyzeOptions = { pairStorage: PairStorage.PER_PAIR };
const IPS = ['10.1.2.3', '10.1.0.9', '10.2.0.1', '192.168.4.4', 'fd00::5'];
const NODE = { name: 'node-1', labels: { 'kubernetes.io/os': 'linux', zone: 'a' }, addresses: [parseIp('172.18.0.2')] };

const selectorArb = fc.oneof(
  fc.constant(LabelSelector.all()),
  fc.constantFrom(...UNIVERSE.apps).map((app) => LabelSelector.of({ app })),
);
const peerArb = fc.oneof(
  selectorArb.map((s) => Peer.pods(s)),
  fc.constantFrom(...UNIVERSE.teams).map((team) => Peer.namespaces(LabelSelector.of({ team }))),
  fc.constantFrom(...NAMESPACES).map((n) => Peer.podsInNamespace(LabelSelector.namespaceName(n), LabelSelector.all())),
);
const portArb = fc.oneof(
  fc.constantFrom(53, 80, 8080).map((p) => Port.tcp(p)),
  fc.constant(Port.udp(53)),
  fc.constantFrom(...UNIVERSE.portNames).map((name) => Port.named(name)),
);
const policyArb = policyArbOf({
  namespaces: NAMESPACES,
  podSelector: selectorArb,
  peer: peerArb,
  port: portArb,
  most: { peers: 2, rules: 2 },
  name: (i) => `np${i}`,
});
const PORTS: ContainerPort[][] = [
  [{ name: 'web', containerPort: 80, protocol: Protocol.TCP }],
  [
    { name: 'web', containerPort: 8080, protocol: Protocol.TCP },
    { name: 'dns', containerPort: 53, protocol: Protocol.UDP },
  ],
  [{ name: 'metrics', containerPort: 9090, protocol: Protocol.TCP }],
  [],
];
const podArb = (i: number) =>
  fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      app: fc.constantFrom(...UNIVERSE.apps),
      ports: fc.constantFrom(...PORTS),
      portsUnknown: fc.constantFrom(false, false, true),
      ip: fc.option(fc.constantFrom(...IPS), { nil: undefined }),
      hostNetwork: fc.constantFrom(false, false, false, true),
    })
    .map((w): Workload => {
      const ips = w.hostNetwork ? ['172.18.0.2'] : w.ip ? [w.ip] : undefined;
      const p = pod(`${w.namespace}/w${i}`, { app: w.app }, { ports: w.ports, ...(ips ? { ips } : {}) });
      return { ...p, ...(w.portsUnknown ? { portsKnown: false } : {}), ...(w.hostNetwork ? { hostNetwork: true } : {}) };
    });
const worldArb = fc.record({
  // A namespace without labels given is one whose labels are unknown (a condition).
  teams: fc.tuple(...NAMESPACES.map(() => fc.constantFrom('red', 'blue', undefined))),
  pods: fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i)))),
  policies: fc.integer({ min: 0, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i)))),
  clusterPolicies: fc.array(clusterPolicyArb, { minLength: 1, maxLength: 3 }),
  podCidrs: fc.constantFrom(undefined, ['10.1.0.0/16']),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function analyses(world: World): [Analysis, Analysis] {
  const cluster: Cluster = {
    namespaces: NAMESPACES.flatMap((n, i) => (world.teams[i] === undefined ? [] : [namespace(n, { team: world.teams[i]! })])),
    workloads: world.pods,
    nodes: [NODE],
  };
  const clusterPolicies = world.clusterPolicies.map((p, i) => ClusterPolicy.of({ ...p, name: `${p.name}-${i}` }));
  const options: AnalyzeOptions = { clusterPolicies, ...(world.podCidrs ? { podCidrs: world.podCidrs } : {}) };
  return [Analysis.create(world.policies, cluster, options), Analysis.create(world.policies, cluster, { ...options, ...PER_PAIR })];
}

/** How often each kind of answer came up, so that the property is known not to hold vacuously. */
const seen = { allowed: 0, denied: 0, depends: 0 };

describe('tiered rows', () => {
  it('answer every pair of classes and every external destination as the per-pair storage does', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const [rows, plain] = analyses(world);
        const a = rows.matrix();
        const b = plain.matrix();
        const C = rows.classes.length;
        for (let s = 0; s < C; s++) {
          for (let d = 0; d < C; d++) {
            const r = a.reach(s, d);
            expect(r.key).toBe(b.reach(s, d).key);
            if (r.depends.length > 0) seen.depends++;
            else if (r.allowed.isEmpty) seen.denied++;
            else seen.allowed++;
          }
          rows.externalDestinations.forEach((_, y) => expect(rows.fromClassToExternal(s, y).key).toBe(plain.fromClassToExternal(s, y).key));
        }
        expect(a.countAllowed()).toEqual(b.countAllowed());
      }),
      { numRuns: 300 },
    );
    expect(seen.allowed).toBeGreaterThan(0);
    expect(seen.denied).toBeGreaterThan(0);
    expect(seen.depends).toBeGreaterThan(0);
  });

  it('give the pairs the answers they had before the all-pairs analysis was asked for', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const [rows] = analyses(world);
        const C = rows.classes.length;
        const before: string[] = [];
        for (let s = 0; s < C; s++) for (let d = 0; d < C; d++) before.push(rows.classReach(s, d).key);
        const m = rows.matrix();
        const after: string[] = [];
        for (let s = 0; s < C; s++) for (let d = 0; d < C; d++) after.push(m.reach(s, d).key);
        expect(after).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });
});
