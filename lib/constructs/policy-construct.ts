/**
 * The common ground of every construct that renders one NetworkPolicy: its namespace and
 * object name (from the construct id, DNS-1123, no hash), the check that no two objects share
 * a name, and the model `Policy` it stands for.
 */
import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { addSuppression, LINT_SUPPRESS_ANNOTATION, LINT_SUPPRESS_NAMESPACE_ANNOTATION } from '../model/annotations';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelKeyErrors, labelValueErrors, toDnsLabel } from '../model/names';
import { Policy } from '../model/policy';
import { addNetworkPolicyObject } from '../render/api-object';
import { AppRegistry } from './private/registry';
import { checkProps, isPlainObject, refuse } from '../model/private/args';

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
  /** Labels of the NetworkPolicy object. @default - none */
  readonly labels?: { [key: string]: string };
  /** Annotations of the NetworkPolicy object. @default - none */
  readonly annotations?: { [key: string]: string };
}

/** A construct that renders (at most) one NetworkPolicy. */
export abstract class PolicyConstruct extends Construct {
  /** Namespace of the policy and of the pods it selects. */
  public readonly namespace: string;
  /** `metadata.name` of the policy object. */
  public readonly policyName: string;
  /**
   * The rendered object, once the construct has something to render.
   * TypeScript only: it renders `toPolicy()`, which TypeScript subclasses provide.
   * @jsii ignore
   */
  protected apiObject?: ApiObject;
  private readonly nameErrors: string[];
  /** The labels given, or one shared empty record: most policies have none. */
  private readonly labels: Readonly<Record<string, string>>;
  /** Likewise, until the first annotation (a lint suppression) is added. */
  private annotations: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PolicyConstructProps = {}) {
    super(scope, id);
    checkProps(this.constructor.name, props, true, this.node.path);
    for (const field of STRING_PROPS) {
      const v: unknown = props[field];
      if (v !== undefined && typeof v !== 'string')
        refuse(this.constructor.name, field, 'a string, or nothing for the default', v, this.node.path);
    }
    for (const field of MAP_PROPS) {
      const v: unknown = props[field];
      if (v !== undefined && (!isPlainObject(v) || Object.values(v).some((x) => typeof x !== 'string'))) {
        refuse(this.constructor.name, field, "an object of string values such as { team: 'payments' }", v, this.node.path);
      }
    }
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    const label = toDnsLabel(id) ?? id;
    // an id already in DNS-1123 form is the node's id: the construct holds one copy of the text
    this.policyName = props.policyName ?? (label === this.node.id ? this.node.id : label);
    this.nameErrors = nameErrors(this.policyName, this.namespace, props.policyName !== undefined && props.policyName !== '');
    // the errors never change: a construct with none needs no validation (one fewer closure each)
    if (this.nameErrors.length > 0) addErrors(this, this.nameErrors);
    this.labels = copyOrEmpty(props.labels);
    this.annotations = copyOrEmpty(props.annotations);
    if (this.labels === EMPTY_RECORD) return;
    const labelErrors = Object.entries(this.labels).flatMap(([k, v]) => [
      ...labelKeyErrors(k).map((e) => `labels: label key "${k}" is invalid: ${e}`),
      ...labelValueErrors(v).map((e) => `labels: label value "${v}" of "${k}" is invalid: ${e}`),
    ]);
    if (labelErrors.length > 0) addErrors(this, labelErrors);
  }

  /**
   * Suppresses a `netpol lint` finding on this policy, with the reason (required) written into
   * the `netpol.dev/lint-suppress` annotation for reviewers to read.
   * @example
   * db.suppressLint('NP001', 'db talks only to addresses, never by name');
   */
  public suppressLint(ruleId: string, reason: string): this {
    this.checkSuppression('suppressLint', ruleId, reason);
    this.setAnnotation(LINT_SUPPRESS_ANNOTATION, addSuppression(this.annotations[LINT_SUPPRESS_ANNOTATION], ruleId, reason));
    return this;
  }

  /**
   * Suppresses a namespace-wide `netpol lint` finding (e.g. NP004, no default deny for egress)
   * for this policy's namespace, with the reason (required).
   */
  public suppressNamespaceLint(ruleId: string, reason: string): this {
    this.checkSuppression('suppressNamespaceLint', ruleId, reason);
    this.setAnnotation(
      LINT_SUPPRESS_NAMESPACE_ANNOTATION,
      addSuppression(this.annotations[LINT_SUPPRESS_NAMESPACE_ANNOTATION], ruleId, reason),
    );
    return this;
  }

  private checkSuppression(call: string, ruleId: unknown, reason: unknown): void {
    if (typeof ruleId !== 'string') refuse(call, 'ruleId', "a lint rule id such as 'NP001'", ruleId, this.node.path);
    if (typeof reason !== 'string') refuse(call, 'reason', 'a string saying why the finding does not apply', reason, this.node.path);
  }

  /**
   * Labels and annotations for the model policy.
   * TypeScript only, like `toPolicy`.
   * @jsii ignore
   */
  protected get metadata(): { labels: Record<string, string>; annotations: Record<string, string> } {
    return { labels: { ...this.labels }, annotations: { ...this.annotations } };
  }

  private setAnnotation(key: string, value: string): void {
    this.annotations = { ...this.annotations, [key]: value };
    this.apiObject?.metadata.addAnnotation(key, value);
  }

  /** True when the name or namespace is invalid (reported by this construct's validation). */
  public get hasInvalidName(): boolean {
    return this.nameErrors.length > 0;
  }

  /**
   * The policy as a model value, or undefined when there is nothing to render. The analyzer
   * and the jest matchers read it.
   * TypeScript only: the model values behind the manifests are not part of the construct API of
   * other languages, which read the synthesized manifests instead.
   * @jsii ignore
   */
  public abstract toPolicy(): Policy | undefined;

  /**
   * Creates the ApiObject (once); call when the construct first has something to render.
   * TypeScript only: it renders `toPolicy()`, which TypeScript subclasses provide.
   * @jsii ignore
   */
  protected ensureObject(): void {
    if (this.apiObject || this.nameErrors.length > 0) return;
    this.apiObject = addNetworkPolicyObject(this, 'Resource', {
      name: this.policyName,
      namespace: this.namespace,
      labels: this.labels,
      annotations: this.annotations,
    });
    AppRegistry.of(this).registerObject(this, this.namespace, this.policyName);
  }
}

