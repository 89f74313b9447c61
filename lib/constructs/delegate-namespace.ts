/**
 * `DelegateNamespace`: the traffic of a namespace is left to its own NetworkPolicies (and the
 * Baseline tier): an Admin tier Pass for all of it.
 */
import { Construct } from 'constructs';
import { ClusterPeer } from '../model/cluster-peer';
import { ClusterTier } from '../model/cluster-policy';
import { ClusterRule } from '../model/cluster-rule';
import { ClusterSubject } from '../model/cluster-subject';
import { toDnsLabel } from '../model/names';
import { LabelSelector, Labels } from '../model/selector';
import { ClusterNetworkPolicy } from './cluster-network-policy';
import { deferErrors } from './private/errors';

/** Properties of `DelegateNamespace`: one of `namespace` and `namespaces`. */
export interface DelegateNamespaceProps {
  /** The namespace, by name. @default - give `namespaces` */
  readonly namespace?: string;
  /** The namespaces, by labels. @default - give `namespace` */
  readonly namespaces?: Labels | LabelSelector;
  /**
   * Admin policies with a lower priority number are still evaluated for the namespace's
   * traffic; those after it are skipped.
   * @default - allocated in creation order (see `ClusterNetworkPolicyProps.priority`)
   */
  readonly priority?: number;
  /** @default - the construct id in DNS-1123 form */
  readonly policyName?: string;
}

/**
 * An Admin tier ClusterNetworkPolicy that passes all ingress and egress of the namespace's pods
 * on to the next tier: the rest of the Admin tier is skipped for that traffic, the namespace's
 * NetworkPolicies decide for the pods they select, the Baseline tier for the others.
 *
 * @example
 * new DelegateNamespace(chart, 'delegate-team-a', { namespace: 'team-a', priority: 5 });
 */
export class DelegateNamespace extends Construct {
  /** The ClusterNetworkPolicy it renders. */
  public readonly policy: ClusterNetworkPolicy;

  constructor(scope: Construct, id: string, props: DelegateNamespaceProps) {
    super(scope, id);
    if ((props.namespace === undefined) === (props.namespaces === undefined)) {
      this.node.addValidation({ validate: () => ['namespace: give either namespace (a name) or namespaces (labels)'] });
    }
    const subject =
      deferErrors(this, props.namespace !== undefined ? 'namespace' : 'namespaces', () =>
        props.namespace !== undefined ? ClusterSubject.namespace(props.namespace) : ClusterSubject.namespaces(props.namespaces ?? {}),
      ) ?? ClusterSubject.allPods();
    this.policy = new ClusterNetworkPolicy(this, 'Policy', {
      tier: ClusterTier.ADMIN,
      subject,
      priority: props.priority,
      policyName: props.policyName ?? toDnsLabel(id) ?? id,
      ingress: [ClusterRule.pass([ClusterPeer.allPods()], { name: 'delegate-ingress' })],
      egress: [ClusterRule.pass([ClusterPeer.allPods(), ClusterPeer.anyAddress()], { name: 'delegate-egress' })],
    });
  }
}
