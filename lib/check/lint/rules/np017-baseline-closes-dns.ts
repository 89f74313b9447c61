/**
 * NP017: a Baseline Deny that leaves pods it applies to without DNS, because no NetworkPolicy
 * isolates them (which would decide instead) and nothing before the Deny accepts DNS.
 */
import { ClusterRuleAction } from '../../../model/cluster-rule';
import { ClusterTier } from '../../../model/cluster-policy';
import { Direction } from '../../../model/rule';
import { clusterPolicyObject, clusterSubjectPods, listText } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP017 baseline-closes-dns. */
export const NP017: LintRule = {
  id: 'NP017',
  name: 'baseline-closes-dns',
  severity: 'error',
  cause: 'A Baseline ClusterNetworkPolicy denies egress so that pods it applies to reach no DNS server.',
  explanation:
    'The Baseline tier decides for pods that no NetworkPolicy isolates; a Baseline default deny for ' +
    'egress closes their DNS queries too, unless a rule before the Deny accepts them. ' +
    'Without DNS every name lookup times out, which shows up as connection errors to services that are in fact reachable. ' +
    'The check asks, for every pod the policy applies to and no NetworkPolicy isolates for egress, ' +
    'whether any destination (pod or address) is reachable on the DNS ports.',
  fix: 'Accept DNS (UDP and TCP 53 to the cluster DNS) in a Baseline rule before the Deny, e.g. BaselineDefaultDeny with dns, or in an Admin rule.',
  check(ctx) {
    const out: RuleFinding[] = [];
    const baselines = ctx.clusterPolicies.filter(
      (c) => c.tier === ClusterTier.BASELINE && c.egress.some((r) => r.action === ClusterRuleAction.DENY),
    );
    if (baselines.length === 0) return out;
    const a = ctx.analysis('both');
    const dns = ctx.options.dnsPorts;
    const closed = new Map<string, boolean>();
    const noDns = (w: (typeof ctx.pods)[number]): boolean => {
      const key = `${w.namespace}/${w.name}/${w.kind}`;
      let v = closed.get(key);
      if (v === undefined) {
        const from = { type: 'workload' as const, workload: w };
        const open =
          ctx.pods.some(
            (o) =>
              o !== w &&
              dns.some((d) => a.verdict(from, { type: 'workload', workload: o }, d.port as number, d.protocol).value !== 'denied'),
          ) ||
          a.externalDestinations.some((range) =>
            dns.some((d) => a.verdict(from, { type: 'external', range }, d.port as number, d.protocol).value !== 'denied'),
          );
        closed.set(key, (v = !open));
      }
      return v;
    };
    for (const c of baselines) {
      const pods = clusterSubjectPods(ctx, c).filter((w) => ctx.isolating(w, Direction.EGRESS).length === 0 && noDns(w));
      if (pods.length === 0) continue;
      const i = c.egress.findIndex((r) => r.action === ClusterRuleAction.DENY);
      out.push({
        object: clusterPolicyObject(c),
        path: `spec.egress[${i}]`,
        message:
          `${listText(pods.map((w) => ctx.podName(w)))} reach${pods.length === 1 ? 'es' : ''} no DNS server ` +
          `on ${dns.join(', ')}: no NetworkPolicy isolates ${pods.length === 1 ? 'it' : 'them'} for egress, ` +
          `and this Baseline policy denies the queries`,
      });
    }
    return out;
  },
};
