/**
 * Reading whole folders of manifests into the model: the NetworkPolicies, and the cluster
 * (Namespaces and workloads). Every object keeps its place (`file#doc`) for messages.
 */
import { Cluster, Namespace } from '../model/cluster';
import { Issue, NetpolError } from '../model/errors';
import { Policy } from '../model/policy';
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
  /** The Namespaces and workloads, in the order read. */
  readonly cluster: Cluster;
  /** One line per thing passed over, each naming its file and document. */
  readonly warnings: string[];
}

/** Which parts of the manifests to take. */
export interface ManifestParts {
  /** @default true */
  readonly policies?: boolean;
  /** @default true */
  readonly cluster?: boolean;
}

const POLICY_API_VERSIONS = ['networking.k8s.io/v1', 'extensions/v1beta1'];

/**
 * Reads every manifest under `paths` (files, or folders recursively: `*.yaml`, `*.yml`,
 * `*.json`; multi-document; `kind: List` and `*List`).
 *
 * - NetworkPolicies (`networking.k8s.io/v1`) become `Policy` values; a NetworkPolicy of another
 *   API group (e.g. Calico's) is passed over with a warning.
 * - Namespaces, Pods and workload controllers become the `Cluster`; pods of one controller
 *   owner are one workload while they carry the same labels (IPs pooled), one per label set
 *   when they do not (see `WorkloadGroups`).
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

/** Reads only the NetworkPolicies under `paths` (see `readManifests`). */
export function readPolicies(paths: readonly string[], options: ManifestReadOptions = {}): { policies: Policy[]; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const { documents } = readManifestDocuments(paths, { skipInvalid: options.skipInvalid, onWarning: warn });
  const { policies } = manifestsFromDocuments(documents, { ...options, onWarning: warn }, { cluster: false });
  return { policies, warnings };
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

  const policies: Policy[] = [];
  const policySeen = new Map<string, string>();
  const namespaces: Namespace[] = [];
  const namespaceSeen = new Map<string, string>();
  const workloads = new WorkloadGroups();

  for (const d of documents) {
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
        continue;
      }
      const p = attempt(where, () => policyFromObject(obj, origin, { legacyCidrs: options.legacyCidrs, location: where, onWarning: warn }));
      if (!p) continue;
      const first = policySeen.get(p.id);
      if (first) {
        warn(`${where}: NetworkPolicy ${p.id} is defined again; the definition at ${first} is used`);
        continue;
      }
      policySeen.set(p.id, where);
      policies.push(p);
    } else if (kind === 'Namespace' && parts.cluster !== false) {
      const ns = attempt(where, () => namespaceFromObject(obj, origin, { location: where }));
      if (!ns) continue;
      const first = namespaceSeen.get(ns.name);
      if (first) {
        warn(`${where}: Namespace ${ns.name} is defined again; the definition at ${first} is used`);
        continue;
      }
      namespaceSeen.set(ns.name, where);
      namespaces.push(ns);
    } else if (parts.cluster !== false) {
      const w = attempt(where, () => workloadFromObject(obj, origin, { location: where, onWarning: warn }));
      if (!w) continue;
      const repeated = workloads.add(w, where, obj.kind === 'Pod' ? String((obj.metadata as Record<string, unknown>).name) : undefined);
      if (repeated) warn(`${where}: ${repeated}`);
    }
  }
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
  return { policies, cluster: { namespaces, workloads: workloads.workloads() }, warnings };
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
  const { policies } = readPolicies(policyPaths, opts);
  const { cluster } = readCluster(clusterPaths, opts);
  return { policies, cluster, warnings };
}
