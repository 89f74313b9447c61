/**
 * A NetworkPolicy in the model: which pods of one namespace it selects, which directions it
 * isolates, and its ingress and egress rules.
 *
 * Kubernetes semantics in two sentences: a pod is isolated in a direction once any policy that
 * selects it covers that direction, and then only what some such policy allows gets through
 * (policies are additive). A connection needs the source's egress and the destination's
 * ingress to allow it.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import type { Workload } from './cluster';
import { NetpolError, Issue } from './errors';
import { dns1123LabelErrors, dns1123SubdomainErrors } from './names';
import { Direction, Rule } from './rule';
import { LabelSelector } from './selector';

/** Where a policy came from, for messages: a construct path, or a file and document index. */
export interface Origin {
  /** A construct path such as `wordpress/wordpress`, or a file path. */
  readonly where: string;
  /** Document index in a multi-document file (0-based). */
  readonly doc?: number;
}

/** Properties of a `Policy`. */
export interface PolicyProps {
  /** Object name (a DNS-1123 subdomain). */
  readonly name: string;
  /** Namespace (a DNS-1123 label). */
  readonly namespace: string;
  /** Pods the policy applies to. @default - every pod of the namespace */
  readonly podSelector?: LabelSelector;
  /**
   * The directions the policy isolates. Always explicit in the model; readers of YAML fill in
   * the API's defaults (Ingress always, Egress when there are egress rules).
   */
  readonly policyTypes: readonly Direction[];
  /** @default - none */
  readonly ingress?: readonly Rule[];
  /** @default - none */
  readonly egress?: readonly Rule[];
  /** @default - none */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - unknown */
  readonly origin?: Origin;
}

/** Options of `Policy.of`. */
export interface PolicyOfOptions {
  /**
   * Accept a name or namespace that the API server would refuse (e.g. `allow_web`). For readers
   * of foreign manifests, which analyse such a policy as written and leave the complaint to
   * the validator.
   * @default false - an invalid name or namespace is an error
   */
  readonly allowInvalidNames?: boolean;
}

/** A NetworkPolicy. Immutable. */
export class Policy {
  /** Builds a policy; checks the name, the namespace and the policy types. */
  public static of(props: PolicyProps, options: PolicyOfOptions = {}): Policy {
    const issues: Issue[] = [];
    if (!options.allowInvalidNames) {
      for (const e of dns1123SubdomainErrors(props.name))
        issues.push({ code: 'metadata.name', path: 'metadata.name', message: `name "${props.name}" is invalid: ${e}` });
      for (const e of dns1123LabelErrors(props.namespace))
        issues.push({ code: 'metadata.namespace', path: 'metadata.namespace', message: `namespace "${props.namespace}" is invalid: ${e}` });
    }
    const types = [...new Set(props.policyTypes)];
    (props.policyTypes ?? []).forEach((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress') {
        issues.push({
          code: 'policy.types',
          path: `spec.policyTypes[${i}]`,
          message: `policy type ${JSON.stringify(t)} is not supported; use "Ingress" or "Egress" (case-sensitive)`,
        });
      }
    });
    if (types.length === 0)
      issues.push({ code: 'policy.types', path: 'spec.policyTypes', message: 'a policy must cover Ingress, Egress or both' });
    if ((props.ingress?.length ?? 0) > 0 && !types.includes(Direction.INGRESS)) {
      issues.push({
        code: 'policy.types',
        path: 'spec.policyTypes',
        message: 'the policy has ingress rules but does not list Ingress in policyTypes; the rules would be ignored',
      });
    }
    if ((props.egress?.length ?? 0) > 0 && !types.includes(Direction.EGRESS)) {
      issues.push({
        code: 'policy.types',
        path: 'spec.policyTypes',
        message: 'the policy has egress rules but does not list Egress in policyTypes; the rules would be ignored',
      });
    }
    if (issues.length > 0) throw new NetpolError(issues);
    return new Policy(props, types.sort());
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly podSelector: LabelSelector;
  public readonly policyTypes: readonly Direction[];
  public readonly ingress: readonly Rule[];
  public readonly egress: readonly Rule[];
  public readonly labels: Readonly<Record<string, string>>;
  public readonly annotations: Readonly<Record<string, string>>;
  public readonly origin?: Origin;

  private constructor(props: PolicyProps, types: Direction[]) {
    this.name = props.name;
    this.namespace = props.namespace;
    this.podSelector = props.podSelector ?? LabelSelector.all();
    this.policyTypes = types;
    this.ingress = props.ingress ?? [];
    this.egress = props.egress ?? [];
    this.labels = props.labels ?? {};
    this.annotations = props.annotations ?? {};
    this.origin = props.origin;
  }

  /** True if the policy applies to the pods: same namespace, and the podSelector matches their labels. */
  public selects(pods: Pick<Workload, 'namespace' | 'labels'>): boolean {
    return pods.namespace === this.namespace && this.podSelector.matches(pods.labels);
  }

  /** True if the policy isolates the selected pods in this direction. */
  public isolates(direction: Direction): boolean {
    return this.policyTypes.includes(direction);
  }

  /** The rules of one direction. */
  public rules(direction: Direction): readonly Rule[] {
    return direction === 'Ingress' ? this.ingress : this.egress;
  }

  /**
   * The policy reduced to one direction: the same pods, rules and origin, isolating only
   * `direction`; undefined when it does not isolate that direction. What the policies of one
   * side allow, as if nothing isolated the other, is the analysis of these.
   */
  public onlyDirection(direction: Direction): Policy | undefined {
    if (!this.isolates(direction)) return undefined;
    return Policy.of(
      {
        name: this.name,
        namespace: this.namespace,
        podSelector: this.podSelector,
        policyTypes: [direction],
        ingress: direction === Direction.INGRESS ? this.ingress : [],
        egress: direction === Direction.EGRESS ? this.egress : [],
        ...(this.origin ? { origin: this.origin } : {}),
      },
      { allowInvalidNames: true },
    );
  }

  /** `namespace/name`. */
  public get id(): string {
    return `${this.namespace}/${this.name}`;
  }

  public toString(): string {
    return `NetworkPolicy ${this.id}`;
  }
}
