/**
 * NP002: a connection allowed at one end only. Egress from A names B while B's ingress is
 * isolated and does not admit A (or the reverse), so the packets are dropped at the other end.
 */
import { ConnectionSet } from '../../../model/connection-set';
import { WorkloadEndpoint } from '../../../analysis/endpoint';
import { Workload } from '../../../model/cluster';
import { Policy } from '../../../model/policy';
import { Direction } from '../../../model/rule';
import { candidatePairs, isolatedByOf, namingRules } from '../private/naming-rules';
import { listText, peerPath, policyObject } from '../private/policy-paths';
import { LintContext, LintRule, RuleFinding } from '../rule';

/** NP002 one-sided-allowance. */
export const NP002: LintRule = {
  id: 'NP002',
  name: 'one-sided-allowance',
  severity: 'error',
  cause: 'A connection is allowed at one end only: egress names a destination whose ingress does not admit the source, or the reverse.',
  explanation:
    'A connection between two pods needs both ends: the egress of the source and the ingress of the destination, each allowing it when that end is isolated. ' +
    'When an egress rule names pods (by podSelector) whose isolated ingress does not admit the source ' +
    'on those ports, the packets are dropped at the destination; ' +
    'when an ingress rule names pods whose isolated egress does not allow that destination, the connection is never made. ' +
    'This holds across namespaces. The rule looks at the pods of the given manifests and the groups the ' +
    "policies select; where the other end's answer depends on something unknown " +
    '(a named port of pods whose container ports are not given, the labels of a namespace without a Namespace object, a pod IP), it is not reported; ' +
    'rules whose peers select by namespace or address only are not taken as naming a pod.',
  fix: 'Allow the connection at the other end too (Tier.allowTo writes both ends), or remove the rule.',
  check(ctx) {
    if (ctx.pods.length < 2) return [];
    const { egress, ingress } = gaps(ctx);
    return [...findings(ctx, egress, Direction.EGRESS), ...findings(ctx, ingress, Direction.INGRESS)];
  },
};

/** How many pairs a message lists before `and N more`. */
const SAMPLES = 3;

interface Gap {
  readonly from: Workload;
  readonly to: Workload;
  readonly ports: ConnectionSet;
  /** The other end's isolating policies, by id. */
  readonly otherEnd: string[];
}

/** The pairs that one rule allows at its end only, by policy, rule and peer. */
type Groups = Map<string, { policy: Policy; ruleIndex: number; peer: number; samples: Gap[]; count: number }>;

/**
 * The one-sided pairs of both sides, in one pass over the pairs of classes: egress rules
 * allowing what the destination's ingress does not admit, and ingress rules admitting what the
 * source's egress does not allow.
 */
function gaps(ctx: LintContext): { egress: Groups; ingress: Groups } {
  const both = ctx.analysis('both');
  const isolatedBy = isolatedByOf((pod, direction) => ctx.isolating(pod, direction));
  const out = { egress: new Map() as Groups, ingress: new Map() as Groups };
  // Workloads of one class of the full analysis are alike for every policy (and so for each
  // side alone): one pair of representatives answers for all pairs of two classes, the first
  // workload of each, or the first two for a pair within one class.
  const classes = both.classes;
  const endpoint = (workload: Workload): WorkloadEndpoint => ({ type: 'workload', workload });
  const firsts = classes.map((c) => endpoint(c.workloads[0]));
  const seconds = classes.map((c) => (c.workloads.length > 1 ? endpoint(c.workloads[1]) : undefined));
  const isolated = (e: WorkloadEndpoint | undefined, direction: Direction): boolean =>
    e !== undefined && ctx.isolating(e.workload, direction).length > 0;
  const egressIsolated = firsts.map((e) => isolated(e, Direction.EGRESS));
  const ingressIsolated = firsts.map((e) => isolated(e, Direction.INGRESS));
  const secondIngressIsolated = seconds.map((e) => isolated(e, Direction.INGRESS));
  for (const [i, js] of candidatePairs(both, isolatedBy, firsts, seconds)) {
    if (!egressIsolated[i]) continue;
    const ea = firsts[i];
    for (const j of js) {
      const eb = i === j ? seconds[j] : firsts[j];
      if (!eb || !(i === j ? secondIngressIsolated[j] : ingressIsolated[j])) continue;
      // What one end allows for sure and the other surely does not: where the other end's answer
      // depends on something unknown (a named port, namespace labels, a pod IP), it may admit it.
      const egress = both.pairSideReach(Direction.EGRESS, ea, eb);
      const ingress = both.pairSideReach(Direction.INGRESS, ea, eb);
      if (egress.allowed.isEmpty && ingress.allowed.isEmpty) continue;
      for (const side of [Direction.EGRESS, Direction.INGRESS]) {
        const gap = side === Direction.EGRESS ? egress.allowed.subtract(ingress.possible) : ingress.allowed.subtract(egress.possible);
        if (gap.isEmpty) continue;
        const groups = side === Direction.EGRESS ? out.egress : out.ingress;
        for (const h of namingRules(both, isolatedBy, ea.workload, eb.workload, gap, side)) {
          const gkey = `${h.policy.id}|${h.ruleIndex}|${h.peer}`;
          let g = groups.get(gkey);
          if (!g) groups.set(gkey, (g = { policy: h.policy, ruleIndex: h.ruleIndex, peer: h.peer, samples: [], count: 0 }));
          for (const from of classes[i].workloads) {
            for (const to of classes[j].workloads) {
              if (from === to) continue;
              g.count++;
              if (g.samples.length < SAMPLES) g.samples.push({ from, to, ports: h.ports, otherEnd: h.otherEnd });
            }
          }
        }
      }
    }
  }
  return out;
}

/** The findings of one side's groups, in the order the groups were found. */
function findings(ctx: LintContext, groups: Groups, side: Direction): RuleFinding[] {
  return [...groups.values()].map(({ policy, ruleIndex, peer, samples, count }) => {
    const pairs = samples.map((g) => {
      const end = side === Direction.EGRESS ? g.to : g.from;
      return (
        `${ctx.podName(g.from)} -> ${ctx.podName(g.to)} on ${g.ports} (${ctx.podName(end)} is isolated for ` +
        `${side === Direction.EGRESS ? 'ingress' : 'egress'} by ${g.otherEnd.join(', ')})`
      );
    });
    const listed = count > SAMPLES ? `${pairs.join(', ')} and ${count - SAMPLES} more` : listText(pairs);
    const message =
      side === Direction.EGRESS
        ? `this egress rule allows connections that the destination's ingress does not admit, so they are dropped: ${listed}`
        : `this ingress rule admits connections that the source's egress does not allow, so they are never made: ${listed}`;
    const fix =
      side === Direction.EGRESS
        ? 'admit the source in an ingress rule of a policy that selects the destination (Tier.allowTo writes both ends), or remove this peer'
        : 'allow the destination in an egress rule of a policy that selects the source (Tier.allowFrom writes both ends), or remove this peer';
    return { object: policyObject(policy), path: peerPath(side, ruleIndex, peer), message, fix };
  });
}
