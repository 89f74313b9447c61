/**
 * What a cdk8s App says about its pods beside its policies: the Namespaces and workloads it
 * defines (cdk8s-plus workloads, plain Deployment, StatefulSet, Pod … ApiObjects), read as the
 * manifests they synthesize to, without a synth. Chart tests and the in-memory lint then know
 * the App's pods with their labels and container ports, as `netpol` does from `dist/`.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Cluster } from '../model/cluster';
import { NetpolError } from '../model/errors';
import { ManifestDocument } from './documents';
import { manifestsFromDocuments } from './manifests';
import { WORKLOAD_KINDS } from './workload-reader';

/**
 * The Namespaces and workloads of the App that `scope` belongs to, in construct order, each
 * read from the object it renders (`ApiObject.toJson()`), located by its construct path. Not
 * the whole cluster: other pods may run beside the App's. Throws `NetpolError` naming the
 * construct when an object cannot be rendered or read.
 *
 * @example
 * const known = appCluster(chart); // e.g. the kplus.Deployment 'web' with its named container ports
 */
export function appCluster(scope: IConstruct): Cluster {
  const documents: ManifestDocument[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    if (c.kind !== 'Namespace' && !WORKLOAD_KINDS.includes(c.kind)) continue;
    let object: unknown;
    try {
      object = c.toJson();
    } catch (e) {
      throw NetpolError.about(
        c.node.path,
        'app.object',
        `the ${c.kind} cannot be rendered (${(e as Error).message}); fix it, or test the chart without it`,
      );
    }
    documents.push({ file: c.node.path, doc: 0, object: object as Record<string, unknown> });
  }
  const { cluster } = manifestsFromDocuments(documents, {}, { policies: false });
  return { namespaces: cluster.namespaces, workloads: cluster.workloads };
}
