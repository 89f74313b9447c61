/**
 * The rows' shared columns against the plain layout (one column per class), on generated
 * policies and pods: every pair of classes gets the same answer in three values, each direction
 * alone too, and the all-pairs count equals a count over every pair of workloads. The splitting
 * of classes into columns is checked against the membership of each element in each list.
 */
import fc from 'fast-check';
import { Analysis, AnalyzeOptions, InternalAnalyzeOptions } from '../../../lib/analysis/analysis';
import { GroupRefinement, RowLayout } from '../../../lib/analysis/private/rows';
import { IpBlock } from '../../../lib/model/cidr';
import { Cluster, ContainerPort, namespace, Workload } from '../../../lib/model/cluster';
import { Peer } from '../../../lib/model/peer';
import { Port, Protocol } from '../../../lib/model/port';
import { Direction } from '../../../lib/model/rule';
import { LabelSelector, SelectorOperator } from '../../../lib/model/selector';
import { pod } from '../helpers';
import { policyArbOf } from './policy-arb';

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const PER_CLASS: AnalyzeOptions & InternalAnalyzeOptions = { rowLayout: RowLayout.PER_CLASS };
const IPS = ['10.0.0.1', '10.0.1.1', '10.1.0.1', '192.168.0.1', '2001:db8::1'];

const selectorArb = fc.oneof(
  fc.constant(LabelSelector.all()),
  fc.constantFrom('a', 'b', 'c').map((app) => LabelSelector.of({ app })),
  fc.constantFrom('x', 'y').map((tier) => LabelSelector.of({ tier })),
  fc.constantFrom('x', 'y').map((tier) => LabelSelector.of({}, [{ key: 'tier', operator: SelectorOperator.NOT_IN, values: [tier] }])),
);
const nsSelectorArb = fc.oneof(
  fc.constant(LabelSelector.all()),
  fc.constantFrom('t1', 't2').map((team) => LabelSelector.of({ team })),
  fc.constantFrom(...NAMESPACES).map((n) => LabelSelector.namespaceName(n)),
);
const peerArb = fc.oneof(
  selectorArb.map((s) => Peer.pods(s)),
  nsSelectorArb.map((s) => Peer.namespaces(s)),
  fc.tuple(nsSelectorArb, selectorArb).map(([n, s]) => Peer.podsInNamespace(n, s)),
  fc
    .constantFrom(IpBlock.of('10.0.0.0/8', ['10.1.0.0/16']), IpBlock.of('0.0.0.0/0', ['192.168.0.0/16']), IpBlock.of('2001:db8::/32'))
    .map((b) => Peer.ipBlock(b)),
);
const portArb = fc.oneof(
  fc.constantFrom(53, 80, 443, 8080).map((p) => Port.tcp(p)),
  fc.constant(Port.udp(53)),
  fc.constantFrom('http', 'metrics', 'nope').map((name) => Port.named(name)),
  fc.constant(Port.tcpRange(8000, 8100)),
);
const policyArb = policyArbOf({
  namespaces: NAMESPACES,
  podSelector: selectorArb,
  peer: peerArb,
  port: portArb,
  most: { peers: 2, rules: 2 },
  name: (i) => `p${i}`,
});
const PORTS: ContainerPort[][] = [
  [{ name: 'http', containerPort: 80, protocol: Protocol.TCP }],
  [{ name: 'http', containerPort: 8080, protocol: Protocol.TCP }],
  [
    { name: 'http', containerPort: 80, protocol: Protocol.TCP },
    { name: 'metrics', containerPort: 9090, protocol: Protocol.TCP },
  ],
  [],
];
const podArb = (i: number) =>
  fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      app: fc.constantFrom('a', 'b', 'c'),
      tier: fc.constantFrom('x', 'y'),
      ports: fc.constantFrom(...PORTS),
      portsUnknown: fc.constantFrom(false, false, true),
      ip: fc.option(fc.constantFrom(...IPS), { nil: undefined }),
    })
    .map((w): Workload => {
      const p = pod(`${w.namespace}/w${i}`, { app: w.app, tier: w.tier }, { ports: w.ports, ...(w.ip ? { ips: [w.ip] } : {}) });
      return w.portsUnknown ? { ...p, portsKnown: false } : p;
    });
