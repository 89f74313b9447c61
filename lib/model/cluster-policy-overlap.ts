/**
 * Whether two ClusterNetworkPolicies of one tier and one priority can disagree on a connection.
 * The API leaves the outcome of such a tie undefined ("the implementation can apply any of the
 * matching policies to the connection", kubernetes-sigs/network-policy-api,
 * `apis/v1alpha2/clusternetworkpolicy_types.go`, `ClusterNetworkPolicySpec.Priority`), so
 * constructs refuse it and lint reports it.
 *
 * The check is conservative: "may overlap" is true unless the selectors, addresses, names or
 * ports provably exclude each other. Two policies disagree on a connection only if the first
 * rules that match it in each have different actions, and those two rules then match it both;
 * so it is enough to look at pairs of rules with different actions. Domain names are taken to
 * be outside the cluster (they never name a pod or a node); pod addresses are unknown, so a
 * `networks` peer may match any pod.
 */
import { ClusterPeer, ClusterPeerKind } from './cluster-peer';
import { ClusterPolicy } from './cluster-policy';
import { ClusterRule } from './cluster-rule';
import { ClusterSubject } from './cluster-subject';
import { Port } from './port';
import { LabelSelector } from './selector';

/** Two rules of two same-priority policies that can match one connection with different actions. */
export interface SamePriorityConflict {
  /** The policy that comes first in the list given. */
  readonly first: ClusterPolicy;
  /** The other policy. */
  readonly second: ClusterPolicy;
  /** `ingress` or `egress`. */
  readonly direction: 'ingress' | 'egress';
  /** Index of the rule of `first`. */
  readonly firstRule: number;
  /** Index of the rule of `second`. */
  readonly secondRule: number;
}

/**
 * Every pair of policies of one tier and priority that can decide one connection differently,
 * each pair once (the first pair of rules found, ingress before egress), in list order.
 */
export function samePriorityConflicts(policies: readonly ClusterPolicy[]): SamePriorityConflict[] {
  const out: SamePriorityConflict[] = [];
  for (let i = 0; i < policies.length; i++) {
    for (let j = i + 1; j < policies.length; j++) {
      const a = policies[i];
      const b = policies[j];
      if (a.tier !== b.tier || a.priority !== b.priority || !clusterSubjectsMayOverlap(a.subject, b.subject)) continue;
      const found = firstConflict(a, b);
      if (found) out.push({ first: a, second: b, ...found });
    }
  }
  return out;
}

function firstConflict(a: ClusterPolicy, b: ClusterPolicy): Omit<SamePriorityConflict, 'first' | 'second'> | undefined {
  for (const direction of ['ingress', 'egress'] as const) {
    const ra = a[direction];
    const rb = b[direction];
    for (let x = 0; x < ra.length; x++) {
      for (let y = 0; y < rb.length; y++) {
        if (ra[x].action !== rb[y].action && clusterRulesMayOverlap(ra[x], rb[y])) {
          return { direction, firstRule: x, secondRule: y };
        }
      }
    }
  }
  return undefined;
}

/** True if some connection can match both rules (some peer of each, and some port of each). */
export function clusterRulesMayOverlap(a: ClusterRule, b: ClusterRule): boolean {
  return a.peers.some((p) => b.peers.some((q) => clusterPeersMayOverlap(p, q))) && rulePortsMayOverlap(a, b);
}

/** True if some pod can be in both subjects. */
export function clusterSubjectsMayOverlap(a: ClusterSubject, b: ClusterSubject): boolean {
  return (
    selectorsMayOverlap(a.namespaceSelector, b.namespaceSelector) &&
    selectorsMayOverlap(a.podSelector ?? LabelSelector.all(), b.podSelector ?? LabelSelector.all())
  );
}

