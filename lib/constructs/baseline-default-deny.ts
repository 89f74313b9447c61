/**
 * `BaselineDefaultDeny`: the cluster's default flipped from "allow" to "deny", for every
 * namespace or those with a label, while namespace owners keep the last word: a Baseline tier
 * ClusterNetworkPolicy applies only to the pods no NetworkPolicy selects in that direction.
 */
import { Construct } from 'constructs';
import { DnsSettings } from '../env/settings';
import { ClusterPeer } from '../model/cluster-peer';
import { ClusterTier } from '../model/cluster-policy';
import { ClusterRule } from '../model/cluster-rule';
import { ClusterSubject } from '../model/cluster-subject';
import { toDnsLabel } from '../model/names';
import { LabelSelector, Labels } from '../model/selector';
import { ClusterNetworkPolicy } from './cluster-network-policy';
import { dnsAcceptRules } from './private/cluster-values';
import { deferErrors } from './private/errors';

/** Properties of `BaselineDefaultDeny`. */
export interface BaselineDefaultDenyProps {
  /**
   * The namespaces whose pods get the default deny (by their labels).
   * @default - every namespace
   */
  readonly namespaces?: Labels | LabelSelector;
  /** Deny ingress from every pod. @default true */
  readonly ingress?: boolean;
  /** Deny egress to every pod and every address. @default true */
  readonly egress?: boolean;
  /**
   * Where the cluster DNS is (usually `env.dns`): egress to it stays open, an Accept rule before
   * the deny.
   * @default - none: DNS is denied too, for the pods no NetworkPolicy selects for egress
   */
  readonly dns?: DnsSettings;
  /** @default - allocated in creation order (see `ClusterNetworkPolicyProps.priority`) */
  readonly priority?: number;
  /** @default - the construct id in DNS-1123 form */
  readonly policyName?: string;
}

/**
 * A Baseline tier default deny: ingress from every pod and egress to every pod and address are
 * denied for the pods of the selected namespaces that no NetworkPolicy selects in that
 * direction; a NetworkPolicy that selects a pod decides for it instead, so namespace owners open
 * what they need with ordinary NetworkPolicies.
 *
 * ClusterNetworkPolicy ingress rules match pods only: ingress from outside the cluster (load
 * balancers, node addresses) is not denied by this policy.
 *
 * @see https://network-policy-api.sigs.k8s.io/user-stories/
 * @example
 * new BaselineDefaultDeny(chart, 'baseline-deny', { namespaces: { 'netpol.dev/baseline': 'deny' }, dns: env.dns });
 */
export class BaselineDefaultDeny extends Construct {
  /** The ClusterNetworkPolicy it renders. */
  public readonly policy: ClusterNetworkPolicy;

  constructor(scope: Construct, id: string, props: BaselineDefaultDenyProps = {}) {
    super(scope, id);
    const namespaces =
      deferErrors(this, 'namespaces', () =>
        props.namespaces instanceof LabelSelector ? props.namespaces : LabelSelector.of(props.namespaces ?? {}),
      ) ?? LabelSelector.all();
    const ingress = props.ingress ?? true;
    const egress = props.egress ?? true;
    if (!ingress && !egress) {
      this.node.addValidation({
        validate: () => ['ingress, egress: a BaselineDefaultDeny must deny ingress, egress or both; remove the construct to deny nothing'],
      });
    }
    const dns = props.dns && egress ? (deferErrors(this, 'dns', () => dnsAcceptRules(props.dns!)) ?? []) : [];
    this.policy = new ClusterNetworkPolicy(this, 'Policy', {
      tier: ClusterTier.BASELINE,
      subject: ClusterSubject.namespaces(namespaces),
      priority: props.priority,
      policyName: props.policyName ?? toDnsLabel(id) ?? id,
      ingress: ingress ? [ClusterRule.deny([ClusterPeer.allPods()], { name: 'deny-all-ingress' })] : [],
      egress: egress ? [...dns, ClusterRule.deny([ClusterPeer.allPods(), ClusterPeer.anyAddress()], { name: 'deny-all-egress' })] : [],
    });
  }
}
