/** What every object declares first, checked as the API server sees it: apiVersion, kind, metadata. */
import { META, ObjectMetaOptions, validateObjectMeta } from './object-meta';
import { goQuote, Report } from './report';
import { checkFields, describe, isMap, readMap, readString, Shape } from './structure';

/** What an object must declare, and why former apiVersions no longer serve it. */
export interface TypeMeta {
  readonly kind: string;
  readonly apiVersion: string;
  /** A note per former apiVersion, e.g. ` (it was removed in Kubernetes 1.16)`. */
  readonly formerVersions: Readonly<Record<string, string>>;
}

/** Reports a missing or wrong `apiVersion` or `kind` of `obj`. */
export function validateTypeMeta(r: Report, obj: Record<string, unknown>, t: TypeMeta): void {
  const apiVersion = readString(r, 'apiVersion', obj.apiVersion);
  if (apiVersion === undefined || apiVersion === '') {
    r.add('object.api-version', 'apiVersion', `no apiVersion; write "apiVersion: ${t.apiVersion}"`);
  } else if (apiVersion !== false && apiVersion !== t.apiVersion) {
    const note = Object.prototype.hasOwnProperty.call(t.formerVersions, apiVersion) ? t.formerVersions[apiVersion] : '';
    r.add(
      'object.api-version',
      'apiVersion',
      `${goQuote(apiVersion)} does not serve ${t.kind}${note}; write "apiVersion: ${t.apiVersion}"`,
    );
  }
  const kind = readString(r, 'kind', obj.kind);
  if (kind === undefined || kind === '') {
    r.add('object.kind', 'kind', `no kind; write "kind: ${t.kind}"`);
  } else if (kind !== false && kind !== t.kind) {
    const hint = kind.toLowerCase() === t.kind.toLowerCase() ? 'kinds are case-sensitive' : undefined;
    r.add('object.kind', 'kind', `${goQuote(kind)} is not ${t.kind}; write "kind: ${t.kind}"`, hint);
  }
}

/**
 * The checks every object starts with: that it is a map, its apiVersion and kind, its top-level
 * fields and its metadata. False (reported) when it is not a map, and nothing else is checked.
 */
export function validateEnvelope(
  r: Report,
  obj: unknown,
  t: TypeMeta,
  top: Shape,
  meta: Omit<ObjectMetaOptions, 'metaWasBad'>,
): obj is Record<string, unknown> {
  if (!isMap(obj)) {
    r.add('structure.type', '', `expected a ${t.kind} object (a map), got ${describe(obj)}`);
    return false;
  }
  validateTypeMeta(r, obj, t);
  checkFields(r, '', obj, top);
  const m = readMap(r, 'metadata', obj.metadata, 'metadata', META);
  validateObjectMeta(r, m ?? {}, { ...meta, metaWasBad: m === undefined && obj.metadata !== undefined && obj.metadata !== null });
  return true;
}
