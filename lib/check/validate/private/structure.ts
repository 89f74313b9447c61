/**
 * Reading plain YAML/JSON values as the API types expect them, reporting what the API server
 * would refuse to decode at all: a map where a list belongs, a string where an integer belongs,
 * fields the type does not have. JSON `null` reads as "absent" (pointers, lists, maps) or as the
 * zero value (strings), as Go's decoder reads it.
 */
import { describeValue } from '../../../model/describe';
import { goQuote, Report } from './report';

/** Fields of one API type, and advice for fields that belong somewhere else. */
export interface Shape {
  /** The type's fields, in the order the API documents them. */
  readonly fields: readonly string[];
  /** Field name → where it belongs, for fields users put at the wrong level. */
  readonly misplaced?: Readonly<Record<string, string>>;
  /** Advice for any other unknown field (e.g. label keys written directly under a selector). */
  readonly otherwise?: (field: string) => string | undefined;
}

/** A plain map (not a list, not null). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `a map`, `a list of 2 entries`, `the string "x"`, `the number 5`, `the boolean true`, `null`:
 * the project's words for a value read from a manifest (`describeValue`). Strings are quoted as
 * Go's `%q` quotes them, as the API server prints a value in its messages
 * (apimachinery `util/validation/field/errors.go`, `Error.ErrorBody`), so that a value reads
 * the same in this message as in the `Invalid value: "x"` lines beside it.
 */
export function describe(v: unknown): string {
  return describeValue(v, { data: true, quote: goQuote });
}

/**
 * Reads a map of the given shape; reports unknown fields. Undefined when absent (or null), or
 * when it is not a map (reported).
 */
export function readMap(r: Report, path: string, v: unknown, what: string, shape: Shape): Record<string, unknown> | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isMap(v)) {
    r.add(
      'structure.type',
      path,
      `expected ${what} (a map), got ${describe(v)}`,
      Array.isArray(v) ? `remove the "- " in front of the fields of ${what}` : undefined,
    );
    return undefined;
  }
  checkFields(r, path, v, shape);
  return v;
}

/** Reports every field of `obj` that `shape` does not have, with the allowed names and advice. */
export function checkFields(r: Report, path: string, obj: Record<string, unknown>, shape: Shape): void {
  for (const name of Object.keys(obj)) {
    if (shape.fields.includes(name)) continue;
    const where = path ? `${path}.${name}` : name;
    const close = suggest(name, shape.fields);
    // own entries only: a field named `__proto__` or `constructor` is just an unknown field
    const misplaced = shape.misplaced && Object.prototype.hasOwnProperty.call(shape.misplaced, name) ? shape.misplaced[name] : undefined;
    const hint = misplaced ?? (close ? `did you mean "${close}"?` : shape.otherwise?.(name));
    r.add('structure.unknown-field', where, `unknown field ${goQuote(name)}; the fields here are ${shape.fields.join(', ')}`, hint);
  }
}

/**
 * Reads a list. Absent or null is the empty list. Undefined when it is not a list (reported:
 * `expected a list of ports, got a map`).
 */
export function readList(r: Report, path: string, v: unknown, plural: string, singular: string): unknown[] | undefined {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v;
  let hint: string | undefined;
  if (isMap(v)) hint = `write each ${singular} as a list item: put "- " before its first field`;
  else if (typeof v === 'string' || typeof v === 'number') hint = `write it as a list: [${typeof v === 'string' ? v : String(v)}]`;
  r.add('structure.type', path, `expected a list of ${plural}, got ${describe(v)}`, hint);
  return undefined;
}

/** Result of reading a scalar: the value, `undefined` when absent or null, `false` when of the wrong type (reported). */
export type Read<T> = T | undefined | false;

/** Reads a string; numbers and booleans are wrong types (YAML reads `80`, `true` unquoted). */
export function readString(r: Report, path: string, v: unknown): Read<string> {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  // the text as written is gone (1.10 became 1.1, `no` became false): ask for quotes around it
  const hint =
    typeof v === 'number' || typeof v === 'boolean'
      ? `quote the value exactly as written in the file; unquoted, YAML reads it as ` +
        `${typeof v === 'boolean' ? 'a boolean (y, n, yes, no, on, off, true, false)' : 'a number (1.10 is 1.1, 0755 is 493)'}`
      : undefined;
  r.add('structure.type', path, `expected a string, got ${describe(v)}`, hint);
  return false;
}

/** Reads a 32-bit integer (`int32` fields such as `endPort`). */
export function readInt32(r: Report, path: string, v: unknown): Read<number> {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v;
  let hint: string | undefined;
  if (typeof v === 'string' && /^-?[0-9]+$/.test(v.trim())) hint = `remove the quotes: ${v.trim()}`;
  const what = typeof v === 'number' && Number.isInteger(v) ? `a 32-bit integer, got ${describe(v)}` : `an integer, got ${describe(v)}`;
  r.add('structure.type', path, `expected ${what}`, hint);
  return false;
}

/** Reads a 64-bit integer field (`metadata.generation`); JavaScript numbers are exact to 2^53. */
export function readInt64(r: Report, path: string, v: unknown): Read<number> {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  r.add('structure.type', path, `expected an integer, got ${describe(v)}`);
  return false;
}

/** An `IntOrString` value: a number or a name. */
export type IntOrString = { readonly int: number } | { readonly str: string };

/** Reads an `IntOrString` (`ports[].port`): an unquoted number is a number, a quoted one a string. */
export function readIntOrString(r: Report, path: string, v: unknown, what: string): Read<IntOrString> {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return { str: v };
  if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return { int: v };
  r.add('structure.type', path, `expected ${what}, got ${describe(v)}`);
  return false;
}

/**
 * Reads a map of strings (labels, annotations, matchLabels). A null value reads as "", as Go's
 * decoder leaves it. Undefined when it is not a map (reported).
 */
export function readStringMap(r: Report, path: string, v: unknown, what: string): Array<[string, string]> | undefined {
  if (v === null || v === undefined) return [];
  if (!isMap(v)) {
    r.add(
      'structure.type',
      path,
      `expected ${what} (a map of strings), got ${describe(v)}`,
      Array.isArray(v) ? 'write "key: value" lines without "- "' : undefined,
    );
    return undefined;
  }
  const out: Array<[string, string]> = [];
  for (const k of Object.keys(v).sort(compare)) {
    const s = readString(r, `${path}[${k}]`, v[k]);
    if (s === false) continue;
    out.push([k, s ?? '']);
  }
  return out;
}

/** Reads a list of strings; null items read as "". Undefined when it is not a list (reported). */
export function readStringList(r: Report, path: string, v: unknown, plural: string): Array<[number, string]> | undefined {
  const list = readList(r, path, v, plural, plural.replace(/s$/, ''));
  if (!list) return undefined;
  const out: Array<[number, string]> = [];
  list.forEach((item, i) => {
    const s = readString(r, `${path}[${i}]`, item);
    if (s !== false) out.push([i, s ?? '']);
  });
  return out;
}

/** The closest of `candidates` to `name`, if close enough to be a likely typo. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  // a cut-short name ("prot", "namespace") means the one field it starts
  const lower = name.toLowerCase();
  const prefixed = candidates.filter((c) => lower.length >= 3 && c.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Plain code-unit order (Go sorts map keys the same way when it prints them). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
