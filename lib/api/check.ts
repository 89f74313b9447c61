/**
 * `cdk8s-netpol/check`: `netpol validate` (what the API server would reject) and `netpol lint`
 * (the mistakes people make) as functions, with their formatters.
 */

export { NetpolError } from '../model/errors';
export type { Issue } from '../model/errors';

// validate
export { validateNetworkPolicy, NETWORK_POLICY_API_VERSION } from '../check/validate/network-policy';
export { validateClusterNetworkPolicy, celIsCidr } from '../check/validate/cluster-network-policy';
export type { ClusterNetworkPolicyChannel } from '../check/validate/cluster-network-policy';
export type { ValidationIssue, ValidateOptions } from '../check/validate/issue';
export { validateFiles, formatValidationText, formatValidationSummary, isClusterNetworkPolicyDocument } from '../check/validate/files';
export type { PolicyValidationResult, ValidateFilesOptions, ValidateFilesResult } from '../check/validate/files';

// lint
export { lint } from '../check/lint/engine';
export type { LintOptions } from '../check/lint/engine';
export { lintFiles } from '../check/lint/files';
export type { LintFilesOptions } from '../check/lint/files';
export { lintApp } from '../check/lint/app';
export { SEVERITIES, failsAt } from '../check/lint/finding';
export type { FailOn, Finding, FindingLocation, LintObject, Severity, Suppression } from '../check/lint/finding';
export type { LintRule } from '../check/lint/rule';
export { RULES } from '../check/lint/rules';
export { DATABASE_PORTS } from '../check/lint/private/ports';
export { SUPPRESS_ANNOTATION } from '../check/lint/suppression';
export { formatText } from '../check/lint/format/text';
export type { TextFormatOptions } from '../check/lint/format/text';
export { formatJson, toJsonReport } from '../check/lint/format/json';
export type { JsonFinding, JsonReport } from '../check/lint/format/json';
export { formatSarif, toSarif } from '../check/lint/format/sarif';
export type { SarifLog } from '../check/lint/format/sarif';
export { rulesMarkdown } from '../check/lint/format/rules-table';