/** True if some endpoint can match both peers. */
export function clusterPeersMayOverlap(a: ClusterPeer, b: ClusterPeer): boolean {
  const podLike = (p: ClusterPeer) => p.kind === ClusterPeerKind.NAMESPACES || p.kind === ClusterPeerKind.PODS;
  if (podLike(a) && podLike(b)) {
    return (
      selectorsMayOverlap(a.namespaceSelector!, b.namespaceSelector!) &&
      selectorsMayOverlap(a.podSelector ?? LabelSelector.all(), b.podSelector ?? LabelSelector.all())
    );
  }
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.size === 1) {
    switch (a.kind) {
      case ClusterPeerKind.NODES:
        return selectorsMayOverlap(a.nodeSelector!, b.nodeSelector!);
      case ClusterPeerKind.NETWORKS:
        return a.cidrs.some((c) => b.cidrs.some((d) => c.overlaps(d)));
      case ClusterPeerKind.DOMAIN_NAMES:
        return a.domains.some((c) => b.domains.some((d) => c.overlaps(d)));
    }
  }
  // an address range can hold pods, nodes and the addresses behind a name
  if (kinds.has(ClusterPeerKind.NETWORKS)) return true;
  // pods (not host-networked) are no nodes; names are outside the cluster
  return false;
}

/** True if some port can match both rules. */
function rulePortsMayOverlap(a: ClusterRule, b: ClusterRule): boolean {
  if (a.anyPort || b.anyPort) return true;
  // a name resolves on the destination pod to a port we do not know here
  if (a.namedPorts.length > 0 && b.ports.length > 0) return true;
  if (b.namedPorts.length > 0 && a.ports.length > 0) return true;
  // one container port has one name, so different names are different ports
  if (a.namedPorts.some((n) => b.namedPorts.includes(n))) return true;
  return a.ports.some((p) => b.ports.some((q) => portsOverlap(p, q)));
}

function portsOverlap(a: Port, b: Port): boolean {
  if (a.protocol !== b.protocol) return false;
  const [a1, a2] = bounds(a);
  const [b1, b2] = bounds(b);
  return a1 <= b2 && b1 <= a2;
}

function bounds(p: Port): [number, number] {
  if (typeof p.port !== 'number') return [1, 65535];
  return [p.port, p.endPort ?? p.port];
}

/**
 * True unless no label set can satisfy both selectors: per key, the values each allows must
 * meet (`matchLabels`, In, NotIn), and a key cannot be both required (a value, In, Exists) and
 * forbidden (DoesNotExist).
 */
export function selectorsMayOverlap(a: LabelSelector, b: LabelSelector): boolean {
  const keys = new Set<string>();
  for (const s of [a, b]) {
    for (const k of Object.keys(s.matchLabels)) keys.add(k);
    for (const x of s.matchExpressions) keys.add(x.key);
  }
  for (const key of keys) {
    let mustExist = false;
    let mustNotExist = false;
    let allowed: Set<string> | undefined; // undefined: any value
    const excluded = new Set<string>();
    const restrict = (values: readonly string[]) => {
      allowed = allowed ? new Set(values.filter((v) => allowed!.has(v))) : new Set(values);
    };
    for (const s of [a, b]) {
      if (Object.prototype.hasOwnProperty.call(s.matchLabels, key)) {
        mustExist = true;
        restrict([s.matchLabels[key]]);
      }
      for (const x of s.matchExpressions) {
        if (x.key !== key) continue;
        const values = x.values ?? [];
        if (String(x.operator) === 'In') {
          mustExist = true;
          restrict(values);
        } else if (String(x.operator) === 'NotIn') {
          for (const v of values) excluded.add(v);
        } else if (String(x.operator) === 'Exists') {
          mustExist = true;
        } else if (String(x.operator) === 'DoesNotExist') {
          mustNotExist = true;
        }
      }
    }
    if (mustExist && mustNotExist) return false;
    const finite: Set<string> | undefined = allowed;
    if (finite !== undefined && [...finite].every((v) => excluded.has(v))) return false;
  }
  return true;
}
