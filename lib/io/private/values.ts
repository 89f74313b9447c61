/** Type checks of raw manifest values, with the wording every reader's messages share. */
import { describeValue } from '../../model/describe';
import { IssueCollector } from '../../model/errors';

/** A list field: undefined/null is empty; anything else but a list is an issue. */
export function listOf(value: unknown, path: string, issues: IssueCollector): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  issues.add('list.type', path, `expected a list, got ${describe(value)}`);
  return [];
}

/** A map of strings (labels, annotations); non-string values are issues. */
export function stringMap(value: unknown, path: string, issues: IssueCollector): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    issues.add('map.type', path, `expected a map of strings, got ${describe(value)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else
      issues.add(
        'label.value',
        `${path}.${k}`,
        `"${k}" has the value ${describe(v)}; values here are strings (quote numbers and booleans in YAML)`,
      );
  }
  return out;
}

/** True for a plain object (not null, not a list). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A value named within a sentence (`tier "admin" is not supported`): a string quoted as it is,
 * anything else described (`tier the number 3 is not supported`).
 */
export function shown(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : describe(v);
}

/**
 * A value read from a manifest, for messages: `the number 5`, `a list of 2 entries`, `the string
 * "x"` (`describeValue`). A boolean adds why it may be one: Kubernetes reads manifests as YAML
 * 1.1, where unquoted y/n/yes/no/on/off are booleans.
 */
export function describe(v: unknown): string {
  const described = describeValue(v, { data: true });
  return typeof v === 'boolean'
    ? `${described} (unquoted y, n, yes, no, on and off are booleans in YAML as Kubernetes reads it: quote the text)`
    : described;
}

/**
 * The metadata of an object of `kind` (NetworkPolicy, ClusterNetworkPolicy): the metadata
 * map, its name as written, labels and annotations; problems are added to `issues`, in the
 * order of the fields: the name, what `afterName` checks (a namespace), labels, annotations.
 */
export function objectMetadata(
  o: Record<string, unknown>,
  kind: string,
  issues: IssueCollector,
  afterName: (metadata: Record<string, unknown>) => void = () => {},
): { metadata: Record<string, unknown>; name: unknown; labels: Record<string, string>; annotations: Record<string, string> } {
  const metadata = isObject(o.metadata) ? o.metadata : {};
  if (o.metadata !== undefined && !isObject(o.metadata))
    issues.add('metadata.type', 'metadata', `metadata must be an object, got ${describe(o.metadata)}`);
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    issues.add(
      'metadata.name',
      'metadata.name',
      name === undefined || name === ''
        ? `name is required; give the ${kind} a metadata.name`
        : `name must be a string, got ${describe(name)}`,
    );
  }
  afterName(metadata);
  const labels = stringMap(metadata.labels, 'metadata.labels', issues);
  const annotations = stringMap(metadata.annotations, 'metadata.annotations', issues);
  return { metadata, name, labels, annotations };
}
