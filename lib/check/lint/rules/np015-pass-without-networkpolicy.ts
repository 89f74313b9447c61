/**
 * NP015: an Admin Pass rule for pods that no NetworkPolicy isolates in that direction, so what it
 * passes on goes straight to the Baseline tier or is allowed.
 */
import { ClusterRuleAction } from '../../../model/cluster-rule';
import { ClusterTier } from '../../../model/cluster-policy';
import { Direction } from '../../../model/rule';
import { clusterPolicyObject, clusterSubjectPods, directionWord, listText } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP015 pass-without-networkpolicy. */
export const NP015: LintRule = {
  id: 'NP015',
  name: 'pass-without-networkpolicy',
  severity: 'warning',
  cause: 'An Admin Pass rule delegates to NetworkPolicy, but no NetworkPolicy isolates the pods it applies to.',
  explanation:
    'Pass skips the rest of the Admin tier and leaves the connection to the NetworkPolicies of the pod; ' +
    'when none isolates the pod in that direction, the connection goes on to the Baseline tier and, ' +
    'unless a Baseline rule denies it, is allowed. ' +
    'A Pass written to hand a namespace to its own team usually expects that team to have policies; ' +
    'without them the Pass opens what the Admin rules after it would have decided. ' +
    'The finding lists the pods the subject selects, none of which a NetworkPolicy isolates in the direction.',
  fix: 'Add a NetworkPolicy (a default deny at least) for the pods the Pass delegates, or replace the Pass by an Accept or a Deny.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const c of ctx.clusterPolicies) {
      if (c.tier !== ClusterTier.ADMIN) continue;
      const pods = clusterSubjectPods(ctx, c);
      if (pods.length === 0) continue;
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        c.rules(direction).forEach((r, i) => {
          if (r.action !== ClusterRuleAction.PASS) return;
          if (pods.some((w) => ctx.isolating(w, direction).length > 0)) return;
          out.push({
            object: clusterPolicyObject(c),
            path: `spec.${directionWord(direction)}[${i}]`,
            message:
              `${directionWord(direction)} rule ${i} passes to NetworkPolicy, but no NetworkPolicy isolates ` +
              `${listText(pods.map((w) => ctx.podName(w)))} for ${direction}, so what it passes goes to the ` +
              `Baseline tier or is allowed`,
          });
        });
      }
    }
    return out;
  },
};
