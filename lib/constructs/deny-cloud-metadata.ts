/**
 * `DenyCloudMetadata`: no pod reaches the cloud's instance metadata service, where node
 * credentials live. An Admin tier deny, so no NetworkPolicy can reopen it.
 */
import { Construct } from 'constructs';
import { ClusterPeer } from '../model/cluster-peer';
import { ClusterTier } from '../model/cluster-policy';
import { ClusterRule } from '../model/cluster-rule';
import { ClusterSubject } from '../model/cluster-subject';
import { toDnsLabel } from '../model/names';
import { ClusterNetworkPolicy } from './cluster-network-policy';
import { deferErrors } from './private/errors';

/** Properties of `DenyCloudMetadata`. */
export interface DenyCloudMetadataProps {
  /**
   * The addresses to deny, as CIDRs (e.g. add `100.100.100.200/32` on Alibaba Cloud).
   * @default DenyCloudMetadata.DEFAULT_ADDRESSES: 169.254.169.254/32 and fd00:ec2::254/128
   */
  readonly addresses?: string[];
  /** The pods to deny it to. @default - every pod (host-networked pods are never subject) */
  readonly subject?: ClusterSubject;
  /** @default - allocated in creation order (see `ClusterNetworkPolicyProps.priority`) */
  readonly priority?: number;
  /** @default - the construct id in DNS-1123 form */
  readonly policyName?: string;
}

/**
 * An Admin tier ClusterNetworkPolicy that denies egress to the cloud metadata addresses, on
 * every port, for every pod. Host-networked pods (node agents that need the metadata service)
 * are never the subject of a ClusterNetworkPolicy, so they keep it.
 *
 * @example
 * new DenyCloudMetadata(chart, 'deny-cloud-metadata');
 */
export class DenyCloudMetadata extends Construct {
  /** The metadata service addresses of the major clouds: IPv4 (AWS, GCP, Azure, OCI, ...) and AWS's IPv6 one. */
  public static readonly DEFAULT_ADDRESSES: string[] = Object.freeze(['169.254.169.254/32', 'fd00:ec2::254/128']) as string[];

  /** The ClusterNetworkPolicy it renders. */
  public readonly policy: ClusterNetworkPolicy;

  constructor(scope: Construct, id: string, props: DenyCloudMetadataProps = {}) {
    super(scope, id);
    const peer = deferErrors(this, 'addresses', () => ClusterPeer.networks(props.addresses ?? DenyCloudMetadata.DEFAULT_ADDRESSES));
    this.policy = new ClusterNetworkPolicy(this, 'Policy', {
      tier: ClusterTier.ADMIN,
      subject: props.subject ?? ClusterSubject.allPods(),
      priority: props.priority,
      policyName: props.policyName ?? toDnsLabel(id) ?? id,
      egress: peer ? [ClusterRule.deny([peer], { name: 'deny-cloud-metadata' })] : [],
    });
  }
}