const worldArb = fc.record({
  // A namespace without labels given is one whose labels are unknown (a condition).
  teams: fc.tuple(...NAMESPACES.map(() => fc.constantFrom('t1', 't2', undefined))),
  pods: fc.integer({ min: 1, max: 10 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i)))),
  policies: fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i)))),
});

function clusterOf(teams: ReadonlyArray<string | undefined>, pods: readonly Workload[]): Cluster {
  return {
    namespaces: NAMESPACES.flatMap((n, i) => (teams[i] === undefined ? [] : [namespace(n, { team: teams[i]! })])),
    workloads: pods,
  };
}

describe('rows with shared columns', () => {
  it('answer every pair of classes, and each direction alone, as rows with a column per class do', () => {
    fc.assert(
      fc.property(worldArb, ({ teams, pods, policies }) => {
        const cluster = clusterOf(teams, pods);
        const shared = Analysis.create(policies, cluster, {});
        const plain = Analysis.create(policies, cluster, PER_CLASS);
        expect(shared.classes.map((c) => c.workloads)).toEqual(plain.classes.map((c) => c.workloads));
        const C = shared.classes.length;
        for (let s = 0; s < C; s++) {
          for (let d = 0; d < C; d++) expect(shared.classReach(s, d).key).toBe(plain.classReach(s, d).key);
        }
        const ends = pods.map((workload) => ({ type: 'workload' as const, workload }));
        for (const a of ends) {
          for (const b of ends) {
            for (const direction of [Direction.EGRESS, Direction.INGRESS]) {
              expect(shared.sideReach(direction, a, b).key).toBe(plain.sideReach(direction, a, b).key);
            }
          }
        }
        const ranges = (x: Analysis) => [x.externalSources.length, x.externalDestinations.length];
        expect(ranges(shared)).toEqual(ranges(plain));
        for (let c = 0; c < C; c++) {
          shared.externalDestinations.forEach((_, y) =>
            expect(shared.fromClassToExternal(c, y).key).toBe(plain.fromClassToExternal(c, y).key),
          );
          shared.externalSources.forEach((_, x) => expect(shared.fromExternalToClass(x, c).key).toBe(plain.fromExternalToClass(x, c).key));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('count the allowed pairs as a walk over every pair of workloads and every range does', () => {
    fc.assert(
      fc.property(worldArb, ({ teams, pods, policies }) => {
        const cluster = clusterOf(teams, pods);
        const a = Analysis.create(policies, cluster, {});
        let workloadPairs = 0;
        const classOf = (w: Workload) => a.classOfWorkload(w).index;
        for (const x of pods) {
          for (const y of pods) if (x !== y && !a.classReach(classOf(x), classOf(y)).allowed.isEmpty) workloadPairs++;
        }
        let externalPairs = 0;
        for (const w of pods) {
          a.externalSources.forEach((_, i) => (externalPairs += a.fromExternalToClass(i, classOf(w)).allowed.isEmpty ? 0 : 1));
          a.externalDestinations.forEach((_, i) => (externalPairs += a.fromClassToExternal(classOf(w), i).allowed.isEmpty ? 0 : 1));
        }
        expect(a.matrix().countAllowed()).toEqual({ workloadPairs, externalPairs });
        expect(Analysis.create(policies, cluster, PER_CLASS).matrix().countAllowed()).toEqual({
          workloadPairs,
          externalPairs,
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('GroupRefinement', () => {
  it('puts two elements in one group exactly when every list holds both or neither', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((size) =>
            fc.tuple(
              fc.constant(size),
              fc.array(fc.array(fc.integer({ min: 0, max: size - 1 }), { maxLength: size * 2 }), { maxLength: 80 }),
            ),
          ),
        ([size, lists]) => {
          const groups = new GroupRefinement(size);
          for (const list of lists) groups.split(list);
          const membership = Array.from({ length: size }, (_, e) => lists.map((l) => (l.includes(e) ? '1' : '0')).join(''));
          const wrong: string[] = [];
          for (let a = 0; a < size; a++) {
            for (let b = 0; b < size; b++) {
              if ((groups.of(a) === groups.of(b)) !== (membership[a] === membership[b])) wrong.push(`${a},${b}`);
            }
          }
          expect(wrong).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
