/**
 * Key paths inside an environment document, written the way error messages show them:
 * `databases.orders.cidrs[0]`, `dns.pods["dns.operator.openshift.io/daemonset-dns"]`.
 */
import { NetpolError } from '../../model/errors';

/** One step of a key path: a mapping key or a list index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Formats segments as `a.b[0]["x.y"]`; an empty path is the empty string. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && PLAIN_KEY.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

/**
 * Parses a key path written as `a.b[0]` or `a["x.y"]` into segments. Throws `NetpolError`
 * (code `env.path`) for text that is not such a path.
 */
export function parsePath(text: string): PathSegment[] {
  const token = /([A-Za-z0-9_-]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;
  const out: PathSegment[] = [];
  let i = 0;
  let ok = text.length > 0;
  while (ok && i < text.length) {
    const dotted = out.length > 0 && text[i] === '.';
    if (dotted) i++;
    token.lastIndex = i;
    const m = token.exec(text);
    if (!m || (m[1] !== undefined && out.length > 0 && !dotted)) {
      ok = false;
      break;
    }
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(parseInt(m[2], 10));
    else out.push(JSON.parse(`"${m[3]}"`) as string);
    i = token.lastIndex;
  }
  if (!ok) {
    throw NetpolError.ofValue(
      'env.path',
      `"${text}" is not a key path; write it as dotted keys with [n] for list entries, e.g. "databases.orders.cidrs" or "cidrs.corporate"`,
    );
  }
  return out;
}

/** The value at `path` inside `root`, or undefined where the path leaves the data. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const s of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, s)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[s];
  }
  return v;
}

/** True if the mapping that holds the last segment of `path` has that key (even with an empty value). */
export function hasKeyAt(root: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return root !== undefined;
  const parent = valueAt(root, path.slice(0, -1));
  return typeof parent === 'object' && parent !== null && Object.prototype.hasOwnProperty.call(parent, path[path.length - 1]);
}

/**
 * A copy of `root` with `value` set at `path`, creating mappings (or lists, before a numeric
 * segment) on the way. Existing values along the path that are not containers are replaced.
 */
export function withValueAt(root: unknown, path: readonly PathSegment[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(root) ? [...root] : [];
    if (head > list.length) {
      // a far index would make a list of that many empty entries (billions, for [4294967294])
      throw NetpolError.ofValue(
        'env.path-index',
        `list index [${head}] is past the end of the list, which has ${list.length} ` +
          `${list.length === 1 ? 'entry' : 'entries'}; use [${list.length}] to add an entry, or a lower index ` +
          `to replace one`,
      );
    }
    list[head] = withValueAt(list[head], rest, value);
    return list;
  }
  const obj: Record<string, unknown> = isPlainObject(root) ? { ...root } : {};
  obj[head] = withValueAt(obj[head], rest, value);
  return obj;
}

/** True for a mapping (not null, not a list). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
