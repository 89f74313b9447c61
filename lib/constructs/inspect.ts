/**
 * Reading the model back out of a construct tree, without a YAML round trip: the policies an
 * App renders, and the tiers and DNS allowances that name its pods. The analyzer and the jest
 * matchers start here.
 */
import { IConstruct } from 'constructs';
import { ClusterPolicy } from '../model/cluster-policy';
import { Policy } from '../model/policy';
import { AllowDns } from './allow-dns';
import { ClusterNetworkPolicy } from './cluster-network-policy';
import { PolicyConstruct } from './policy-construct';
import { Tier } from './tier';

/** What the constructs of an App say, as model values. */
export interface ConstructModel {
  /** Every policy the App renders, in construct order. */
  readonly policies: Policy[];
  /** Every ClusterNetworkPolicy the App renders (with its priority resolved), in construct order. */
  readonly clusterPolicies: ClusterPolicy[];
  /** Every tier of the App, in construct order. */
  readonly tiers: Tier[];
  /** Every DNS allowance of the App. */
  readonly dns: AllowDns[];
}

/**
 * The model of the whole App that `scope` belongs to (isolation is namespace-wide, so a chart
 * alone does not tell what its pods may do).
 */
export function constructModel(scope: IConstruct): ConstructModel {
  const policies: Policy[] = [];
  const clusterPolicies: ClusterPolicy[] = [];
  const tiers: Tier[] = [];
  const dns: AllowDns[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (c instanceof PolicyConstruct) {
      const p = c.toPolicy();
      if (p) policies.push(p);
    }
    if (ClusterNetworkPolicy.isClusterNetworkPolicy(c)) {
      const p = c.toClusterPolicy();
      if (p) clusterPolicies.push(p);
    }
    if (Tier.isTier(c)) tiers.push(c);
    if (AllowDns.isAllowDns(c)) dns.push(c);
  }
  return { policies, clusterPolicies, tiers, dns };
}
