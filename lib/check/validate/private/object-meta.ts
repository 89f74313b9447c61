/**
 * ObjectMeta as the API server checks it on create, for every kind `netpol validate` reads
 * (kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go:
 * ValidateObjectMeta; cluster-scoped kinds get their namespace cleared before validation by the
 * generic registry, staging/src/k8s.io/apiserver/pkg/registry/rest/create.go: BeforeCreate).
 */
import {
  apiDns1123LabelErrors,
  apiDns1123SubdomainErrors,
  apiLabelValueErrors,
  apiQualifiedNameErrors,
} from '../../../model/apivalidation';
import { toDnsLabel } from '../../../model/names';
import { goQuote, goStringSlice, index, Report } from './report';
import { readInt64, readList, readMap, readString, readStringList, readStringMap, Shape } from './structure';

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

/** How to check an object's metadata. */
export interface ObjectMetaOptions {
  /** True when `metadata` was there but not a map (already reported): do not ask for a name. */
  readonly metaWasBad: boolean;
  /**
   * False for cluster-scoped kinds, whose `metadata.namespace` the API server clears on create
   * instead of checking it.
   */
  readonly namespaced: boolean;
  /** What to call the object in advice. @default 'policy' */
  readonly what?: string;
}

/**
 * `ValidateObjectMeta` for a create: name (or generateName) a DNS-1123 subdomain, namespace a
 * DNS-1123 label for namespaced kinds, labels, annotations, owner references, finalizers.
 */
export function validateObjectMeta(r: Report, meta: Record<string, unknown>, options: ObjectMetaOptions): void {
  const { metaWasBad } = options;
  const generateName = readString(r, 'metadata.generateName', meta.generateName) || '';
  const name = readString(r, 'metadata.name', meta.name);
  if (generateName) {
    // a name will be generated from it: the prefix, its trailing "-" masked, must be a subdomain
    const masked = generateName.endsWith('-') ? `${generateName.slice(0, -2)}a` : generateName;
    for (const e of apiDns1123SubdomainErrors(masked)) r.invalid('metadata.generateName', goQuote(generateName), e);
  }
  if (name === false) {
    // reported as a type error
  } else if (!name) {
    if (!generateName && !metaWasBad)
      r.required(
        'metadata.name',
        'name or generateName is required',
        `give the ${options.what ?? 'policy'} a name: "metadata: {name: my-${options.what ?? 'policy'}}"`,
      );
  } else {
    const errs = apiDns1123SubdomainErrors(name);
    const better = toDnsLabel(name);
    errs.forEach((e) => r.invalid('metadata.name', goQuote(name), e, better && better !== name ? `e.g. "${better}"` : undefined));
  }
  const namespace = readString(r, 'metadata.namespace', meta.namespace);
  if (namespace && options.namespaced) {
    // a missing namespace is not an error: kubectl and the server use the request's (default) namespace
    const better = toDnsLabel(namespace);
    for (const e of apiDns1123LabelErrors(namespace))
      r.invalid('metadata.namespace', goQuote(namespace), e, better && better !== namespace ? `e.g. "${better}"` : undefined);
  }
  const generation = readInt64(r, 'metadata.generation', meta.generation);
  if (typeof generation === 'number' && generation < 0)
    r.invalid('metadata.generation', String(generation), 'must be greater than or equal to 0');
  const labels = readStringMap(r, 'metadata.labels', meta.labels, 'labels');
  for (const [k, v] of labels ?? []) validateLabel(r, 'metadata.labels', k, v);
  const annotations = readStringMap(r, 'metadata.annotations', meta.annotations, 'annotations');
  let size = 0;
  for (const [k, v] of annotations ?? []) {
    for (const e of apiQualifiedNameErrors(k.toLowerCase())) r.invalid('metadata.annotations', goQuote(k), e);
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE) r.tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE);
  validateOwnerReferences(r, meta.ownerReferences);
  const finalizers = readStringList(r, 'metadata.finalizers', meta.finalizers, 'finalizers');
  for (const [, f] of finalizers ?? []) {
    for (const e of apiQualifiedNameErrors(f)) r.invalid('metadata.finalizers', goQuote(f), e);
  }
  const names = (finalizers ?? []).map(([, f]) => f);
  if (names.includes('orphan') && names.includes('foregroundDeletion')) {
    r.invalid('metadata.finalizers', goStringSlice('string', names), 'finalizer orphan and foregroundDeletion cannot be both set');
  }
  readList(r, 'metadata.managedFields', meta.managedFields, 'managed field entries', 'entry');
}

function validateOwnerReferences(r: Report, value: unknown): void {
  const path = 'metadata.ownerReferences';
  const refs = readList(r, path, value, 'owner references', 'owner reference');
  refs?.forEach((ref, i) => {
    const m = readMap(r, index(path, i), ref, 'an owner reference', OWNER_REF) ?? {};
    const apiVersion = readString(r, `${index(path, i)}.apiVersion`, m.apiVersion) || '';
    const kind = readString(r, `${index(path, i)}.kind`, m.kind) || '';
    const name = readString(r, `${index(path, i)}.name`, m.name) || '';
    const uid = readString(r, `${index(path, i)}.uid`, m.uid) || '';
    const slashes = apiVersion.split('/').length - 1;
    const version = slashes === 0 ? apiVersion : slashes === 1 ? apiVersion.slice(apiVersion.indexOf('/') + 1) : '';
    // the server reports these on the list's path, without the index
    if (!version) r.invalid(`${path}.apiVersion`, goQuote(apiVersion), 'version must not be empty');
    if (!kind) r.invalid(`${path}.kind`, goQuote(kind), 'must not be empty');
    if (!name) r.invalid(`${path}.name`, goQuote(name), 'must not be empty');
    if (!uid) r.invalid(`${path}.uid`, goQuote(uid), 'must not be empty');
  });
}

/** One label of a map (metadata.labels, matchLabels): errors go on the map's path. */
export function validateLabel(r: Report, path: string, k: string, v: string): void {
  for (const e of apiQualifiedNameErrors(k)) r.invalid(path, goQuote(k), e);
  for (const e of apiLabelValueErrors(v)) r.invalid(path, goQuote(v), e);
}

/** The fields of ObjectMeta. */
export const META: Shape = {
  fields: [
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'ownerReferences',
    'finalizers',
    'managedFields',
  ],
};

const OWNER_REF: Shape = { fields: ['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'] };
