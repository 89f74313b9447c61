/**
 * What the analyzer knows of a cluster: namespaces with their labels, and workloads — groups of
 * pods with one label set, one set of container ports and, when known, their IPs — and how much
 * of that is known. A picture made from a chart or a folder of policies knows the groups the
 * policies name but not their container ports; a namespace without a Namespace manifest has
 * labels nobody wrote down; pods get IPs only once they run. Each value says what it knows, so
 * that the analysis can answer "depends" where an answer would be a guess. For
 * ClusterNetworkPolicy `nodes` peers, the nodes too.
 */
import { Cidr, IpAddress } from './cidr';
import { ClusterNode } from './node';
import { Protocol } from './protocol';
import { LabelSelector, Labels, NAMESPACE_NAME_LABEL } from './selector';
import type { Origin } from './policy';

/** A namespace. Its labels always include `kubernetes.io/metadata.name: <name>`. */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
  /**
   * False when the namespace's labels beyond its name label are not known (no Namespace
   * manifest): a namespace selector that asks for other labels then may or may not match it.
   * @default true
   */
  readonly labelsKnown?: boolean;
}

/** Builds a namespace, adding the `kubernetes.io/metadata.name` label the API server sets. */
export function namespace(name: string, labels: Labels = {}, labelsKnown = true): Namespace {
  return { name, labels: { ...labels, [NAMESPACE_NAME_LABEL]: name }, ...(labelsKnown ? {} : { labelsKnown: false }) };
}

/** A container port a named port can resolve to. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** @default 'TCP' */
  readonly protocol: Protocol;
}

/** The controller whose pods a workload stands for. */
export interface Owner {
  /** The controller's name. */
  readonly name: string;
  /** Its kind as written in the pods' ownerReference (`StatefulSet`, `ReplicaSet`, …). */
  readonly kind: string;
}

/**
 * A group of identical pods: one Pod, the pods of a workload controller's template, the pods
 * of one owner that carry the same labels, or a group made up from what policies select.
 */
export interface Workload {
  readonly namespace: string;
  /** The pod's name, the controller's name, or the group's name. */
  readonly name: string;
  /** `Pod`, `Deployment`, `StatefulSet`, …, an owner kind for pods with a controller owner, or how a made-up group came about. */
  readonly kind: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  /**
   * False for pods whose container ports are not known (a group made up from policies): a
   * named port may then resolve to any number, or to none.
   * @default true
   */
  readonly portsKnown?: boolean;
  /** Known pod IPs (`status.podIP`/`status.podIPs`). @default - unknown */
  readonly ips?: readonly IpAddress[];
  /**
   * The controller these pods belong to, when the workload is some of its pods: pods of one
   * owner with different labels make one workload per label set, each named after its first pod.
   * @default - not pods of a controller, or all of them
   */
  readonly owner?: Owner;
  /**
   * For a group made up from policies: the selector it stands for (what policies select), so
   * that messages can say `pods app=web of shop`.
   * @default - a workload of the manifests
   */
  readonly selector?: LabelSelector;
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

/**
 * The number a container port name stands for on the pods: the first container port with that
 * name and protocol (TCP when the container does not say), or undefined. Kubernetes resolves a
 * named port of a rule on the destination pod, for ingress and egress rules alike.
 */
export function resolvePort(pods: Pick<Workload, 'ports'>, name: string, protocol: Protocol): number | undefined {
  return pods.ports.find((c) => c.name === name && (c.protocol ?? 'TCP') === protocol)?.containerPort;
}

/** True if the workload's container ports are known (see `Workload.portsKnown`). */
export function portsKnown(w: Workload): boolean {
  return w.portsKnown !== false;
}

/**
 * Namespaces and workloads, the input of reachability analysis next to policies, and what is
 * known beyond them.
 */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly workloads: readonly Workload[];
  /**
   * True when the workloads are every pod there is and a namespace without a Namespace object
   * carries only its name label: the user's word that the picture is the whole cluster (e.g.
   * `--cluster`). Lint rules that need the whole cluster (a selector that selects nothing, a
   * named port no pod declares) run only then.
   * @default false
   */
  readonly complete?: boolean;
  /**
   * The address ranges pod IPs are taken from, when known (`--pod-cidr`): an ipBlock that holds
   * all of them matches every pod, one that holds none of them no pod, whatever their IPs.
   * @default - unknown: an ipBlock may hold the IP of a pod whose IP is unknown
   */
  readonly podCidrs?: readonly Cidr[];
  /** Nodes, for ClusterNetworkPolicy `nodes` peers. @default - none known */
  readonly nodes?: readonly ClusterNode[];
}
