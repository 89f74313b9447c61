/**
 * Reading whole folders of manifests into the model: the NetworkPolicies and
 * ClusterNetworkPolicies, and the cluster (Namespaces, workloads, Nodes). Every object keeps its
 * place (`file#doc`) for messages.
 */
import { Cluster, Namespace } from '../model/cluster';
import { ClusterPolicy, CLUSTER_NETWORK_POLICY_API_VERSION } from '../model/cluster-policy';
import { Issue, NetpolError } from '../model/errors';
import { ClusterNode } from '../model/node';
import { Policy } from '../model/policy';
import { clusterPolicyFromObject, nodeFromObject } from './cluster-policy-reader';
import { documentLocation, ManifestDocument, readManifestDocuments, ReadOptions } from './documents';
import { policyFromObject } from './policy-reader';
import { namespaceFromObject, WorkloadGroups, workloadFromObject } from './workload-reader';

/** Options for reading manifests. */
export interface ManifestReadOptions extends ReadOptions {
  /**
   * Accept CIDRs the way API servers up to 1.35 did (host bits, leading zeros).
   * @default false
   */
  readonly legacyCidrs?: boolean;
}

/** What was read: policies, the cluster, and warnings about what was passed over. */
export interface Manifests {
  /** The NetworkPolicies, in the order read. */
  readonly policies: Policy[];
  /** The ClusterNetworkPolicies, in the order read. */
  readonly clusterPolicies: ClusterPolicy[];
  /** The Namespaces, workloads and Nodes, in the order read (`nodes` only when some were read). */
  readonly cluster: Cluster;
  /** One line per thing passed over, each naming its file and document. */
  readonly warnings: string[];
}

/** Which parts of the manifests to take. */
export interface ManifestParts {
  /** NetworkPolicies and ClusterNetworkPolicies. @default true */
  readonly policies?: boolean;
  /** Namespaces, workloads and Nodes. @default true */
  readonly cluster?: boolean;
}

/** The v1alpha1 kinds that ClusterNetworkPolicy replaced. */
const REPLACED_KINDS = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'];

const POLICY_API_VERSIONS = ['networking.k8s.io/v1', 'extensions/v1beta1'];

/**
 * Reads every manifest under `paths` (files, or folders recursively: `*.yaml`, `*.yml`,
 * `*.json`; multi-document; `kind: List` and `*List`).
 *
 * - NetworkPolicies (`networking.k8s.io/v1`) become `Policy` values; a NetworkPolicy of another
 *   API group (e.g. Calico's) is passed over with a warning.
 * - ClusterNetworkPolicies (`policy.networking.k8s.io/v1alpha2`) become `ClusterPolicy` values;
 *   the v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy are passed over with a warning.
 * - Namespaces, Pods and workload controllers become the `Cluster`; pods of one controller
 *   owner are one workload while they carry the same labels (IPs pooled), one per label set
 *   when they do not (see `WorkloadGroups`). Nodes become its `nodes`.
 * - Every other kind is ignored.
 *
 * Throws one `NetpolError` listing every problem (file, document, field) unless `skipInvalid`
 * is set, in which case a broken YAML document, the rest of its file and every object that
 * cannot be read are skipped with a warning.
 *
 * @example
 * const { policies, cluster } = readManifests(['deploy/']);
 */
export function readManifests(paths: readonly string[], options: ManifestReadOptions = {}): Manifests {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const { documents } = readManifestDocuments(paths, { skipInvalid: options.skipInvalid, onWarning: warn });
  const result = manifestsFromDocuments(documents, { ...options, onWarning: warn });
  return { ...result, warnings };
}

/** Reads only the NetworkPolicies and ClusterNetworkPolicies under `paths` (see `readManifests`). */
export function readPolicies(
  paths: readonly string[],
  options: ManifestReadOptions = {},
): { policies: Policy[]; clusterPolicies: ClusterPolicy[]; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const { documents } = readManifestDocuments(paths, { skipInvalid: options.skipInvalid, onWarning: warn });
  const { policies, clusterPolicies } = manifestsFromDocuments(documents, { ...options, onWarning: warn }, { cluster: false });
  return { policies, clusterPolicies, warnings };
}

/** Reads only the Namespaces and workloads under `paths` (see `readManifests`). */
export function readCluster(paths: readonly string[], options: ManifestReadOptions = {}): { cluster: Cluster; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const { documents } = readManifestDocuments(paths, { skipInvalid: options.skipInvalid, onWarning: warn });
  const { cluster } = manifestsFromDocuments(documents, { ...options, onWarning: warn }, { policies: false });
  return { cluster, warnings };
}

