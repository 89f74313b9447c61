/**
 * The subject of a ClusterNetworkPolicy: the pods it applies to, chosen by namespace labels, or
 * by namespace AND pod labels. Exactly one of the two is set (kubernetes-sigs/network-policy-api,
 * `apis/v1alpha2/clusternetworkpolicy_types.go`, `ClusterNetworkPolicySubject`, with
 * `MinProperties=1`/`MaxProperties=1`). Pods with `hostNetwork: true` are never a subject.
 */
import { checkNamespaceName, toSelector } from './private/selector-args';
import { LabelSelector, Labels } from './selector';
import { addBrand, hasBrand } from './brand';

const BRAND = Symbol.for('cdk8s-netpol.ClusterSubject');

/**
 * Which pods a ClusterNetworkPolicy applies to. Immutable; build with the static factories.
 *
 * @example
 * ClusterSubject.allPods()                                  // every pod of every namespace
 * ClusterSubject.namespace('shop')                          // every pod of namespace shop
 * ClusterSubject.namespaces({ 'netpol.dev/baseline': 'deny' })
 * ClusterSubject.podsInNamespace('shop', { app: 'backend' }) // namespace AND pods
 */
export class ClusterSubject {
  /** Brand check that works across copies of the library. */
  public static isClusterSubject(x: unknown): x is ClusterSubject {
    return hasBrand(x, BRAND);
  }

  /** Every pod of every namespace (`namespaces: {}`). */
  public static allPods(): ClusterSubject {
    return new ClusterSubject(LabelSelector.all());
  }

  /** Every pod of the namespaces that carry these labels. */
  public static namespaces(selector: Labels | LabelSelector): ClusterSubject {
    return new ClusterSubject(toSelector(selector));
  }

  /** Every pod of the namespace with this name (by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): ClusterSubject {
    checkNamespaceName(name);
    return new ClusterSubject(LabelSelector.namespaceName(name));
  }

  /** The pods with these labels in the namespaces with those labels (`pods:`, namespace AND pod). */
  public static pods(namespaces: Labels | LabelSelector, pods: Labels | LabelSelector): ClusterSubject {
    return new ClusterSubject(toSelector(namespaces), toSelector(pods));
  }

  /** The pods with these labels in the namespace with this name. */
  public static podsInNamespace(namespace: string, pods: Labels | LabelSelector): ClusterSubject {
    checkNamespaceName(namespace);
    return new ClusterSubject(LabelSelector.namespaceName(namespace), toSelector(pods));
  }

  private constructor(
    /** Selects the namespaces. */
    public readonly namespaceSelector: LabelSelector,
    /** Selects pods within them; undefined for a `namespaces` subject (every pod). */
    public readonly podSelector?: LabelSelector,
  ) {
    addBrand(this, BRAND);
  }

  /** True if the subject applies to a pod with `podLabels` in a namespace with `namespaceLabels`. */
  public selects(namespaceLabels: Labels, podLabels: Labels): boolean {
    return this.namespaceSelector.matches(namespaceLabels) && (this.podSelector?.matches(podLabels) ?? true);
  }

  /** The API's JSON: `{namespaces: {...}}` or `{pods: {namespaceSelector, podSelector}}`. */
  public toJson(): Record<string, unknown> {
    if (!this.podSelector) return { namespaces: this.namespaceSelector.toJson() };
    return { pods: { namespaceSelector: this.namespaceSelector.toJson(), podSelector: this.podSelector.toJson() } };
  }

  /** `every pod`, `namespace shop`, `namespaces team=a`, `pods app=web in namespace shop`. */
  public toString(): string {
    const name = this.namespaceSelector.namespaceNameOnly;
    const ns =
      name !== undefined
        ? `namespace ${name}`
        : this.namespaceSelector.isEmpty
          ? 'every namespace'
          : `namespaces ${this.namespaceSelector}`;
    if (!this.podSelector) return this.namespaceSelector.isEmpty ? 'every pod' : `every pod in ${ns}`;
    return `pods ${this.podSelector} in ${ns}`;
  }
}