const STRING_PROPS = ['namespace', 'policyName'] as const;
const MAP_PROPS = ['labels', 'annotations'] as const;
const NO_ERRORS: string[] = [];
const EMPTY_RECORD: Readonly<Record<string, string>> = Object.freeze({});

/** A copy of `record`, or the shared empty record when it has no keys. */
function copyOrEmpty(record: Record<string, string> | undefined): Readonly<Record<string, string>> {
  if (record === undefined) return EMPTY_RECORD;
  const copy = { ...record };
  return Object.keys(copy).length > 0 ? copy : EMPTY_RECORD;
}

/** Why the object name or namespace is invalid (shared and empty when both are valid). */
function nameErrors(policyName: string, namespace: string, nameGiven: boolean): string[] {
  const name = dns1123SubdomainErrors(policyName);
  const ns = dns1123LabelErrors(namespace);
  if (name.length === 0 && ns.length === 0) return NO_ERRORS;
  return [
    ...name.map((e) => `policyName: "${policyName}" is not a valid object name: ${e}${nameGiven ? '' : '; give a `policyName`'}`),
    ...ns.map((e) => `namespace: "${namespace}" is not a valid namespace name: ${e}`),
  ];
}

/** Adds fixed validation errors to a construct; made here, so that the closure holds only them. */
function addErrors(construct: Construct, errors: string[]): void {
  construct.node.addValidation({ validate: () => errors });
}
