/**
 * The package root, `cdk8s-netpol`: the constructs, the values they take and the environments
 * that parameterize them. This surface is shaped for jsii (enums, `I`-interfaces, struct props,
 * no generics or third-party types), so that other languages can use it as it is; the analyzer,
 * the checks, the jest matchers and the synthesis helpers are TypeScript-only subpaths:
 * `cdk8s-netpol/analysis`, `cdk8s-netpol/check`, `cdk8s-netpol/testing`, `cdk8s-netpol/synth`
 * and `cdk8s-netpol/plugin`.
 */

// values
export { Protocol, Port } from './model/port';
export { Direction } from './model/rule';
export { PeerKind, Peer } from './model/peer';
export type { RawPeerOptions } from './model/peer';
export { Cidr, IpBlock } from './model/cidr';
export type { CidrParseOptions } from './model/cidr';
export { SelectorOperator, LabelSelector } from './model/selector';
export type { Labels, SelectorExpression } from './model/selector';

// ClusterNetworkPolicy values
export { ClusterTier } from './model/cluster-policy';
export { ClusterSubject } from './model/cluster-subject';
export { ClusterPeerKind, ClusterPeer } from './model/cluster-peer';
export { ClusterRuleAction, ClusterRule } from './model/cluster-rule';
export type { ClusterRuleProps, ClusterRuleOptions } from './model/cluster-rule';
export { DomainName } from './model/domain-name';

// constructs
export { PolicyConstruct } from './constructs/policy-construct';
export type { PolicyConstructProps } from './constructs/policy-construct';
export { DefaultDeny } from './constructs/default-deny';
export type { DefaultDenyProps } from './constructs/default-deny';
export { AllowDns } from './constructs/allow-dns';
export type { AllowDnsProps, DnsOptions } from './constructs/allow-dns';
export { Tier } from './constructs/tier';
export type { AllPodsTierProps, TierProps } from './constructs/tier';
export { ExternalDatabase } from './constructs/external-database';
export type { ExternalDatabaseProps } from './constructs/external-database';

// constructs for cluster administrators
export { ClusterNetworkPolicy } from './constructs/cluster-network-policy';
export type { ClusterNetworkPolicyProps } from './constructs/cluster-network-policy';
export { BaselineDefaultDeny } from './constructs/baseline-default-deny';
export type { BaselineDefaultDenyProps } from './constructs/baseline-default-deny';
export { DenyCloudMetadata } from './constructs/deny-cloud-metadata';
export type { DenyCloudMetadataProps } from './constructs/deny-cloud-metadata';
export { AllowMonitoring } from './constructs/allow-monitoring';
export type { AllowMonitoringProps } from './constructs/allow-monitoring';
export { DelegateNamespace } from './constructs/delegate-namespace';
export type { DelegateNamespaceProps } from './constructs/delegate-namespace';
export { AllowDomains } from './constructs/allow-domains';
export type { AllowDomainsProps } from './constructs/allow-domains';

// environments
export { Environment } from './env/environment';
export type { ExtrasError, ExtrasIssue, ExtrasParseResult, IExtrasSchema, LoadOptions } from './env/environment';
export type { DnsSettings, DatabaseParams } from './env/settings';
export type { TerraformOptions } from './env/terraform';
export type { ConfigMapOptions } from './env/configmap';
