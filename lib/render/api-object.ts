/**
 * Model → cdk8s: one `ApiObject` per policy, whose spec is rendered when the chart is
 * synthesized, so that rules added after the construct was created are included.
 */
import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Policy } from '../model/policy';
import { policyToObject } from './policy-object';

/**
 * A NetworkPolicy ApiObject. Its spec is plain JSON made by this library, so `toJson` skips
 * cdk8s' generic token resolution for it (a third of synthesis time) and sorts keys the way
 * cdk8s does; objects with JSON patches, or with key sorting turned off, take cdk8s' own path.
 * Both paths give the same output (tested).
 */
class NetworkPolicyApiObject extends ApiObject {
  constructor(
    scope: Construct,
    id: string,
    props: ApiObjectProps,
    private readonly renderSpec: () => Record<string, unknown>,
  ) {
    super(scope, id, props);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature of cdk8s ApiObject.toJson
  public toJson(): any {
    const patches = (this as unknown as { patches?: unknown[] }).patches;
    if (patches === undefined || patches.length > 0 || process.env.CDK8S_DISABLE_SORT) return super.toJson();
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: this.plainMetadata() ?? this.metadata.toJson(),
      spec: sortKeys(this.renderSpec()),
    };
  }

  /**
   * The metadata as cdk8s renders it, when it holds only a name, a namespace and plain string
   * labels and annotations (the case for every object this library makes); undefined otherwise,
   * and cdk8s renders it.
   */
  private plainMetadata(): Record<string, unknown> | undefined {
    const m = this.metadata as unknown as {
      name?: unknown;
      namespace?: unknown;
      labels?: Record<string, unknown>;
      annotations?: Record<string, unknown>;
      finalizers?: unknown[];
      ownerReferences?: unknown[];
      _additionalAttributes?: Record<string, unknown>;
    };
    const plain = (r: Record<string, unknown> | undefined) => r !== undefined && Object.values(r).every((v) => typeof v === 'string');
    if (typeof m.name !== 'string' || typeof m.namespace !== 'string' || !plain(m.labels) || !plain(m.annotations)) return undefined;
    if ((m.finalizers?.length ?? 1) > 0 || (m.ownerReferences?.length ?? 1) > 0) return undefined;
    if (Object.keys(m._additionalAttributes ?? { unknown: true }).some((k) => !PLAIN_METADATA.has(k))) return undefined;
    const out: Record<string, unknown> = {};
    if (Object.keys(m.annotations!).length > 0) out.annotations = sortKeys(m.annotations);
    if (Object.keys(m.labels!).length > 0) out.labels = sortKeys(m.labels);
    out.name = m.name;
    out.namespace = m.namespace;
    return out;
  }
}

const PLAIN_METADATA = new Set(['name', 'namespace', 'labels', 'annotations']);

/** Adds the NetworkPolicy `ApiObject` of a policy construct; `render` is called at synthesis. */
export function addNetworkPolicyObject(
  scope: Construct,
  id: string,
  meta: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> },
  render: () => Policy,
): ApiObject {
  const has = (r?: Record<string, string>) => r !== undefined && Object.keys(r).length > 0;
  const spec = () => policyToObject(render()).spec;
  return new NetworkPolicyApiObject(
    scope,
    id,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: meta.name,
        namespace: meta.namespace,
        ...(has(meta.labels) ? { labels: { ...meta.labels } } : {}),
        ...(has(meta.annotations) ? { annotations: { ...meta.annotations } } : {}),
      },
      spec: Lazy.any({ produce: spec }),
    },
    spec,
  );
}

/** A copy with object keys sorted at every level, as cdk8s writes them. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}
