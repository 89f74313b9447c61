/**
 * What the analyzer needs to know of a cluster: namespaces with their labels, and workloads —
 * groups of pods with one label set, one set of container ports and, when known, their IPs —
 * and, for ClusterNetworkPolicy `nodes` peers, the nodes.
 */
import { IpAddress } from './cidr';
import { ClusterNode } from './node';
import { Protocol } from './port';
import { Labels, NAMESPACE_NAME_LABEL } from './selector';
import { Origin } from './policy';

/** A namespace. Its labels always include `kubernetes.io/metadata.name: <name>`. */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
}

/** Builds a namespace, adding the `kubernetes.io/metadata.name` label the API server sets. */
export function namespace(name: string, labels: Labels = {}): Namespace {
  return { name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name } };
}

/** A container port a named port can resolve to. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** @default 'TCP' */
  readonly protocol: Protocol;
}

/**
 * A group of identical pods: one Pod, or the pods of a workload controller's template.
 */
export interface Workload {
  readonly namespace: string;
  /** The pod's name, or the controller's name for a controller's pods. */
  readonly name: string;
  /** `Pod`, `Deployment`, `StatefulSet`, …, or an owner kind for pods with a controller owner. */
  readonly kind: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /** Known pod IPs (`status.podIP`/`status.podIPs`). @default - none */
  readonly ips?: readonly IpAddress[];
  /**
   * True for pods with `spec.hostNetwork: true`: they use their node's addresses, are no
   * ClusterNetworkPolicy subject and no `pods`/`namespaces` peer, and NetworkPolicy leaves
   * their treatment to the network plugin.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /** @default - unknown */
  readonly origin?: Origin;
}

/** `namespace/name`. */
export function workloadId(w: Pick<Workload, 'namespace' | 'name'>): string {
  return `${w.namespace}/${w.name}`;
}

/** Namespaces and workloads, the input of reachability analysis next to policies. */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly workloads: readonly Workload[];
  /** Nodes, for ClusterNetworkPolicy `nodes` peers. @default - none known */
  readonly nodes?: readonly ClusterNode[];
}
