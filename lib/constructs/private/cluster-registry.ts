/**
 * What the ClusterNetworkPolicy constructs of one App need to know of each other: their order
 * of creation (which allocates the priorities not given), their names (cluster-wide, so unique
 * in the App) and their priorities (two of one tier and priority that can disagree on a
 * connection leave the outcome to the implementation). Hangs off the App's root node, like
 * `AppRegistry`.
 */
import { IConstruct } from 'constructs';
import { ClusterTier, MAX_CLUSTER_PRIORITY } from '../../model/cluster-policy';

const REGISTRY = Symbol.for('cdk8s-netpol.cluster-registry');

/** The step between allocated priorities, leaving room to insert policies by hand. */
export const PRIORITY_STEP = 10;

/** What the registry needs of a ClusterNetworkPolicy construct. @internal */
export interface RegisteredClusterPolicy extends IConstruct {
  readonly tier: ClusterTier;
  readonly policyName: string;
  /** The priority given in the props, if any. */
  readonly explicitPriority?: number;
}

/** @internal */
export class ClusterRegistry {
  /** The registry of the App (root construct) that `scope` belongs to. */
  public static of(scope: IConstruct): ClusterRegistry {
    const root = scope.node.root as IConstruct & { [REGISTRY]?: ClusterRegistry };
    if (!root[REGISTRY]) Object.defineProperty(root, REGISTRY, { value: new ClusterRegistry() });
    return root[REGISTRY]!;
  }

  private readonly policies: RegisteredClusterPolicy[] = [];

  /** Records a policy; the order of calls is the order of allocation. */
  public register(policy: RegisteredClusterPolicy): void {
    this.policies.push(policy);
  }

  /** Every registered policy, in creation order. */
  public all(): readonly RegisteredClusterPolicy[] {
    return this.policies;
  }

  /**
   * The priority of `policy`: the one given, or the next multiple of 10 after the priority of
   * the previous policy of its tier (in creation order), skipping priorities given explicitly to
   * other policies of the tier, so that creation order is precedence order. Undefined when that
   * would pass 1000.
   */
  public priorityOf(policy: RegisteredClusterPolicy): number | undefined {
    if (policy.explicitPriority !== undefined) return policy.explicitPriority;
    const tier = this.policies.filter((p) => p.tier === policy.tier);
    const taken = new Set(tier.flatMap((p) => (p.explicitPriority !== undefined ? [p.explicitPriority] : [])));
    let previous = 0;
    for (const p of tier) {
      let priority: number;
      if (p.explicitPriority !== undefined) {
        priority = p.explicitPriority;
      } else {
        priority = (Math.floor(previous / PRIORITY_STEP) + 1) * PRIORITY_STEP;
        while (taken.has(priority)) priority += PRIORITY_STEP;
        if (priority > MAX_CLUSTER_PRIORITY) return undefined;
      }
      if (p === policy) return priority;
      previous = priority;
    }
    return undefined;
  }

  /** The first policy created before `policy` with the same name, if any. */
  public earlierWithName(policy: RegisteredClusterPolicy): RegisteredClusterPolicy | undefined {
    const i = this.policies.indexOf(policy);
    return this.policies.slice(0, i).find((p) => p.policyName === policy.policyName);
  }
}
