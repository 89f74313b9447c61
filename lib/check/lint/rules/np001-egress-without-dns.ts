/**
 * NP001: pods whose egress is isolated, with no policy allowing them DNS.
 */
import { Workload } from '../../../model/cluster';
import { Policy } from '../../../model/policy';
import { Port } from '../../../model/port';
import { listText, policyObject } from '../private/policy-paths';
import { ruleAllowsPort } from '../private/ports';
import { LintRule, RuleFinding } from '../rule';
import { Direction, Rule } from '../../../model/rule';

/** NP001 egress-without-dns. */
export const NP001: LintRule = {
  id: 'NP001',
  name: 'egress-without-dns',
  severity: 'error',
  cause: 'Pods whose egress is isolated are not allowed DNS, so they cannot resolve names.',
  explanation:
    'Once a policy that selects a pod lists Egress, only what some policy allows may leave the pod, and DNS queries to the cluster DNS are no exception. ' +
    'Without an egress rule on UDP and TCP 53 (or the DNS port of the environment) every name lookup ' +
    'times out, which usually shows up as a connection error to a service that is in fact reachable. ' +
    'The peer does not matter here: any egress rule that holds the DNS ports counts.',
  fix: 'Allow egress on UDP and TCP 53 to the cluster DNS (kube-system pods k8s-app=kube-dns), e.g. with AllowDns.',
  check(ctx) {
    const dnsPorts = ctx.options.dnsPorts;
    const groups = new Map<string, { policy: Policy; pods: Workload[]; allowed: Port[]; missing: Port[] }>();
    // Whether a rule lets each DNS port through, asked once per rule: many pods share their policies.
    const answers = new Map<Rule, boolean[]>();
    const allows = (r: Rule, i: number): boolean => {
      let a = answers.get(r);
      if (!a) answers.set(r, (a = dnsPorts.map((d) => ruleAllowsPort(r, d.protocol, d.port as number, ctx.known))));
      return a[i];
    };
    for (const pod of ctx.pods) {
      const isolating = ctx.isolating(pod, Direction.EGRESS);
      if (isolating.length === 0) continue;
      const allowed = dnsPorts.filter((_, i) => isolating.some((p) => p.egress.some((r) => allows(r, i))));
      if (allowed.length === dnsPorts.length) continue;
      const missing = dnsPorts.filter((d) => !allowed.includes(d));
      const key = `${isolating[0].id}|${missing.join(',')}`;
      const g = groups.get(key);
      if (g) g.pods.push(pod);
      else groups.set(key, { policy: isolating[0], pods: [pod], allowed, missing });
    }
    return [...groups.values()].map((g): RuleFinding => {
      const who = listText(g.pods.map((w) => ctx.podName(w)));
      const ports = (ps: readonly Port[]) => ps.map(String).join(', ');
      const message =
        g.allowed.length === 0
          ? `this policy isolates the egress of ${who}, and no policy allows ` +
            `${g.pods.length === 1 ? 'it' : 'them'} DNS (${ports(g.missing)}), so name lookups fail`
          : `this policy isolates the egress of ${who}, and the policies allow DNS on ${ports(g.allowed)} but ` +
            `not on ${ports(g.missing)}, so lookups over ${ports(g.missing)} time out`;
      return {
        object: policyObject(g.policy),
        path: 'spec.policyTypes',
        message,
        fix: `allow egress on ${ports(dnsPorts)} to the cluster DNS for these pods (e.g. AllowDns in namespace ${g.policy.namespace})`,
      };
    });
  },
};
