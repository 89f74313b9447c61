/**
 * `DefaultDeny`: the baseline of a locked-down namespace. One policy that selects every pod
 * (`podSelector: {}`) and lists the denied directions with no rules, so that only what other
 * policies allow gets through.
 */
import { Construct } from 'constructs';
import { Policy } from '../model/policy';
import { Direction } from '../model/rule';
import { PolicyConstruct, PolicyConstructProps } from './policy-construct';
import { AppRegistry } from './private/registry';
import { refuse } from '../model/private/args';
import { addBrand, hasBrand } from '../model/brand';

/** Properties of `DefaultDeny`. */
export interface DefaultDenyProps extends PolicyConstructProps {
  /**
   * Directions to deny.
   * @default [Direction.INGRESS, Direction.EGRESS]
   */
  readonly directions?: Direction[];
}

/**
 * Denies all traffic of a namespace in the given directions unless another policy allows it.
 * Policies are additive: a pod isolated by this policy receives (or sends) exactly what the
 * union of the other policies selecting it allows. Tiers of the same App and namespace read
 * it: their rules in a denied direction are written on both ends.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
 * @example
 * new DefaultDeny(chart, 'default-deny');                              // both directions
 * new DefaultDeny(chart, 'deny-ingress', { directions: [Direction.INGRESS] }); // ingress only
 */
export class DefaultDeny extends PolicyConstruct {
  /** Brand check that works across copies of the library. */
  public static isDefaultDeny(x: unknown): x is DefaultDeny {
    return hasBrand(x, BRAND);
  }

  /** The denied directions, sorted. Frozen: they never change. */
  public readonly directions: Direction[];

  constructor(scope: Construct, id: string, props: DefaultDenyProps = {}) {
    super(scope, id, props);
    addBrand(this, BRAND);
    if (props.directions !== undefined && !Array.isArray(props.directions)) {
      refuse('DefaultDeny', 'directions', 'an array such as [Direction.INGRESS, Direction.EGRESS]', props.directions, this.node.path);
    }
    const directions = [...new Set(props.directions ?? (['Ingress', 'Egress'] as Direction[]))].sort();
    this.directions = Object.freeze(directions) as Direction[];
    if (directions.length === 0) {
      this.node.addValidation({
        validate: () => ['directions: a DefaultDeny must deny Ingress, Egress or both; remove the construct to deny nothing'],
      });
    }
    for (const d of directions) {
      if (d !== 'Ingress' && d !== 'Egress') {
        this.node.addValidation({ validate: () => [`directions: "${d}" is not a direction; use "Ingress" or "Egress"`] });
        return;
      }
    }
    if (directions.length > 0) {
      AppRegistry.of(this).isolate(this.namespace, directions);
      this.ensureObject();
    }
  }

  /**
   * TypeScript only, like `PolicyConstruct.toPolicy`.
   * @jsii ignore
   */
  public toPolicy(): Policy {
    return Policy.of({ name: this.policyName, namespace: this.namespace, policyTypes: this.directions, ...this.metadata });
  }
}

const BRAND = Symbol.for('cdk8s-netpol.DefaultDeny');
