/**
 * NP018: a namespace written on a ClusterNetworkPolicy, a cluster-scoped object: the API server
 * drops it, and the policy applies wherever its subject selects pods.
 */
import { clusterPolicyObject } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP018 namespace-on-cluster-policy. */
export const NP018: LintRule = {
  id: 'NP018',
  name: 'namespace-on-cluster-policy',
  severity: 'warning',
  cause: 'A ClusterNetworkPolicy has metadata.namespace, but it is cluster-scoped.',
  explanation:
    'ClusterNetworkPolicy is a cluster-scoped object: the API server ignores a namespace written on it, ' +
    'and the policy applies to the pods its subject selects in every namespace. ' +
    'A namespace there usually means the author expected the policy to be limited to that namespace, which it is not.',
  fix:
    'Remove metadata.namespace; to limit the policy to a namespace, select it in the subject ' +
    '(namespaces: {matchLabels: {kubernetes.io/metadata.name: <name>}}).',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const c of ctx.clusterPolicies) {
      const ns = ctx.writtenNamespace(c);
      if (ns === undefined) continue;
      out.push({
        object: clusterPolicyObject(c),
        path: 'metadata.namespace',
        message:
          `namespace "${ns}" is written on a cluster-scoped object and is ignored: the policy applies to ` +
          `${c.subject} in every namespace, not only in ${ns}`,
        fix: `remove metadata.namespace; to limit the policy to ${ns}, use subject namespaces: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}`,
      });
    }
    return out;
  },
};
