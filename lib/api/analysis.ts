/**
 * `cdk8s-netpol/analysis`: the offline analyzer and everything around it, in TypeScript —
 * the policy model, reading manifests, reachability and explanations, the semantic diff, and
 * the reports `netpol reach`, `netpol diagram` and `netpol diff` print.
 */

// the error every check throws
export { NetpolError } from '../model/errors';
export type { Issue } from '../model/errors';

// the policy model
export { Policy } from '../model/policy';
export type { PolicyProps, PolicyOfOptions, Origin } from '../model/policy';
export { Rule } from '../model/rule';
export type { Labels } from '../model/selector';
export { NAMESPACE_NAME_LABEL } from '../model/selector';
export { parseIp, formatIp } from '../model/cidr';
export type { IpAddress, IpFamily } from '../model/cidr';
export { namespace, workloadId, resolvePort, portsKnown } from '../model/cluster';
export type { Cluster, ContainerPort, Namespace, Owner, Workload } from '../model/cluster';
export { Condition } from '../model/condition';
export type { ChoiceFact, End, EndNames, Fact, NamespaceLabelsFact, PodIpFact } from '../model/condition';
export { Reach } from '../model/reach';
export type { Dependency, PortName, Verdict } from '../model/reach';
export { AddressRange } from '../model/address-range';
export type { AddressInterval } from '../model/address-range';
export type { IpBlockPods, PeerMatch, PodAddressing } from '../model/peer';
export {
  ClusterPolicy,
  CLUSTER_NETWORK_POLICY_API_VERSION,
  MIN_CLUSTER_PRIORITY,
  MAX_CLUSTER_PRIORITY,
  MAX_CLUSTER_RULES,
} from '../model/cluster-policy';
export type { ClusterPolicyProps, ClusterPolicyOfOptions } from '../model/cluster-policy';
export {
  samePriorityConflicts,
  clusterRulesMayOverlap,
  clusterPeersMayOverlap,
  clusterSubjectsMayOverlap,
  selectorsMayOverlap,
} from '../model/cluster-policy-overlap';
export type { SamePriorityConflict } from '../model/cluster-policy-overlap';
export { DOMAIN_NAME_PATTERN } from '../model/domain-name';
export type { ClusterNode } from '../model/node';
export { constructModel } from '../constructs/inspect';
export type { ConstructModel } from '../constructs/inspect';

// reading manifests
export { readManifests, readPolicies, readCluster } from '../io/manifests';
export type { Manifests, ManifestReadOptions } from '../io/manifests';
export { policyFromObject } from '../io/policy-reader';
export type { PolicyReadOptions } from '../io/policy-reader';
export { workloadFromObject, namespaceFromObject } from '../io/workload-reader';
export type { WorkloadReadOptions } from '../io/workload-reader';
export { clusterPolicyFromObject, nodeFromObject } from '../io/cluster-policy-reader';
export type { ClusterPolicyReadOptions } from '../io/cluster-policy-reader';

// rendering
export { policyToObject } from '../render/policy-object';
export type { NetworkPolicyObject } from '../render/policy-object';
export { clusterPolicyToObject } from '../render/cluster-policy-object';
export type { ClusterNetworkPolicyObject } from '../render/cluster-policy-object';
export { renderApp, toYaml } from '../render/synth';
export type { RenderedChart } from '../render/synth';

// reachability
export { analyze, Analysis } from '../analysis/analysis';
export type { AnalyzeOptions, WorkloadClass } from '../analysis/analysis';
export type { ReachabilityMatrix } from '../analysis/matrix';
export { ConnectionSet } from '../model/connection-set';
export type { PortRange } from '../model/connection-set';
export type { Connection, DomainEndpoint, Endpoint, ExternalEndpoint, WorkloadEndpoint } from '../analysis/endpoint';
export type { DirectionVerdict, Explanation, RuleVerdict, TieredExplanation } from '../analysis/explanation';
export type { TierDecision } from '../analysis/private/tiers';
export { parseProbes } from '../analysis/probe';
export type { Probe } from '../analysis/probe';
export { clusterPicture, inferCluster, OTHER_NAMESPACES, OTHER_PODS } from '../analysis/picture';
export type { ClusterPictureOptions, InferClusterOptions, NamedGroup } from '../analysis/picture';
export { diffPolicies, diffAnalyses } from '../analysis/diff';
export type {
  ConnectivityDiff,
  DiffClusterPolicies,
  DiffEndpoint,
  DiffOptions,
  FlowChange,
  FlowChangeKind,
  PolicyChange,
} from '../analysis/diff';

// reports
export { formatReachability, reachChunks, REACH_DETAILS, GROUP_ABOVE } from '../report/reach';
export type { ReachDetail, ReachFormat, ReachFormatOptions, ReachReport } from '../report/reach';
export { formatConnectionsTable, formatProbeTable } from '../report/table';
export { connectionsJson, probesJson } from '../report/json';
export type { ConnectionResult, DependentConnections, GroupJson, ProbeResult } from '../report/json';
export { dependentConnections, formatNpGuard } from '../report/np-guard';
export { renderDiagram, buildDiagram, formatDiagram, DIAGRAM_FORMATS, DIAGRAM_FOLDS, DEFAULT_MAX_GROUPS } from '../report/diagram';
export type {
  Diagram,
  DiagramFold,
  DiagramFolding,
  DiagramFormat,
  DiagramOptions,
  FormatDiagramOptions,
  RenderDiagramOptions,
} from '../report/diagram';
export { formatDiff, diffChunks, DIFF_FORMATS } from '../report/diff';
export type { DiffFormat, DiffFormatOptions } from '../report/diff';
