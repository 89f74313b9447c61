/**
 * NP014: a NetworkPolicy rule whose every connection an Admin ClusterNetworkPolicy denies first,
 * so that the allowance it writes can never take effect.
 */
import { Endpoint } from '../../../analysis/endpoint';
import { ConnectionSet } from '../../../model/connection-set';
import { PeerKind, peerMatchesPod } from '../../../model/peer';
import { Direction } from '../../../model/rule';
import { ClusterRuleAction } from '../../../model/cluster-rule';
import { ClusterTier } from '../../../model/cluster-policy';
import { directionWord, listText, policyObject, rulePath, rulesOf } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP014 denied-by-admin. */
export const NP014: LintRule = {
  id: 'NP014',
  name: 'denied-by-admin',
  severity: 'warning',
  cause: 'A NetworkPolicy rule allows only connections that an Admin ClusterNetworkPolicy denies first.',
  explanation:
    'The Admin tier of ClusterNetworkPolicy is evaluated before NetworkPolicy, and its Deny is final: what it denies, no NetworkPolicy can allow. ' +
    'A NetworkPolicy rule whose every connection such a Deny matches has no effect; either the rule is ' +
    'stale, or the team that wrote it expects a flow the cluster administrators have closed. ' +
    'The rule is checked against every pod the policy selects and every peer it matches for sure.',
  fix: 'Remove the rule, or ask the cluster administrators for an Admin Accept or Pass before their Deny for this flow.',
  check(ctx) {
    if (ctx.clusterPolicies.length === 0) return [];
    const a = ctx.analysis('both');
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      for (const { direction, index, rule } of rulesOf(p)) {
        if (!p.isolates(direction)) continue;
        const subjects = ctx.pods.filter((w) => p.selects(w));
        let opens = 0;
        let moot = true;
        for (const s of subjects) {
          const self: Endpoint = { type: 'workload', workload: s };
          const others: Endpoint[] = [];
          for (const o of ctx.pods) {
            if (o === s) continue;
            const end = direction === Direction.INGRESS ? 'source' : 'destination';
            const matches =
              rule.anyPeer ||
              rule.peers.some((peer) => peerMatchesPod(peer, end, p.namespace, o, ctx.namespace(o.namespace), a.addressing) === true);
            if (matches) others.push({ type: 'workload', workload: o });
          }
          if (direction === Direction.EGRESS) {
            const blocks = rule.peers.filter((peer) => peer.kind === PeerKind.IP_BLOCK).map((peer) => peer.ipBlock!);
            for (const range of a.externalDestinations) {
              if (rule.anyPeer || blocks.some((b) => range.isInside(b))) others.push({ type: 'external', range });
            }
          }
          for (const o of others) {
            const destination = direction === Direction.EGRESS ? o : self;
            const ports: ConnectionSet = rule.portReach(destination.type === 'workload' ? destination.workload : undefined).allowed;
            if (ports.isEmpty) continue;
            opens++;
            const denied =
              direction === Direction.EGRESS ? a.deniedByAdmin(self, o, Direction.EGRESS) : a.deniedByAdmin(o, self, Direction.INGRESS);
            if (!ports.subtract(denied).isEmpty) {
              moot = false;
              break;
            }
          }
          if (!moot) break;
        }
        if (opens === 0 || !moot) continue;
        const admins = ctx.clusterPolicies
          .filter(
            (c) =>
              c.tier === ClusterTier.ADMIN &&
              c.rules(direction).some((r) => r.action === ClusterRuleAction.DENY) &&
              subjects.some((w) => !w.hostNetwork && c.subject.selects(ctx.namespace(w.namespace).labels, w.labels)),
          )
          .map((c) => c.name);
        out.push({
          object: policyObject(p),
          path: rulePath(direction, index),
          message:
            `every connection that ${directionWord(direction)} rule ${index} allows is denied first by the ` +
            `Admin tier (${listText(admins)}), so the rule has no effect`,
        });
      }
    }
    return out;
  },
};