/** The model of already-parsed documents (see `readManifests`). */
export function manifestsFromDocuments(
  documents: readonly ManifestDocument[],
  options: ManifestReadOptions = {},
  parts: ManifestParts = {},
): Manifests {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const issues: Array<Issue & { where: string }> = [];
  const attempt = <T>(where: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      if (options.skipInvalid) {
        warn(`${where}: skipped, it cannot be read: ${e.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
      } else {
        issues.push(...e.issues.map((i) => ({ ...i, where })));
      }
      return undefined;
    }
  };

  const found: Found = {
    policies: [],
    clusterPolicies: [],
    nodes: [],
    namespaces: [],
    workloads: new WorkloadGroups(),
    seen: new Map(),
  };
  for (const d of documents) readDocument(d, found, { options, parts, warn, attempt });
  if (issues.length > 0) {
    // One document: the error is located there. Several: each issue names its document.
    const places = new Set(issues.map((i) => i.where));
    if (places.size === 1)
      throw new NetpolError(
        issues.map(({ code, path, message }) => ({ code, path, message })),
        issues[0].where,
      );
    throw new NetpolError(issues.map((i) => ({ code: i.code, path: i.path ? `${i.where}: ${i.path}` : i.where, message: i.message })));
  }
  const { policies, clusterPolicies, nodes, namespaces, workloads } = found;
  return {
    policies,
    clusterPolicies,
    cluster: { namespaces, workloads: workloads.workloads(), ...(nodes.length > 0 ? { nodes } : {}) },
    warnings,
  };
}

/** What the documents read so far hold. */
interface Found {
  readonly policies: Policy[];
  readonly clusterPolicies: ClusterPolicy[];
  readonly nodes: ClusterNode[];
  readonly namespaces: Namespace[];
  readonly workloads: WorkloadGroups;
  /** Where each object was first defined, by `<kind> <id>`. */
  readonly seen: Map<string, string>;
}

/** How `manifestsFromDocuments` reads each document. */
interface ReadContext {
  readonly options: ManifestReadOptions;
  readonly parts: ManifestParts;
  readonly warn: (m: string) => void;
  /** Runs a reader; its errors are collected (or the document skipped), and the result is then undefined. */
  readonly attempt: <T>(where: string, fn: () => T) => T | undefined;
}

/** True for the first definition of `<kind> <id>`; a later one is warned about and ignored. */
function firstDefinition(found: Found, kind: string, id: string, where: string, warn: (m: string) => void): boolean {
  const first = found.seen.get(`${kind} ${id}`);
  if (first) {
    warn(`${where}: ${kind} ${id} is defined again; the definition at ${first} is used`);
    return false;
  }
  found.seen.set(`${kind} ${id}`, where);
  return true;
}

/** Adds the object of one document to what was found, by its kind. */
function readDocument(d: ManifestDocument, found: Found, { options, parts, warn, attempt }: ReadContext): void {
  const obj = d.object;
  const where = documentLocation(d);
  const origin = { where: d.file, doc: d.doc };
  const kind = obj.kind;
  if (kind === 'NetworkPolicy' && parts.policies !== false) {
    const apiVersion = obj.apiVersion;
    if (apiVersion !== undefined && !POLICY_API_VERSIONS.includes(String(apiVersion))) {
      warn(
        `${where}: a NetworkPolicy of apiVersion ${JSON.stringify(apiVersion)} is not a Kubernetes NetworkPolicy (networking.k8s.io/v1); ignored`,
      );
      return;
    }
    const p = attempt(where, () => policyFromObject(obj, origin, { legacyCidrs: options.legacyCidrs, location: where, onWarning: warn }));
    if (p && firstDefinition(found, 'NetworkPolicy', p.id, where, warn)) found.policies.push(p);
  } else if (kind === 'ClusterNetworkPolicy' && parts.policies !== false) {
    if (obj.apiVersion !== undefined && obj.apiVersion !== CLUSTER_NETWORK_POLICY_API_VERSION) {
      warn(
        `${where}: a ClusterNetworkPolicy of apiVersion ${JSON.stringify(obj.apiVersion)} is not the one this tool reads (${CLUSTER_NETWORK_POLICY_API_VERSION}); ignored`,
      );
      return;
    }
    const p = attempt(where, () => clusterPolicyFromObject(obj, origin, { location: where, onWarning: warn }));
    if (p && firstDefinition(found, 'ClusterNetworkPolicy', p.name, where, warn)) found.clusterPolicies.push(p);
  } else if (typeof kind === 'string' && REPLACED_KINDS.includes(kind) && parts.policies !== false) {
    warn(
      `${where}: ${kind} (policy.networking.k8s.io/v1alpha1) was replaced by ClusterNetworkPolicy (${CLUSTER_NETWORK_POLICY_API_VERSION}) and is not analysed; rewrite it as a ClusterNetworkPolicy of the ${kind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline'} tier`,
    );
  } else if (kind === 'Node' && parts.cluster !== false) {
    const n = attempt(where, () => nodeFromObject(obj, origin, { location: where, onWarning: warn }));
    if (n && firstDefinition(found, 'Node', n.name, where, warn)) found.nodes.push(n);
  } else if (kind === 'Namespace' && parts.cluster !== false) {
    const ns = attempt(where, () => namespaceFromObject(obj, origin, { location: where }));
    if (ns && firstDefinition(found, 'Namespace', ns.name, where, warn)) found.namespaces.push(ns);
  } else if (parts.cluster !== false) {
    const w = attempt(where, () => workloadFromObject(obj, origin, { location: where, onWarning: warn }));
    if (!w) return;
    const repeated = found.workloads.add(w, where, obj.kind === 'Pod' ? String((obj.metadata as Record<string, unknown>).name) : undefined);
    if (repeated) warn(`${where}: ${repeated}`);
  }
}

/**
 * Reads the policies from `policyPaths` and the cluster from `clusterPaths`, parsing each file
 * once when the two lists name the same paths (np-guard keeps both in one folder). Warnings are
 * reported once each.
 */
export function readAnalysisInput(
  policyPaths: readonly string[],
  clusterPaths: readonly string[],
  options: ManifestReadOptions = {},
): Manifests {
  const seen = new Set<string>();
  const warnings: string[] = [];
  const opts: ManifestReadOptions = {
    ...options,
    onWarning: (m) => {
      if (seen.has(m)) return;
      seen.add(m);
      warnings.push(m);
      options.onWarning?.(m);
    },
  };
  const same = [...new Set(policyPaths)].sort().join('\u0000') === [...new Set(clusterPaths)].sort().join('\u0000');
  if (same) return { ...readManifests(policyPaths, opts), warnings };
  const { policies, clusterPolicies } = readPolicies(policyPaths, opts);
  const { cluster } = readCluster(clusterPaths, opts);
  return { policies, clusterPolicies, cluster, warnings };
}
