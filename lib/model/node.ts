/**
 * Nodes of the cluster, as ClusterNetworkPolicy `nodes` peers see them: a node's labels select
 * it, and a connection matches it when it goes to one of the IP addresses the node reports in
 * `status.addresses` (kubernetes-sigs/network-policy-api, `apis/v1alpha2/clusternetworkpolicy_types.go`,
 * `ClusterNetworkPolicyEgressPeer.Nodes`). Pods with `hostNetwork: true` use their node's
 * addresses, so traffic to them is traffic to a node.
 */
import { IpAddress } from './cidr';
import type { Origin } from './policy';
import { Labels } from './selector';

/** A Node object: its name, labels and IP addresses. */
export interface ClusterNode {
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.labels`, e.g. `kubernetes.io/os: linux`. */
  readonly labels: Labels;
  /**
   * The IP addresses among `status.addresses` (InternalIP, ExternalIP; host names are left out).
   * @default - none known
   */
  readonly addresses: readonly IpAddress[];
  /** @default - unknown */
  readonly origin?: Origin;
}
