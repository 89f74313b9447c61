/**
 * Model → Kubernetes: the `networking.k8s.io/v1` NetworkPolicy object of a model `Policy`.
 * Keys come in a fixed order and empty lists are left out, so that output is byte-stable.
 */
import { Policy } from '../model/policy';
import { Rule, Direction } from '../model/rule';

/** The JSON of a `networking.k8s.io/v1` NetworkPolicy. */
export interface NetworkPolicyObject {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec: Record<string, unknown>;
}

/**
 * Renders a policy. `policyTypes` is always written; `from`/`to`/`ports` are left out when
 * empty (which Kubernetes reads as "every peer"/"every port"); rules, peers and ports come in
 * the order the model holds them.
 */
export function policyToObject(policy: Policy): NetworkPolicyObject {
  const metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {
    name: policy.name,
    namespace: policy.namespace,
  };
  if (Object.keys(policy.labels).length > 0) metadata.labels = sortedRecord(policy.labels);
  if (Object.keys(policy.annotations).length > 0) metadata.annotations = sortedRecord(policy.annotations);
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: policySpecToObject(policy) };
}

/** The `spec` of `policyToObject(policy)`, without the metadata. */
export function policySpecToObject(policy: Policy): Record<string, unknown> {
  const spec: Record<string, unknown> = { podSelector: policy.podSelector.toJson(), policyTypes: [...policy.policyTypes] };
  if (policy.isolates(Direction.INGRESS) && policy.ingress.length > 0) spec.ingress = policy.ingress.map((r) => ruleToObject(r, 'from'));
  if (policy.isolates(Direction.EGRESS) && policy.egress.length > 0) spec.egress = policy.egress.map((r) => ruleToObject(r, 'to'));
  return spec;
}

function ruleToObject(rule: Rule, peersKey: 'from' | 'to'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!rule.anyPort) {
    out.ports = rule.ports.map((p) => {
      const port: Record<string, unknown> = { protocol: p.protocol };
      if (p.port !== undefined) port.port = p.port;
      if (p.endPort !== undefined) port.endPort = p.endPort;
      return port;
    });
  }
  if (!rule.anyPeer) out[peersKey] = rule.peers.map((p) => p.toJson());
  return out;
}

function sortedRecord(r: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );
}
