/**
 * Model → cdk8s: one `ApiObject` per policy, whose spec is rendered when the chart is
 * synthesized, so that rules added after the construct was created are included.
 */
import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Policy } from '../model/policy';
import { Direction, Rule } from '../model/rule';
import { policySpecToObject } from './policy-object';

/** What a NetworkPolicy ApiObject renders: the policy of its construct, read at synthesis. */
export interface PolicySource extends Construct {
  /** The policy; undefined only for a construct that has nothing to render (it then has no object). */
  toPolicy(): Policy | undefined;
}

function renderPolicy(source: PolicySource): Policy {
  const p = source.toPolicy();
  if (!p) throw new Error(`${source.node.path}: nothing to render`);
  return p;
}

/**
 * A NetworkPolicy ApiObject, the child of the policy construct it renders (its scope). Its spec
 * is plain JSON made by this library, so `toJson` skips cdk8s' generic token resolution for it
 * (a third of synthesis time) and sorts keys the way cdk8s does; objects with JSON patches, or
 * with key sorting turned off, take cdk8s' own path, where the spec is a `Lazy` whose producer
 * is the object itself. Both paths give the same output (tested).
 */
class NetworkPolicyApiObject extends ApiObject {
  constructor(scope: PolicySource, id: string, props: ApiObjectProps & { spec?: unknown }) {
    super(scope, id, props);
    // cdk8s reads the spec only when rendering, so it can name the object made just now
    props.spec = Lazy.any(this);
  }

  /** The spec in the form cdk8s' own rendering path resolves (the `Lazy` producer). */
  public produce(): Record<string, unknown> {
    return policySpecToObject(renderPolicy(this.node.scope as PolicySource));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature of cdk8s ApiObject.toJson
  public toJson(): any {
    const patches = (this as unknown as { patches?: unknown[] }).patches;
    if (patches === undefined || patches.length > 0 || process.env.CDK8S_DISABLE_SORT) return super.toJson();
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      metadata: this.plainMetadata() ?? this.metadata.toJson(),
      spec: sortedSpec(renderPolicy(this.node.scope as PolicySource)),
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

/**
 * Adds the NetworkPolicy `ApiObject` of a policy construct (`source`, which is also its scope);
 * the source's policy is rendered at synthesis.
 */
export function addNetworkPolicyObject(
  source: PolicySource,
  id: string,
  meta: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> },
): ApiObject {
  const metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {
    name: meta.name,
    namespace: meta.namespace,
  };
  if (has(meta.labels)) metadata.labels = { ...meta.labels };
  if (has(meta.annotations)) metadata.annotations = { ...meta.annotations };
  // `spec` has its slot from the start, so the object keeps its four properties in itself
  return new NetworkPolicyApiObject(source, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: undefined });
}

function has(r?: Record<string, string>): r is Record<string, string> {
  return r !== undefined && Object.keys(r).length > 0;
}

/**
 * `policySpecToObject(policy)` with the keys of every object in sorted order, as cdk8s writes
 * them: built in that order where this library makes the JSON, sorted where a peer or selector
 * makes it.
 */
function sortedSpec(policy: Policy): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (policy.isolates(Direction.EGRESS) && policy.egress.length > 0) spec.egress = policy.egress.map((r) => sortedRule(r, 'to'));
  if (policy.isolates(Direction.INGRESS) && policy.ingress.length > 0) spec.ingress = policy.ingress.map((r) => sortedRule(r, 'from'));
  spec.podSelector = sortKeys(policy.podSelector.toJson());
  spec.policyTypes = [...policy.policyTypes];
  return spec;
}

function sortedRule(rule: Rule, peersKey: 'from' | 'to'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const peers = rule.anyPeer ? undefined : rule.peers.map((p) => sortKeys(p.toJson()));
  if (peers && peersKey === 'from') out.from = peers;
  if (!rule.anyPort) {
    out.ports = rule.ports.map((p) => {
      const port: Record<string, unknown> = {};
      if (p.endPort !== undefined) port.endPort = p.endPort;
      if (p.port !== undefined) port.port = p.port;
      port.protocol = p.protocol;
      return port;
    });
  }
  if (peers && peersKey === 'to') out.to = peers;
  return out;
}

/**
 * The value with object keys sorted at every level, as cdk8s writes them. Objects and arrays
 * already in order are returned as they are, not copied: the value is JSON made afresh for each
 * rendering, which no one else holds.
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = sortKeys(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1] < keys[i];
  if (!sorted) keys.sort();
  let changed = !sorted;
  const values = keys.map((k) => {
    const v = sortKeys(record[k]);
    if (v !== record[k]) changed = true;
    return v;
  });
  if (!changed) return value;
  const out: Record<string, unknown> = {};
  keys.forEach((k, i) => (out[k] = values[i]));
  return out;
}
