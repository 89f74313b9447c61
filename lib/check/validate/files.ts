/**
 * Validates every NetworkPolicy and ClusterNetworkPolicy in files and folders, and formats the
 * results the way `netpol validate` prints them: one line per problem,
 * `<file>[#<doc>]: <field path>: <message>`.
 */
import { readManifestDocuments } from '../../io/documents';
import { messageLine } from '../../report/escape';
import { validateClusterNetworkPolicy } from './cluster-network-policy';
import type { ValidateOptions, ValidationIssue } from './issue';
import { validateNetworkPolicy } from './network-policy';
import { suggest } from './private/structure';

/** The verdict on one NetworkPolicy or ClusterNetworkPolicy document. */
export interface PolicyValidationResult {
  /** `NetworkPolicy` or `ClusterNetworkPolicy`. */
  readonly kind: 'NetworkPolicy' | 'ClusterNetworkPolicy';
  /** The file it was read from. */
  readonly file: string;
  /** 0-based index of the YAML document in the file. */
  readonly doc: number;
  /** Index in a List's `items`, when it came from a List. @default - not from a List */
  readonly item?: number;
  /** Where to look, as printed: `file`, `file#1` when the file has several documents, `file#0.items[2]`. */
  readonly location: string;
  /** `metadata.name`, when it is a string. @default - none */
  readonly name?: string;
  /** `metadata.namespace`, when it is a string (ClusterNetworkPolicies have none). @default - none */
  readonly namespace?: string;
  /** Every problem found; empty when the API server would accept the object. */
  readonly issues: readonly ValidationIssue[];
}

/** The verdicts on all NetworkPolicies and ClusterNetworkPolicies found, with totals. */
export interface ValidateFilesResult {
  /** One entry per policy, in file and document order. */
  readonly results: readonly PolicyValidationResult[];
  /** Number of policies checked, of both kinds. */
  readonly checked: number;
  /** Number of policies with at least one issue. */
  readonly invalid: number;
  /** Number of issues in all. */
  readonly errors: number;
  /** Number of other documents (other kinds, other APIs' NetworkPolicy), which are not checked. */
  readonly skipped: number;
}

/** Options of `validateFiles`: the validator's, and the manifest reader's. */
export interface ValidateFilesOptions extends ValidateOptions {
  /**
   * On a YAML syntax error, keep the documents before it, skip the rest of that file, and
   * report a warning instead of failing.
   * @default false - a syntax error throws `NetpolError` naming the file and line
   */
  readonly skipInvalid?: boolean;
  /** Called with each warning of the reader. @default - warnings are dropped */
  readonly onWarning?: (message: string) => void;
}

/**
 * True if a document is meant as a Kubernetes NetworkPolicy: its kind is `NetworkPolicy` in any
 * letter case, and its apiVersion is missing, `networking.k8s.io/...`, `extensions/...` or a
 * near miss of those. Other APIs' NetworkPolicy kinds (Calico's `crd.projectcalico.org/v1`,
 * Antrea's `crd.antrea.io/...`) are not.
 */
export function isNetworkPolicyDocument(obj: Record<string, unknown>): boolean {
  if (typeof obj.kind !== 'string' || obj.kind.toLowerCase() !== 'networkpolicy') return false;
  if (typeof obj.apiVersion !== 'string' || !obj.apiVersion.includes('/')) return true;
  const group = obj.apiVersion.slice(0, obj.apiVersion.indexOf('/'));
  return ['networking.k8s.io', 'extensions', 'networking', ''].includes(group) || suggest(group, ['networking.k8s.io']) !== undefined;
}

/**
 * True if a document is meant as a ClusterNetworkPolicy: its kind is `ClusterNetworkPolicy` in
 * any letter case, and its apiVersion is missing, `policy.networking.k8s.io/...` or a near miss.
 */
