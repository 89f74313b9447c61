/**
 * Linting manifests on disk: policies from some paths, the cluster (Namespaces, workloads) from
 * the same or other paths, with every finding located at `file#doc` and a line.
 */
import { documentLine, ManifestDocument, readManifestDocuments } from '../../io/documents';
import { manifestsFromDocuments } from '../../io/manifests';
import { WORKLOAD_KINDS } from '../../io/workload-reader';
import { LintOptions, runLint } from './engine';
import { Finding, FindingLocation, LintObject } from './finding';

/** Options of `lintFiles`. */
export interface LintFilesOptions extends LintOptions {
  /**
   * Where the Namespaces and workloads of the whole cluster are (files or folders): with it,
   * they are taken as every pod there is, and the rules that need that (NP006, NP007) run.
   * @default - the workloads found among the policies, which are not the whole cluster
   */
  readonly cluster?: readonly string[];
  /**
   * Skip what cannot be read (the rest of a file after a YAML syntax error, objects that do not
   * parse), with a warning, instead of failing.
   * @default false
   */
  readonly skipInvalid?: boolean;
  /**
   * Accept ipBlock CIDRs as API servers up to 1.35 do (host bits, leading zeros).
   * @default false
   */
  readonly legacyCidrs?: boolean;
  /** Called with each warning about the input. @default - warnings are dropped */
  readonly onWarning?: (message: string) => void;
}

/**
 * Reads the NetworkPolicies under `paths` and the cluster under `options.cluster` (the whole
 * cluster; without it, the workloads found under `paths`, not taken as the whole cluster), and
 * lints them (see `lint`). Findings are located at their file, document and
 * the line of their field, and come sorted by file, document, line and rule. Suppressions are
 * read from the policies' annotations and from Namespace manifests' annotations.
 *
 * Throws `NetpolError` when a path does not exist or a manifest cannot be read.
 *
 * @example
 * const findings = lintFiles(['deploy/'], { podCidrs: ['10.244.0.0/16'] });
 */
export function lintFiles(paths: readonly string[], options: LintFilesOptions = {}): Finding[] {
  const read = { skipInvalid: options.skipInvalid === true, onWarning: options.onWarning };
  const model = { ...read, legacyCidrs: options.legacyCidrs === true };
  const policyDocs = readManifestDocuments(paths, read).documents;
  const clusterDocs = options.cluster === undefined ? policyDocs : readManifestDocuments(options.cluster, read).documents;
  const { policies, clusterPolicies } = manifestsFromDocuments(policyDocs, model, { cluster: false });
  const clusterPolicyDoc = firstByKey(
    policyDocs.filter((d) => d.object.kind === 'ClusterNetworkPolicy'),
    (o) => nameOf(o),
  );
  // The namespace written on a cluster-scoped object, which the model does not keep (NP018).
  const clusterPolicyNamespaces: Record<string, string> = {};
  for (const [name, d] of clusterPolicyDoc) {
    const ns = (d.object.metadata as Record<string, unknown> | undefined)?.namespace;
    if (typeof ns === 'string' && ns !== '') clusterPolicyNamespaces[name] = ns;
  }
  const given = manifestsFromDocuments(clusterDocs, model, { policies: false }).cluster;
  const cluster = { ...given, complete: options.cluster !== undefined };

  const policyDoc = firstByKey(
    policyDocs.filter((d) => d.object.kind === 'NetworkPolicy'),
    (o) => `${namespaceOf(o)}/${nameOf(o)}`,
  );
  const namespaceDoc = firstByKey(
    clusterDocs.filter((d) => d.object.kind === 'Namespace'),
    (o) => nameOf(o),
  );
  const workloadDoc = firstByKey(
    clusterDocs.filter((d) => WORKLOAD_KINDS.includes(String(d.object.kind))),
    (o) => namespaceOf(o),
  );
  const anyPolicyDoc = firstByKey(
    policyDocs.filter((d) => d.object.kind === 'NetworkPolicy'),
    (o) => namespaceOf(o),
  );

  const namespaceAnnotations: Record<string, Record<string, string>> = {};
  for (const [name, d] of namespaceDoc) {
    const a = annotationsOf(d.object);
    if (Object.keys(a).length > 0) namespaceAnnotations[name] = a;
  }

  const locate = (object: LintObject, path: string): FindingLocation | undefined => {
    let d: ManifestDocument | undefined;
    let field = path;
    if (object.kind === 'NetworkPolicy') {
      d = policyDoc.get(`${object.namespace}/${object.name}`);
    } else if (object.kind === 'ClusterNetworkPolicy') {
      d = clusterPolicyDoc.get(object.name);
    } else {
      d = namespaceDoc.get(object.name);
      if (!d) {
        // No Namespace manifest: point at the first object that puts something in the namespace.
        d = workloadDoc.get(object.name) ?? anyPolicyDoc.get(object.name);
        field = '';
      }
    }
    if (!d) return undefined;
    const line = documentLine(d, field);
    return { file: d.file, doc: d.doc, ...(d.item !== undefined ? { item: d.item } : {}), ...(line !== undefined ? { line } : {}) };
  };

  const findings = runLint(
    policies,
    cluster,
    {
      clusterPolicies,
      clusterPolicyNamespaces,
      ...options,
      namespaceAnnotations: { ...namespaceAnnotations, ...(options.namespaceAnnotations ?? {}) },
    },
    locate,
  );
  return sortFindings(findings);
}

/** Sorts by file, document, item, line, then rule id; the sort is stable otherwise. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => f.location;
  return [...findings].sort((a, b) => {
    const la = key(a);
    const lb = key(b);
    if (!la || !lb) return la ? -1 : lb ? 1 : compare(a.ruleId, b.ruleId);
    return (
      compare(la.file, lb.file) ||
      (la.doc ?? -1) - (lb.doc ?? -1) ||
      (la.item ?? -1) - (lb.item ?? -1) ||
      (la.line ?? 0) - (lb.line ?? 0) ||
      compare(a.ruleId, b.ruleId)
    );
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstByKey(docs: readonly ManifestDocument[], key: (o: Record<string, unknown>) => string): Map<string, ManifestDocument> {
  const out = new Map<string, ManifestDocument>();
  for (const d of docs) {
    const k = key(d.object);
    if (!out.has(k)) out.set(k, d);
  }
  return out;
}

function metadataOf(o: Record<string, unknown>): Record<string, unknown> {
  const m = o.metadata;
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

function nameOf(o: Record<string, unknown>): string {
  return String(metadataOf(o).name ?? '');
}

function namespaceOf(o: Record<string, unknown>): string {
  const ns = metadataOf(o).namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

function annotationsOf(o: Record<string, unknown>): Record<string, string> {
  const a = metadataOf(o).annotations;
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return {};
  return Object.fromEntries(Object.entries(a).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
