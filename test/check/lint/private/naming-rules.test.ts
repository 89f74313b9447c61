/**
 * The rules NP002 points at, worked out rule by rule, against what `Analysis.explain` says of
 * the same pair on the first port of each range: on random policies and pods (through the
 * reader and the cluster picture, so with made-up groups whose ports are unknown), both must
 * name the same policy, rule, peer, ports and isolating policies of the other end.
 */
import fc from 'fast-check';
import { analyze, Analysis } from '../../../../lib/analysis/analysis';
import { clusterPicture } from '../../../../lib/analysis/picture';
import { candidatePairs, isolatedByOf, namesPods, namingRules } from '../../../../lib/check/lint/private/naming-rules';
import { Workload } from '../../../../lib/model/cluster';
import { ConnectionSet } from '../../../../lib/model/connection-set';
import { PROTOCOLS } from '../../../../lib/model/protocol';
import { Direction } from '../../../../lib/model/rule';
import { worldArb, worldOf } from '../np002-worlds';

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

/** Two policies whose egress rules both name the other pod: a world where several rules are named. */
function egressTo(name: string, port: number) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'front' },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'api' } } }],
          ports: [{ protocol: 'TCP', port }],
        },
      ],
    },
  };
}
const severalNamed = {
  teams: ['a', 'b'] as ['a' | 'b', 'a' | 'b'],
  pods: [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w0', namespace: 'front', labels: { app: 'web' } }, spec: { containers: [] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w1', namespace: 'back', labels: { app: 'api' } }, spec: { containers: [] } },
  ],
  policies: [egressTo('p0-0', 80), egressTo('p1-1', 443)],
};

test('the rules NP002 names are those an explanation of each range gives, on random policies and pods', () => {
  let named = 0;
  let several = 0;
  fc.assert(
    fc.property(worldArb, (world) => {
      const m = worldOf(world);
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
    { numRuns: 100, examples: [[severalNamed]] },
  );
  // the worlds give pairs where rules are named, and (at least in the first world) several
  expect(named).toBeGreaterThan(100);
  expect(several).toBeGreaterThan(0);
});

test('every pair of classes for which a rule is named is among the candidate pairs, which come in walk order', () => {
  let pairs = 0;
  let all = 0;
  let candidates = 0;
  fc.assert(
    fc.property(worldArb, (world) => {
      const m = worldOf(world);
      const analysis = analyze(m.policies, clusterPicture(m.policies, { known: m.cluster }));
      const isolatedBy = isolatedByOf((pod, direction) => m.policies.filter((p) => p.selects(pod) && p.isolates(direction)));
      const endpoint = (workload: Workload) => ({ type: 'workload', workload }) as const;
      const firsts = analysis.classes.map((c) => endpoint(c.workloads[0]));
      const seconds = analysis.classes.map((c) => (c.workloads.length > 1 ? endpoint(c.workloads[1]) : undefined));
      const listed = candidatePairs(analysis, isolatedBy, firsts, seconds);
      const sorted = (xs: number[]) => xs.every((x, k) => k === 0 || xs[k - 1] < x);
      expect(sorted(listed.map(([i]) => i))).toBe(true);
      for (const [, js] of listed) expect(sorted(js)).toBe(true);
      const chosen = new Set(listed.flatMap(([i, js]) => js.map((j) => `${i}|${j}`)));
      firsts.forEach((a, i) => {
        firsts.forEach((first, j) => {
          const b = i === j ? seconds[j] : first;
          if (!b) return;
          all++;
          const ends = [a, b] as const;
          const named = [Direction.EGRESS, Direction.INGRESS].some(
            (side) =>
              namingRules(analysis, isolatedBy, a.workload, b.workload, analysis.sideReach(side, ...ends).possible, side).length > 0,
          );
          if (named) {
            pairs++;
            expect(chosen.has(`${i}|${j}`)).toBe(true);
          }
        });
      });
      candidates += chosen.size;
    }),
    { numRuns: 100 },
  );
  expect(pairs).toBeGreaterThan(100);
  // the candidates leave out pairs: the walk is cut short
  expect(candidates).toBeLessThan(all / 2);
});
