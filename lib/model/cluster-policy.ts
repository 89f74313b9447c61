/**
 * A ClusterNetworkPolicy in the model (`policy.networking.k8s.io/v1alpha2`, kubernetes-sigs/network-policy-api,
 * `apis/v1alpha2/clusternetworkpolicy_types.go`): a cluster-scoped policy of a tier, with a
 * priority, a subject, and ordered ingress and egress rules.
 *
 * The tiers in two sentences: per direction, the Admin tier decides first (policies by priority,
 * lower first, then rules in written order; Accept and Deny are final, Pass hands over), then
 * NetworkPolicy (final for the pods it selects), then the Baseline tier, then the default:
 * allowed. A connection needs both its egress and its ingress to be allowed. Unlike
 * NetworkPolicy, a ClusterNetworkPolicy isolates nothing by being there: only its rules act.
 *
 * @see https://network-policy-api.sigs.k8s.io/api-overview/
 */
import { ClusterPeerKind } from './cluster-peer';
import { ClusterRule } from './cluster-rule';
import { ClusterSubject } from './cluster-subject';
import { Issue, NetpolError } from './errors';
import { dns1123SubdomainErrors } from './names';
import { Origin } from './policy';
import { Direction } from './rule';
import { addBrand, hasBrand } from './brand';

const BRAND = Symbol.for('cdk8s-netpol.ClusterPolicy');

/** The API version that serves ClusterNetworkPolicy. */
export const CLUSTER_NETWORK_POLICY_API_VERSION = 'policy.networking.k8s.io/v1alpha2';

/** The lowest and highest priority (`Minimum=0`, `Maximum=1000`); lower is evaluated first. */
export const MIN_CLUSTER_PRIORITY = 0;
/** The highest priority, evaluated last within its tier. */
export const MAX_CLUSTER_PRIORITY = 1000;

/** The most rules per direction (`MaxItems=25`). */
export const MAX_CLUSTER_RULES = 25;

/** The tier of a ClusterNetworkPolicy. */
export enum ClusterTier {
  /** Evaluated before NetworkPolicy: its Accept and Deny cannot be overridden by namespace owners. */
  ADMIN = 'Admin',
  /** Evaluated after NetworkPolicy, for the pods no NetworkPolicy selects in that direction: defaults namespace owners can override. */
  BASELINE = 'Baseline',
}

/** Properties of a `ClusterPolicy`. */
export interface ClusterPolicyProps {
  /** Object name (a DNS-1123 subdomain); cluster-wide, so unique in the cluster. */
  readonly name: string;
  /** Admin (before NetworkPolicy) or Baseline (after it). */
  readonly tier: ClusterTier;
  /** 0 to 1000; lower is evaluated first within the tier. */
  readonly priority: number;
  /** The pods the policy applies to. */
  readonly subject: ClusterSubject;
  /** Ingress rules, in precedence order (at most 25; `namespaces` and `pods` peers only). @default - none: ingress is not affected */
  readonly ingress?: readonly ClusterRule[];
  /** Egress rules, in precedence order (at most 25). @default - none: egress is not affected */
  readonly egress?: readonly ClusterRule[];
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - unknown */
  readonly origin?: Origin;
}

/** Options of `ClusterPolicy.of`. */
export interface ClusterPolicyOfOptions {
  /**
   * Accept a name the API server would refuse. For readers of foreign manifests, which analyse
   * such a policy as written and leave the complaint to the validator.
   * @default false
   */
  readonly allowInvalidNames?: boolean;
}

/** A ClusterNetworkPolicy. Immutable. */
export class ClusterPolicy {
  /** Brand check that works across copies of the library. */
  public static isClusterPolicy(x: unknown): x is ClusterPolicy {
    return hasBrand(x, BRAND);
  }