export function isClusterNetworkPolicyDocument(obj: Record<string, unknown>): boolean {
  if (typeof obj.kind !== 'string' || obj.kind.toLowerCase() !== 'clusternetworkpolicy') return false;
  if (typeof obj.apiVersion !== 'string' || !obj.apiVersion.includes('/')) return true;
  const group = obj.apiVersion.slice(0, obj.apiVersion.indexOf('/'));
  return group === '' || suggest(group, ['policy.networking.k8s.io']) !== undefined;
}

/**
 * Reads every manifest under `paths` (files, or folders searched for `*.yaml`, `*.yml`,
 * `*.json`) and validates each NetworkPolicy and ClusterNetworkPolicy in it. Other documents
 * are skipped.
 * Throws `NetpolError` for a path that does not exist or a file that is not valid YAML (unless
 * `skipInvalid`).
 *
 * @example
 * const { results, invalid } = validateFiles(['k8s/'], { legacyCidrs: true });
 */
export function validateFiles(paths: readonly string[], options: ValidateFilesOptions = {}): ValidateFilesResult {
  const { documents } = readManifestDocuments(paths, { skipInvalid: options.skipInvalid, onWarning: options.onWarning });
  const multiDoc = new Set(documents.filter((d) => d.doc > 0).map((d) => d.file));
  const results: PolicyValidationResult[] = [];
  let skipped = 0;
  for (const d of documents) {
    const kind = isNetworkPolicyDocument(d.object)
      ? 'NetworkPolicy'
      : isClusterNetworkPolicyDocument(d.object)
        ? 'ClusterNetworkPolicy'
        : undefined;
    if (!kind) {
      skipped++;
      continue;
    }
    const meta = d.object.metadata as Record<string, unknown> | undefined;
    const name = typeof meta?.name === 'string' ? meta.name : undefined;
    const namespace = typeof meta?.namespace === 'string' ? meta.namespace : undefined;
    const location = d.item !== undefined ? `${d.file}#${d.doc}.items[${d.item}]` : multiDoc.has(d.file) ? `${d.file}#${d.doc}` : d.file;
    results.push({
      kind,
      file: d.file,
      doc: d.doc,
      ...(d.item !== undefined ? { item: d.item } : {}),
      location,
      ...(name !== undefined ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      issues: kind === 'NetworkPolicy' ? validateNetworkPolicy(d.object, options) : validateClusterNetworkPolicy(d.object, options),
    });
  }
  return {
    results,
    checked: results.length,
    invalid: results.filter((r) => r.issues.length > 0).length,
    errors: results.reduce((n, r) => n + r.issues.length, 0),
    skipped,
  };
}

/** One issue as one line: `<location>: <field path>: <message> (hint: <hint>)`. */
export function formatIssueLine(result: Pick<PolicyValidationResult, 'location'>, issue: ValidationIssue): string {
  const parts = [result.location, issue.path, issue.message].filter((s) => s);
  return messageLine(`${parts.join(': ')}${issue.hint ? ` (hint: ${issue.hint})` : ''}`);
}

/** Every issue of every result, one line each. */
export function formatValidationText(result: ValidateFilesResult): string[] {
  return result.results.flatMap((r) => r.issues.map((i) => formatIssueLine(r, i)));
}

/** `3 NetworkPolicies checked, 1 invalid (2 errors)`; `3 NetworkPolicies and 1 ClusterNetworkPolicy checked, ...` when there are both. */
export function formatValidationSummary(result: ValidateFilesResult): string {
  const clusterCount = result.results.filter((r) => r.kind === 'ClusterNetworkPolicy').length;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const networkPolicies = count(result.checked - clusterCount, 'NetworkPolicy', 'NetworkPolicies');
  const checked =
    clusterCount === 0
      ? networkPolicies
      : `${networkPolicies} and ${count(clusterCount, 'ClusterNetworkPolicy', 'ClusterNetworkPolicies')}`;
  const errors = result.errors > 0 ? ` (${result.errors} ${result.errors === 1 ? 'error' : 'errors'})` : '';
  return `${checked} checked, ${result.invalid} invalid${errors}`;
}
