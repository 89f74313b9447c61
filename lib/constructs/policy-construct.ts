/**
 * The common ground of every construct that renders one NetworkPolicy: its namespace and
 * object name (from the construct id, DNS-1123, no hash), the check that no two objects share
 * a name, and the model `Policy` it stands for.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { dns1123LabelErrors, dns1123SubdomainErrors, toDnsLabel } from '../model/names';
import { Policy } from '../model/policy';
import { addNetworkPolicyObject } from '../render/api-object';
import { AppRegistry } from './private/registry';

/** Properties every policy construct takes. */
export interface PolicyConstructProps {
  /**
   * Namespace of the policy (and of the pods it selects).
   * @default - the chart's namespace, or `default`
   */
  readonly namespace?: string;
  /**
   * `metadata.name` of the NetworkPolicy object.
   * @default - the construct id in DNS-1123 form (`WebTier` → `web-tier`)
   */
  readonly policyName?: string;
}

/** A construct that renders (at most) one NetworkPolicy. */
export abstract class PolicyConstruct extends Construct {
  /** Namespace of the policy and of the pods it selects. */
  public readonly namespace: string;
  /** `metadata.name` of the policy object. */
  public readonly policyName: string;
  /** The rendered object, once the construct has something to render. */
  protected apiObject?: ApiObject;
  private readonly nameErrors: string[];

  constructor(scope: Construct, id: string, props: PolicyConstructProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.policyName = props.policyName ?? toDnsLabel(id) ?? id;
    this.nameErrors = [
      ...dns1123SubdomainErrors(this.policyName).map((e) => `policyName: "${this.policyName}" is not a valid object name: ${e}${props.policyName ? '' : '; give a `policyName`'}`),
      ...dns1123LabelErrors(this.namespace).map((e) => `namespace: "${this.namespace}" is not a valid namespace name: ${e}`),
    ];
    this.node.addValidation({ validate: () => this.nameErrors });
  }

  /** The policy as a model value, or undefined when there is nothing to render. */
  public abstract toPolicy(): Policy | undefined;

  /** Creates the ApiObject (once); call when the construct first has something to render. */
  protected ensureObject(): void {
    if (this.apiObject || this.nameErrors.length > 0) return;
    this.apiObject = addNetworkPolicyObject(this, 'Resource', { name: this.policyName, namespace: this.namespace }, () => {
      const p = this.toPolicy();
      if (!p) throw new Error(`${this.node.path}: nothing to render`);
      return p;
    });
    AppRegistry.of(this).registerObject(this, this.namespace, this.policyName);
  }
}