  /**
   * Builds a policy; checks the name, the tier, the priority (an integer from 0 to 1000), at
   * most 25 rules per direction, and that ingress rules use `namespaces` and `pods` peers only.
   * Issue paths are those of the props: `priority`, `ingress[0].peers[1]`.
   */
  public static of(props: ClusterPolicyProps, options: ClusterPolicyOfOptions = {}): ClusterPolicy {
    const issues: Issue[] = [];
    if (!options.allowInvalidNames) {
      for (const e of dns1123SubdomainErrors(props.name ?? ''))
        issues.push({ code: 'metadata.name', path: 'name', message: `name "${props.name}" is invalid: ${e}` });
    }
    if (!Object.values(ClusterTier).includes(props.tier)) {
      issues.push({
        code: 'cluster-policy.tier',
        path: 'tier',
        message: `tier ${JSON.stringify(props.tier)} is not supported; use Admin or Baseline (ClusterTier)`,
      });
    }
    const priority = props.priority;
    if (!Number.isInteger(priority) || priority < MIN_CLUSTER_PRIORITY || priority > MAX_CLUSTER_PRIORITY) {
      issues.push({
        code: 'cluster-policy.priority',
        path: 'priority',
        message:
          `priority ${String(priority)} is out of range; a priority is an integer from ` +
          `${MIN_CLUSTER_PRIORITY} (evaluated first) to ${MAX_CLUSTER_PRIORITY}`,
      });
    }
    if (!ClusterSubject.isClusterSubject(props.subject)) {
      issues.push({ code: 'cluster-policy.subject', path: 'subject', message: 'a subject is required, e.g. ClusterSubject.allPods()' });
    }
    for (const [key, rules] of [
      ['ingress', props.ingress ?? []],
      ['egress', props.egress ?? []],
    ] as const) {
      if (rules.length > MAX_CLUSTER_RULES) {
        issues.push({
          code: 'cluster-policy.rules',
          path: key,
          message:
            `a ClusterNetworkPolicy holds at most ${MAX_CLUSTER_RULES} ${key} rules, this one has ` +
            `${rules.length}; split them over policies with consecutive priorities`,
        });
      }
    }
    (props.ingress ?? []).forEach((rule, i) => {
      rule.peers.forEach((peer, j) => {
        if (peer.kind !== ClusterPeerKind.NAMESPACES && peer.kind !== ClusterPeerKind.PODS) {
          issues.push({
            code: 'cluster-policy.ingress-peer',
            path: `ingress[${i}].peers[${j}]`,
            message: `ingress rules take namespaces and pods peers only; ${peer.kind} peers (${peer}) are for egress rules`,
          });
        }
      });
    });
    if (issues.length > 0) throw new NetpolError(issues);
    return new ClusterPolicy(props);
  }

  /** `metadata.name`. */
  public readonly name: string;
  /** Admin or Baseline. */
  public readonly tier: ClusterTier;
  /** 0 to 1000, lower first. */
  public readonly priority: number;
  /** The pods it applies to. */
  public readonly subject: ClusterSubject;
  /** Ingress rules, in precedence order. */
  public readonly ingress: readonly ClusterRule[];
  /** Egress rules, in precedence order. */
  public readonly egress: readonly ClusterRule[];
  /** Labels of the object. */
  public readonly labels: Readonly<Record<string, string>>;
  /** Annotations of the object. */
  public readonly annotations: Readonly<Record<string, string>>;
  /** Where it came from, when known. */
  public readonly origin?: Origin;

  private constructor(props: ClusterPolicyProps) {
    this.name = props.name;
    this.tier = props.tier;
    this.priority = props.priority;
    this.subject = props.subject;
    this.ingress = Object.freeze([...(props.ingress ?? [])]);
    this.egress = Object.freeze([...(props.egress ?? [])]);
    this.labels = Object.freeze({ ...(props.labels ?? {}) });
    this.annotations = Object.freeze({ ...(props.annotations ?? {}) });
    this.origin = props.origin;
    addBrand(this, BRAND);
  }

  /** The rules of one direction (`Ingress` or `Egress`). */
  public rules(direction: Direction): readonly ClusterRule[] {
    return String(direction) === 'Ingress' ? this.ingress : this.egress;
  }

  /** The object name: ClusterNetworkPolicies are cluster-scoped, so the name alone identifies one. */
  public get id(): string {
    return this.name;
  }

  /** `ClusterNetworkPolicy deny-metadata (Admin, priority 10)`. */
  public toString(): string {
    return `ClusterNetworkPolicy ${this.name} (${this.tier}, priority ${this.priority})`;
  }
}
