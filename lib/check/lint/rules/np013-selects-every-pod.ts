/**
 * NP013: a policy that allows traffic for every pod of its namespace (an empty podSelector),
 * where a selector was most likely forgotten: `pods: {}` on a Tier selects every pod silently.
 */
import { Direction } from '../../../model/rule';
import { Policy } from '../../../model/policy';
import { LintRule, ResolvedLintOptions, RuleFinding } from '../rule';
import { policyObject } from '../private/policy-paths';

/** NP013 selects-every-pod. */
export const NP013: LintRule = {
  id: 'NP013',
  name: 'selects-every-pod',
  severity: 'warning',
  cause:
    'A policy with allow rules has an empty podSelector, so its rules apply to every pod of its namespace; a selector was probably forgotten.',
  explanation:
    'An empty podSelector selects every pod of the namespace: a Tier written with pods: {} (or a ' +
    'manifest with podSelector: {}) opens what its rules allow to every pod there, ' +
    'and isolates every pod in the directions it covers, which silently changes what all the other workloads of the namespace may do. ' +
    'Default-deny policies (no rules) and policies that only let every pod reach the cluster DNS are namespace-wide by nature and are not reported. ' +
    'Where every pod is meant, say so: Tier.allPods(...) writes the suppression with its reason, and ' +
    'manifests can carry it in the netpol.dev/lint-suppress annotation.',
  fix:
    "Give the policy the selector of the pods it is for (e.g. pods: { app: 'web' }); if it is meant for " +
    'every pod of the namespace, use Tier.allPods or suppress NP013 with the reason.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      if (!p.podSelector.isEmpty) continue;
      const rules = p.ingress.length + p.egress.length;
      if (rules === 0 || onlyDns(p, ctx.options)) continue;
      const counts = [
        p.ingress.length > 0 ? `${p.ingress.length} ingress` : '',
        p.egress.length > 0 ? `${p.egress.length} egress` : '',
      ].filter((x) => x !== '');
      const directions = [Direction.INGRESS, Direction.EGRESS].filter((d) => p.isolates(d)).map((d) => d.toLowerCase());
      out.push({
        object: policyObject(p),
        path: 'spec.podSelector',
        message:
          `the podSelector is empty, so the policy's rules (${counts.join(', ')}) apply to every pod of ` +
          `namespace ${p.namespace} and isolate each of them for ${directions.join(' and ')}; a selector was ` +
          `probably forgotten`,
      });
    }
    return out;
  },
};

/** True if the policy only lets pods out to the DNS ports (an AllowDns), and nothing in. */
function onlyDns(p: Policy, options: ResolvedLintOptions): boolean {
  if (p.ingress.length > 0 || p.egress.length === 0 || p.isolates(Direction.INGRESS)) return false;
  return p.egress.every(
    (r) =>
      !r.anyPort &&
      r.ports.every((port) =>
        options.dnsPorts.some(
          (d) => d.protocol === port.protocol && typeof port.port === 'number' && port.port === d.port && port.endPort === undefined,
        ),
      ),
  );
}
