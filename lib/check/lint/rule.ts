/**
 * The contract of a lint rule (one file each under `rules/`, in the manner of cdk-nag): a
 * stable id, a severity, a one-line cause, a longer explanation, a one-line fix, and a check
 * over the policies and the pods they govern.
 */
import type { Analysis } from '../../analysis/analysis';
import type { Cidr } from '../../model/cidr';
import type { Cluster, Namespace, Workload } from '../../model/cluster';
import type { ClusterPolicy } from '../../model/cluster-policy';
import type { Port } from '../../model/port';
import type { Policy } from '../../model/policy';
import type { Direction } from '../../model/rule';
import type { LintObject, Severity } from './finding';

/** What a rule's check returns for one mistake; the engine adds the rule's id, severity and the location. */
export interface RuleFinding {
  readonly object: LintObject;
  /** Field path in the object; empty for the object as a whole. */
  readonly path: string;
  /** What is wrong here, quoting the values. */
  readonly message: string;
  /** How to fix this one. @default - the rule's general fix */
  readonly fix?: string;
}

/** The options every rule sees, with defaults filled in. */
export interface ResolvedLintOptions {
  /** The cluster's pod address ranges (NP005). */
  readonly podCidrs: readonly Cidr[];
  /** The cluster's service address ranges (NP005). */
  readonly serviceCidrs: readonly Cidr[];
  /** The ports the cluster DNS listens on (NP001). */
  readonly dnsPorts: readonly Port[];
}

/** The pods a rule reasons about, and shared, lazily computed answers about them. */
export interface LintContext {
  /** The policies being linted, in input order. */
  readonly policies: readonly Policy[];
  /** The ClusterNetworkPolicies being linted with them, in input order. */
  readonly clusterPolicies: readonly ClusterPolicy[];
  /** The namespace written in a ClusterNetworkPolicy's metadata (the object is cluster-scoped), if any. */
  writtenNamespace(policy: ClusterPolicy): string | undefined;
  /**
   * The picture of the cluster (`clusterPicture`): the workloads and Namespaces given, and,
   * unless they are the whole cluster, groups made up for what the policies select and nothing
   * given covers (their container ports unknown, `Workload.selector` set).
   */
  readonly cluster: Cluster;
  /**
   * True if the user said the given workloads are the whole cluster (`--cluster`). Rules that
   * can only tell a typo from a pod that is simply not in the manifests (NP006, NP007) run
   * only then.
   */
  readonly complete: boolean;
  /** The workloads given (from manifests or the App), without the made-up groups. */
  readonly known: readonly Workload[];
  /** The pods to reason about: every workload of the picture. */
  readonly pods: readonly Workload[];
  readonly options: ResolvedLintOptions;
  /** A namespace of the picture: its labels, and whether they are known. */
  namespace(name: string): Namespace;
  /** The policies of the pod's namespace that select it and isolate it in the direction, in input order. */
  isolating(pod: Workload, direction: Direction): Policy[];
  /**
   * Reachability over `pods`: `'both'` as Kubernetes evaluates it (with the ClusterNetworkPolicies' tiers), `'egress'` with only the
   * policies' egress side (what the sources' egress allows), `'ingress'` with only the ingress side.
   */
  analysis(side: 'both' | 'egress' | 'ingress'): Analysis;
  /** How messages name a pod: `ns/name`, or `pods app=web of ns` for a made-up group. */
  podName(pod: Workload): string;
  /** The annotations of an object: a policy's own, or those of a Namespace manifest. */
  annotations(object: LintObject): Readonly<Record<string, string>>;
  /** The names of the namespaces whose manifests carry annotations. */
  readonly annotatedNamespaces: readonly string[];
}

/** One lint rule. */
export interface LintRule {
  /** Stable id, `NP` and three digits. Never reused for another meaning. */
  readonly id: string;
  /** Short kebab-case name, e.g. `egress-without-dns`. */
  readonly name: string;
  readonly severity: Severity;
  /** One line: the mistake. */
  readonly cause: string;
  /** Why it matters, in a few sentences. */
  readonly explanation: string;
  /** One line: the usual fix. */
  readonly fix: string;
  /** Finds the mistakes. */
  check(context: LintContext): RuleFinding[];
}
