/**
 * The rules NP002 points at, worked out rule by rule, against what `Analysis.explain` says of
 * the same pair on the first port of each range: on random policies and pods (through the
 * reader and the cluster picture, so with made-up groups whose ports are unknown), both must
 * name the same policy, rule, peer, ports and isolating policies of the other end.
 */
import fc from 'fast-check';
import { analyze, Analysis } from '../../../../lib/analysis/analysis';
import { clusterPicture } from '../../../../lib/analysis/picture';
import { isolatedByOf, namesPods, namingRules } from '../../../../lib/check/lint/private/naming-rules';
import { manifestsFromDocuments } from '../../../../lib/io/manifests';
import { Workload } from '../../../../lib/model/cluster';
import { ConnectionSet } from '../../../../lib/model/connection-set';
import { PROTOCOLS } from '../../../../lib/model/protocol';
import { Direction } from '../../../../lib/model/rule';

type Obj = Record<string, unknown>;

const SPACES = ['front', 'back'];
const appArb = fc.constantFrom('web', 'api', 'db');
const podSelectorArb = fc.oneof(
  fc.constant({}),
  appArb.map((app) => ({ matchLabels: { app } })),
  fc.constant({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }),
);
const peerArb = fc.oneof(
  podSelectorArb.map((podSelector) => ({ podSelector })),
  fc.constantFrom(...SPACES).map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } })),
  fc
    .record({ team: fc.constantFrom('a', 'b'), podSelector: podSelectorArb })
    .map(({ team, podSelector }) => ({ namespaceSelector: { matchLabels: { team } }, podSelector })),
  fc.constant({ ipBlock: { cidr: '10.0.0.0/8' } }),
);
const portArb = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(53, 80, 443, 5432) }),
  fc.record({ protocol: fc.constant('TCP'), port: fc.constantFrom('http', 'pg') }),
  fc.integer({ min: 1000, max: 1010 }).map((port) => ({ protocol: 'TCP', port, endPort: port + 20 })),
);
const ruleArb = (key: 'from' | 'to') =>
  fc.record(
    { [key]: fc.array(peerArb, { minLength: 1, maxLength: 3 }), ports: fc.array(portArb, { maxLength: 3 }) },
    { requiredKeys: [key] },
  );
const policyArb = (i: number) =>
  fc
    .record({
      namespace: fc.constantFrom(...SPACES),
      podSelector: podSelectorArb,
      policyTypes: fc.subarray(['Ingress', 'Egress'], { minLength: 1 }),
      ingress: fc.array(ruleArb('from'), { maxLength: 2 }),
      egress: fc.array(ruleArb('to'), { maxLength: 2 }),
    })
    .map(({ namespace, policyTypes, ingress, egress, podSelector }): Obj => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      // names out of order, so that id order differs from input order
      metadata: { name: `p${(i * 7) % 5}-${i}`, namespace },
      spec: {
        podSelector,
        policyTypes,
        ...(policyTypes.includes('Ingress') ? { ingress } : {}),
        ...(policyTypes.includes('Egress') ? { egress } : {}),
      },
    }));
const podArb = (i: number) =>
  fc.record({ namespace: fc.constantFrom(...SPACES), app: appArb, named: fc.boolean() }).map(({ namespace, app, named }): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `w${i}`, namespace, labels: { app } },
    spec: { containers: [{ name: 'c', ports: named ? [{ name: 'http', containerPort: 80 }, { containerPort: 5432 }] : [] }] },
  }));
const worldArb = fc.record({
  teams: fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('a', 'b')),
  pods: fc.array(fc.nat(), { maxLength: 4 }).chain((xs) => fc.tuple(...xs.map((_, i) => podArb(i)))),
  policies: fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i)))),
});

/** The rules as an explanation of each range's first port tells them: the straightforward way. */
function byExplaining(analysis: Analysis, a: Workload, b: Workload, gap: ConnectionSet, side: Direction) {
  const found = new Map<string, { policy: string; ruleIndex: number; peer: number; ports: ConnectionSet; otherEnd: string[] }>();
  for (const protocol of PROTOCOLS) {
    for (const [first, last] of gap.ranges(protocol)) {
      const e = analysis.explain({ type: 'workload', workload: a }, { type: 'workload', workload: b }, first, protocol);
      const mine = side === Direction.EGRESS ? e.egress : e.ingress;
      const other = side === Direction.EGRESS ? e.ingress : e.egress;
      for (const verdict of mine.rules) {
        if (!verdict.allows || verdict.matchingPeers === 'any') continue;
        const peer = verdict.matchingPeers.find((i) => namesPods(verdict.rule.peers[i]));
        if (peer === undefined) continue;
        const key = `${verdict.policy.id}|${verdict.ruleIndex}|${peer}`;
        const range = ConnectionSet.range(protocol, first, last);
        const prev = found.get(key);
        found.set(key, {
          policy: verdict.policy.id,
          ruleIndex: verdict.ruleIndex,
          peer,
          ports: prev ? prev.ports.union(range) : range,
          otherEnd: other.isolatedBy.map((p) => p.id),
        });
        break;
      }
    }
  }
  return [...found.values()].map((f) => ({ ...f, ports: String(f.ports.intersect(gap)) }));
}

test('the rules NP002 names are those an explanation of each range gives, on random policies and pods', () => {
  let named = 0;
  let several = 0;
  fc.assert(
    fc.property(worldArb, ({ teams, pods, policies }) => {
      const namespaces = SPACES.map((name, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: teams[i] } } }));
      const documents = [...namespaces, ...pods, ...policies].map((object, doc) => ({ file: 'generated.yaml', doc, object }));
      const m = manifestsFromDocuments(documents);
      const analysis = analyze(m.policies, clusterPicture(m.policies, { known: m.cluster }));
      const isolatedBy = isolatedByOf((pod, direction) => m.policies.filter((p) => p.selects(pod) && p.isolates(direction)));
      for (const a of analysis.workloads) {
        for (const b of analysis.workloads) {
          if (a === b) continue;
          const ends = [{ type: 'workload', workload: a } as const, { type: 'workload', workload: b } as const] as const;
          const egress = analysis.sideReach(Direction.EGRESS, ...ends);
          const ingress = analysis.sideReach(Direction.INGRESS, ...ends);
          for (const side of [Direction.EGRESS, Direction.INGRESS]) {
            const mine = side === Direction.EGRESS ? egress : ingress;
            const other = side === Direction.EGRESS ? ingress : egress;
            for (const gap of [mine.allowed.subtract(other.possible), mine.allowed, mine.possible]) {
              const got = namingRules(analysis, isolatedBy, a, b, gap, side).map((r) => ({
                policy: r.policy.id,
                ruleIndex: r.ruleIndex,
                peer: r.peer,
                ports: String(r.ports),
                otherEnd: r.otherEnd,
              }));
              expect(got).toEqual(byExplaining(analysis, a, b, gap, side));
              if (got.length > 0) named++;
              if (got.length > 1) several++;
            }
          }
        }
      }
    }),
    { numRuns: 100 },
  );
  // the worlds give pairs where rules are named, and some where several are
  expect(named).toBeGreaterThan(100);
  expect(several).toBeGreaterThan(5);
});
