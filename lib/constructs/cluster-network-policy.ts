/**
 * `ClusterNetworkPolicy`: one `policy.networking.k8s.io/v1alpha2` ClusterNetworkPolicy object,
 * written rule by rule, for cluster administrators. The guardrail constructs
 * (`BaselineDefaultDeny`, `DenyCloudMetadata`, `AllowMonitoring`, `DelegateNamespace`,
 * `AllowDomains`) are made of it.
 */
import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterPolicy,
  ClusterPolicyProps,
  ClusterTier,
  CLUSTER_NETWORK_POLICY_API_VERSION,
  MAX_CLUSTER_PRIORITY,
} from '../model/cluster-policy';
import { samePriorityConflicts } from '../model/cluster-policy-overlap';
import { ClusterRule } from '../model/cluster-rule';
import { ClusterSubject } from '../model/cluster-subject';
import { addBrand, hasBrand } from '../model/brand';
import { NetpolError } from '../model/errors';
import { dns1123SubdomainErrors, labelKeyErrors, labelValueErrors, toDnsLabel } from '../model/names';
import { clusterPolicyToObject } from '../render/cluster-policy-object';
import { ClusterRegistry } from './private/cluster-registry';

/** Properties of a `ClusterNetworkPolicy`. */
export interface ClusterNetworkPolicyProps {
  /** Admin (decides before NetworkPolicy) or Baseline (after it, for pods no NetworkPolicy selects). */
  readonly tier: ClusterTier;
  /** The pods the policy applies to (host-networked pods never are). */
  readonly subject: ClusterSubject;
  /**
   * 0 to 1000; lower is evaluated first within the tier.
   * @default - the next multiple of 10 after the priority of the previous ClusterNetworkPolicy of
   * the same tier in the App (in the order the constructs were created), skipping priorities
   * given explicitly: creation order is precedence order
   */
  readonly priority?: number;
  /** Ingress rules, in precedence order. @default - none: the policy does not affect ingress */
  readonly ingress?: ClusterRule[];
  /** Egress rules, in precedence order. @default - none: the policy does not affect egress */
  readonly egress?: ClusterRule[];
  /**
   * `metadata.name` of the object; cluster-wide, so unique in the App.
   * @default - the construct id in DNS-1123 form (`DenyMetadata` → `deny-metadata`)
   */
  readonly policyName?: string;
  /** Labels of the object. @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations of the object. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A ClusterNetworkPolicy: a cluster-scoped policy of a tier, with a priority, a subject and
 * ordered rules whose actions are Accept, Deny or Pass.
 *
 * The tiers in two sentences: per direction, the Admin tier decides first (policies by priority,
 * then rules in order; Accept and Deny are final, Pass hands over), then NetworkPolicy (final for
 * the pods it selects), then the Baseline tier, then the default: allowed. Both ends of a
 * connection must allow it; a ClusterNetworkPolicy isolates nothing by being there.
 *
 * Two policies of one tier with the same priority that can decide a connection differently are
 * a validation error: the API leaves the winner to the implementation.
 *
 * @see https://network-policy-api.sigs.k8s.io/api-overview/
 * @example
 * new ClusterNetworkPolicy(chart, 'deny-metadata', {
 *   tier: ClusterTier.ADMIN,
 *   subject: ClusterSubject.allPods(),
 *   egress: [ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32'])])],
 * });
 */
export class ClusterNetworkPolicy extends Construct {
  /** Brand check that works across copies of the library. */
  public static isClusterNetworkPolicy(x: unknown): x is ClusterNetworkPolicy {
    return hasBrand(x, BRAND);
  }

  /** Admin or Baseline. */
  public readonly tier: ClusterTier;
  /** The pods the policy applies to. */
  public readonly subject: ClusterSubject;
  /** `metadata.name` of the object. */
  public readonly policyName: string;
  /** The priority given in the props, if any; `priority` is the one the object gets. */
  public readonly explicitPriority?: number;
  private readonly ingressRules: ClusterRule[] = [];
  private readonly egressRules: ClusterRule[] = [];
  private readonly labels: Record<string, string>;
  private readonly annotations: Record<string, string>;
  private readonly registry: ClusterRegistry;

  constructor(scope: Construct, id: string, props: ClusterNetworkPolicyProps) {
    super(scope, id);
    addBrand(this, BRAND);
    this.tier = props.tier;
    this.subject = props.subject;
    this.policyName = props.policyName ?? toDnsLabel(id) ?? id;
    this.explicitPriority = props.priority;
    this.labels = { ...(props.labels ?? {}) };
    this.annotations = { ...(props.annotations ?? {}) };
    this.ingressRules.push(...(props.ingress ?? []));
    this.egressRules.push(...(props.egress ?? []));
    this.registry = ClusterRegistry.of(this);
    this.registry.register(this);
    this.node.addValidation({ validate: () => this.problems() });
    new ClusterNetworkPolicyApiObject(
      this,
      'Resource',
      { name: this.policyName, labels: this.labels, annotations: this.annotations },
      () => {
        const policy = this.toClusterPolicy();
        if (!policy) throw new Error(`${this.node.path}: the policy has problems that validation reports; synthesize after fixing them`);
        return clusterPolicyToObject(policy).spec;
      },
    );
  }

  /** Adds ingress rules after those already there (later rules have lower precedence). */
  public addIngress(...rules: ClusterRule[]): this {
    this.ingressRules.push(...rules);
    return this;
  }

