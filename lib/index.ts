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

// constructs
export { PolicyConstruct } from './constructs/policy-construct';
export type { PolicyConstructProps } from './constructs/policy-construct';
export { DefaultDeny } from './constructs/default-deny';
export type { DefaultDenyProps } from './constructs/default-deny';
export { AllowDns } from './constructs/allow-dns';
export type { AllowDnsProps, DnsOptions } from './constructs/allow-dns';
export { Tier } from './constructs/tier';
export type { TierProps } from './constructs/tier';
export { ExternalDatabase } from './constructs/external-database';
export type { ExternalDatabaseProps } from './constructs/external-database';

// environments
export { Environment } from './env/environment';
export type { LoadOptions } from './env/environment';
export type { DnsSettings, DatabaseParams } from './env/settings';
export type { TerraformOptions } from './env/terraform';
export type { ConfigMapOptions } from './env/configmap';
