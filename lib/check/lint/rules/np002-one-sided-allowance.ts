/**
 * NP002: a connection allowed at one end only. Egress from A names B while B's ingress is
 * isolated and does not admit A (or the reverse), so the packets are dropped at the other end.
 */
import { ConnectionSet } from '../../../model/connection-set';
import { Endpoint } from '../../../analysis/endpoint';
import { RuleVerdict } from '../../../analysis/explanation';
import { Workload } from '../../../model/cluster';
import { Peer } from '../../../model/peer';
import { PROTOCOLS } from '../../../model/port';
import { Direction } from '../../../model/rule';
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
    return [...oneSided(ctx, Direction.EGRESS), ...oneSided(ctx, Direction.INGRESS)];
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

/**
 * Findings for rules of `side`: egress rules allowing what the destination's ingress does not
 * admit, or ingress rules admitting what the source's egress does not allow.
 */
function oneSided(ctx: LintContext, side: Direction): RuleFinding[] {
  const both = ctx.analysis('both');
  const groups = new Map<string, { verdict: RuleVerdict; peer: number; samples: Gap[]; count: number }>();
  const endpoint = (workload: Workload): Endpoint => ({ type: 'workload', workload });
  // Workloads of one class of the full analysis are alike for every policy (and so for each
  // side alone): one pair of representatives answers for all pairs of two classes.
  const classes = both.classes;
  for (const ca of classes) {
    const a = ca.workloads[0];
    if (ctx.isolating(a, Direction.EGRESS).length === 0) continue;
    for (const cb of classes) {
      const b = ca === cb ? cb.workloads[1] : cb.workloads[0];
      if (!b || ctx.isolating(b, Direction.INGRESS).length === 0) continue;
      // What one end allows for sure and the other surely does not: where the other end's answer
      // depends on something unknown (a named port, namespace labels, a pod IP), it may admit it.
      const out = both.sideReach(Direction.EGRESS, endpoint(a), endpoint(b));
      const into = both.sideReach(Direction.INGRESS, endpoint(a), endpoint(b));
      const gap = side === Direction.EGRESS ? out.allowed.subtract(into.possible) : into.allowed.subtract(out.possible);
      if (gap.isEmpty) continue;
      for (const h of namingRules(ctx, a, b, gap, side)) {
        const gkey = `${h.verdict.policy.id}|${h.verdict.ruleIndex}|${h.peer}`;
        let g = groups.get(gkey);
        if (!g) groups.set(gkey, (g = { verdict: h.verdict, peer: h.peer, samples: [], count: 0 }));
        for (const from of ca.workloads) {
          for (const to of cb.workloads) {
            if (from === to) continue;
            g.count++;
            if (g.samples.length < SAMPLES) g.samples.push({ from, to, ports: h.ports, otherEnd: h.otherEnd });
          }
        }
      }
    }
  }
  return [...groups.values()].map(({ verdict, peer, samples, count }) => {
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
    return { object: policyObject(verdict.policy), path: peerPath(side, verdict.ruleIndex, peer), message, fix };
  });
}

/**
 * The rules of `side` that name the other end by a pod selector and allow part of `gap`,
 * found by explaining one port of each range of the gap.
 */
function namingRules(ctx: LintContext, a: Workload, b: Workload, gap: ConnectionSet, side: Direction) {
  const both = ctx.analysis('both');
  const found = new Map<string, { verdict: RuleVerdict; peer: number; ports: ConnectionSet; otherEnd: string[] }>();
  for (const protocol of PROTOCOLS) {
    for (const [first, last] of gap.ranges(protocol)) {
      const explanation = both.explain({ type: 'workload', workload: a }, { type: 'workload', workload: b }, first, protocol);
      const mine = side === Direction.EGRESS ? explanation.egress : explanation.ingress;
      const other = side === Direction.EGRESS ? explanation.ingress : explanation.egress;
      for (const verdict of mine.rules) {
        if (!verdict.allows || verdict.matchingPeers === 'any') continue;
        const peer = verdict.matchingPeers.find((i) => namesPods(verdict.rule.peers[i]));
        if (peer === undefined) continue;
        const key = `${verdict.policy.id}|${verdict.ruleIndex}|${peer}`;
        const range = ConnectionSet.range(protocol, first, last);
        const prev = found.get(key);
        found.set(key, { verdict, peer, ports: prev ? prev.ports.union(range) : range, otherEnd: other.isolatedBy.map((p) => p.id) });
        break;
      }
    }
  }
  return [...found.values()].map((f) => ({ ...f, ports: f.ports.intersect(gap) }));
}

/** True if the peer selects pods by label (not a whole namespace, not addresses). */
function namesPods(peer: Peer): boolean {
  return peer.podSelector !== undefined && !peer.podSelector.isEmpty;
}
