/**
 * Model → Kubernetes: the `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy object of a
 * model `ClusterPolicy`. Cluster-scoped, so no namespace; rules, peers and ports in the order the
 * model holds them (for ClusterNetworkPolicy the order of rules is their precedence), empty rule
 * lists left out, so that output is byte-stable.
 */
import { ClusterPolicy, CLUSTER_NETWORK_POLICY_API_VERSION } from '../model/cluster-policy';
import { Direction } from '../model/rule';

/** The JSON of a ClusterNetworkPolicy. */
export interface ClusterNetworkPolicyObject {
  readonly apiVersion: 'policy.networking.k8s.io/v1alpha2';
  readonly kind: 'ClusterNetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: Record<string, unknown>;
}

/**
 * Renders a cluster policy: `tier`, `priority` and `subject` always, `ingress` and `egress` when
 * they have rules (a policy without rules in a direction does not affect it).
 */
export function clusterPolicyToObject(policy: ClusterPolicy): ClusterNetworkPolicyObject {
  const metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> } = { name: policy.name };
  if (Object.keys(policy.labels).length > 0) metadata.labels = sortedRecord(policy.labels);
  if (Object.keys(policy.annotations).length > 0) metadata.annotations = sortedRecord(policy.annotations);
  const spec: Record<string, unknown> = { tier: policy.tier, priority: policy.priority, subject: policy.subject.toJson() };
  if (policy.ingress.length > 0) spec.ingress = policy.ingress.map((r) => r.toJson(Direction.INGRESS));
  if (policy.egress.length > 0) spec.egress = policy.egress.map((r) => r.toJson(Direction.EGRESS));
  return {
    apiVersion: CLUSTER_NETWORK_POLICY_API_VERSION as 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata,
    spec,
  };
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );
}
