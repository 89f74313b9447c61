/**
 * Which pods a policy and its peers select, and what a named port means on a pod: the
 * Kubernetes rules for one pod at a time, for every tool that asks (the explainer, the linter).
 * The analyzer applies the same rules to many pods at once, with bitsets.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
import { Workload } from '../model/cluster';
import { Peer, PeerKind } from '../model/peer';
import { Policy } from '../model/policy';
import { Protocol } from '../model/port';
import { Labels } from '../model/selector';

/** How ipBlock peers treat pods: match their known IPs (Kubernetes) or never match them (np-guard). */
export type IpBlockPods = 'match' | 'ignore';

/** True if the policy applies to the workload: same namespace, and the podSelector matches its labels. */
export function policySelectsWorkload(policy: Policy, workload: Workload): boolean {
  return workload.namespace === policy.namespace && policy.podSelector.matches(workload.labels);
}

/**
 * True if the peer, in a policy of `policyNamespace`, admits pods of `namespace` (whose labels
 * are `namespaceLabels`) as far as namespaces go: every namespace for an empty peer list, the
 * policy's own for a podSelector alone, those a namespaceSelector matches. An ipBlock selects
 * addresses, not namespaces: none.
 */
export function peerSelectsNamespace(peer: Peer, policyNamespace: string, namespace: string, namespaceLabels: Labels): boolean {
  switch (peer.kind) {
    case PeerKind.ANY:
      return true;
    case PeerKind.PODS:
      return namespace === policyNamespace;
    case PeerKind.NAMESPACES:
      return peer.namespaceSelector!.matches(namespaceLabels);
    case PeerKind.IP_BLOCK:
      return false;
  }
}

/**
 * True if the peer, in a policy of `policyNamespace`, matches the workload, whose namespace has
 * the labels `namespaceLabels`: its namespace is admitted (see `peerSelectsNamespace`) and the
 * peer's podSelector, if any, matches its labels. An ipBlock matches a pod by its IPs, unless
 * `ipBlockPods` is `'ignore'`.
 *
 * @example
 * peerSelectsWorkload(Peer.pods({ app: 'web' }), 'shop', web, { 'kubernetes.io/metadata.name': 'shop' });
 */
export function peerSelectsWorkload(
  peer: Peer,
  policyNamespace: string,
  workload: Workload,
  namespaceLabels: Labels,
  ipBlockPods: IpBlockPods = 'match',
): boolean {
  if (peer.kind === PeerKind.IP_BLOCK) return ipBlockPods === 'match' && (workload.ips ?? []).some((ip) => peer.ipBlock!.containsIp(ip));
  return (
    peerSelectsNamespace(peer, policyNamespace, workload.namespace, namespaceLabels) && (peer.podSelector?.matches(workload.labels) ?? true)
  );
}

/**
 * The port a named port resolves to on the destination workload: the first container port
 * with that name and the same protocol (TCP when the container does not say), or undefined.
 */
export function resolveNamedPort(destination: Workload, name: string, protocol: Protocol): number | undefined {
  return destination.ports.find((c) => c.name === name && (c.protocol ?? 'TCP') === protocol)?.containerPort;
}