  /** Adds egress rules after those already there (later rules have lower precedence). */
  public addEgress(...rules: ClusterRule[]): this {
    this.egressRules.push(...rules);
    return this;
  }

  /** The ingress rules so far, in precedence order. */
  public get ingress(): ClusterRule[] {
    return [...this.ingressRules];
  }

  /** The egress rules so far, in precedence order. */
  public get egress(): ClusterRule[] {
    return [...this.egressRules];
  }

  /** The priority the object gets: the one given, or the allocated one; undefined when none is left (a validation error). */
  public get priority(): number | undefined {
    return this.registry.priorityOf(this);
  }

  /**
   * The policy as a model value; undefined while it has problems (which validation reports).
   * TypeScript only, like `PolicyConstruct.toPolicy`.
   * @jsii ignore
   */
  public toClusterPolicy(): ClusterPolicy | undefined {
    const priority = this.priority;
    if (priority === undefined) return undefined;
    try {
      return ClusterPolicy.of({
        ...this.fields(priority),
        labels: this.labels,
        annotations: this.annotations,
        origin: { where: this.node.path },
      });
    } catch (e) {
      if (NetpolError.isNetpolError(e)) return undefined;
      throw e;
    }
  }

  /** The fields of the model value at `priority`, without its metadata. */
  private fields(priority: number): ClusterPolicyProps {
    return {
      name: this.policyName,
      tier: this.tier,
      priority,
      subject: this.subject,
      ingress: this.ingressRules,
      egress: this.egressRules,
    };
  }

  private problems(): string[] {
    const out: string[] = [];
    if (!ClusterSubject.isClusterSubject(this.subject)) out.push('subject: a subject is required, e.g. ClusterSubject.allPods()');
    for (const e of dns1123SubdomainErrors(this.policyName)) out.push(`policyName: "${this.policyName}" is not a valid object name: ${e}`);
    for (const [k, v] of Object.entries(this.labels)) {
      for (const e of labelKeyErrors(k)) out.push(`labels: label key "${k}" is invalid: ${e}`);
      for (const e of labelValueErrors(v)) out.push(`labels: label value "${v}" of "${k}" is invalid: ${e}`);
    }
    const priority = this.priority;
    if (priority === undefined) {
      out.push(
        `priority: no priority is left for this ${this.tier} policy: allocation goes past ` +
          `${MAX_CLUSTER_PRIORITY} after the policies created before it; give it (or them) an explicit priority`,
      );
    } else {
      try {
        ClusterPolicy.of(this.fields(priority));
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        for (const i of e.issues) if (i.path !== 'name' && i.path !== 'subject') out.push(`${i.path}: ${i.message}`);
      }
    }
    const twin = this.registry.earlierWithName(this);
    if (twin) {
      out.push(
        `ClusterNetworkPolicy "${this.policyName}" is also defined by ${twin.node.path}; give one of them another id or a \`policyName\``,
      );
    }
    out.push(...this.priorityConflicts());
    return out;
  }

  /** Same-priority conflicts with policies created before this one, reported on this one. */
  private priorityConflicts(): string[] {
    const mine = this.toClusterPolicy();
    if (!mine) return [];
    const out: string[] = [];
    for (const other of this.registry.all()) {
      if (other === this) break;
      if (!ClusterNetworkPolicy.isClusterNetworkPolicy(other)) continue;
      const theirs = other.toClusterPolicy();
      if (!theirs) continue;
      for (const c of samePriorityConflicts([theirs, mine])) {
        const theirRule = theirs[c.direction][c.firstRule];
        const myRule = mine[c.direction][c.secondRule];
        out.push(
          `priority: ${this.tier} ClusterNetworkPolicies "${mine.name}" and "${theirs.name}" ` +
            `(${other.node.path}) both have priority ${mine.priority} and can decide a connection differently ` +
            `(${c.direction} rule ${c.secondRule} "${myRule}" here, ${c.direction} rule ${c.firstRule} ` +
            `"${theirRule}" there); the API leaves the winner to the implementation: give them different priorities`,
        );
      }
    }
    return out;
  }
}

const BRAND = Symbol.for('cdk8s-netpol.ClusterNetworkPolicy');

/**
 * The ApiObject of a ClusterNetworkPolicy. It is cluster-scoped, so the namespace cdk8s takes
 * from the chart is left out; everything else (chart labels, JSON patches, key order) is cdk8s'.
 */
class ClusterNetworkPolicyApiObject extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    meta: { name: string; labels: Record<string, string>; annotations: Record<string, string> },
    spec: () => Record<string, unknown>,
  ) {
    const has = (r: Record<string, string>) => Object.keys(r).length > 0;
    const props: ApiObjectProps = {
      apiVersion: CLUSTER_NETWORK_POLICY_API_VERSION,
      kind: 'ClusterNetworkPolicy',
      metadata: {
        name: meta.name,
        ...(has(meta.labels) ? { labels: { ...meta.labels } } : {}),
        ...(has(meta.annotations) ? { annotations: { ...meta.annotations } } : {}),
      },
      spec: Lazy.any({ produce: spec }),
    };
    super(scope, id, props);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature of cdk8s ApiObject.toJson
  public toJson(): any {
    const json = super.toJson();
    if (json.metadata) delete json.metadata.namespace;
    return json;
  }
}
