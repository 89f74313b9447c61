/**
 * Turns zod's issues into the project's `Issue`s: a key path in dotted/bracket form, the value
 * received, what was expected (from the description a schema was registered with), and the fix.
 * Zod's own English messages are replaced; messages a schema author wrote are kept.
 */
import { z } from 'zod';
import { describeValue } from '../../model/describe';
import { Issue, NetpolError } from '../../model/errors';
import { formatPath, hasKeyAt, parsePath, PathSegment, valueAt } from './paths';
import { didYouMean } from './suggest';

// The exported signatures here name no zod type, so that the declarations the package ships
// reference no third-party module (a user's tsconfig would have to compile zod's declarations).
const descriptions = new WeakMap<object, string>();

/** Registers what `schema` expects, in words ("a CIDR string such as ..."), for type errors. Returns `schema`. */
export function expecting<T extends object>(schema: T, description: string): T {
  descriptions.set(schema, description);
  return schema;
}

/** The part of a zod refinement context these helpers use. */
export interface RefinementContext {
  addIssue(issue: { code: 'custom'; path: PathSegment[]; message: string; params: { code: string }; continue: boolean }): void;
}

/** The message our error map gives every issue; marks the ones whose text we write ourselves. */
const OURS = '\u0000netpol-env';

/** Parse parameters that leave the wording of issues to `toIssues`. */
export const PARSE_PARAMS = { error: () => OURS };

/** What a failed parse is mapped against: its schema, its input, and where the input sits in the document. */
export interface IssueContext {
  /** The schema that was parsed (a zod schema). */
  readonly schema: object;
  /** The value it was given. */
  readonly raw: unknown;
  /** Where that value sits in the document (`['extras']` for the extras schema). */
  readonly prefix: readonly PathSegment[];
}

/** Maps zod issues to ours, one issue per unknown key. */
export function toIssues(issues: readonly object[], ctx: IssueContext): Issue[] {
  return (issues as readonly z.core.$ZodIssue[]).flatMap((i) => mapIssue(i, [], ctx));
}

/**
 * Runs a model check inside a zod transform or refinement. A `NetpolError` becomes custom
 * issues (the model's code and message; its field path mapped by `mapPath`), marked to let
 * sibling checks run too. Returns `fn`'s value, or `z.NEVER` when it threw.
 */
export function viaModel<T>(ctx: RefinementContext, fn: () => T, mapPath: (modelPath: string) => PathSegment[] = modelPath): T {
  try {
    return fn();
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    for (const i of e.issues) addIssue(ctx, mapPath(i.path), i.code, i.message);
    return z.NEVER as never;
  }
}

/** Adds one of our issues (code + final message) at `path` relative to the value being checked. */
export function addIssue(ctx: RefinementContext, path: PathSegment[], code: string, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { code }, continue: true });
}

/** A model field path (`except[0]`) as segments; the empty path is the value itself. */
export function modelPath(p: string): PathSegment[] {
  return p ? parsePath(p) : [];
}

/** How messages show a value of an environment file: as read from YAML (`a list of 2 entries`). */
const READ = { data: true };

function mapIssue(iss: z.core.$ZodIssue, base: readonly PathSegment[], ctx: IssueContext): Issue[] {
  const rel = [...base, ...(iss.path as PathSegment[])];
  const full = [...ctx.prefix, ...rel];
  const path = formatPath(full);
  const value = valueAt(ctx.raw, rel);
  const own = iss.message !== OURS ? iss.message : undefined;
  const issue = (code: string, message: string): Issue[] => [{ code, path, message: own ?? message }];
  switch (iss.code) {
    case 'custom':
      return [{ code: typeof iss.params?.code === 'string' ? iss.params.code : 'env.invalid', path, message: own ?? 'is invalid' }];
    case 'unrecognized_keys': {
      const allowed = allowedKeys(ctx.schema as z.ZodType, rel, ctx.raw);
      const where = full.length > 0 ? `in ${path}` : 'at the top level';
      const expected = allowed.length > 0 ? `expected one of ${allowed.join(', ')}` : 'this mapping takes no keys';
      return iss.keys.map((k) => ({
        code: 'env.unknown-key',
        path: formatPath([...full, k]),
        message: `unknown key "${k}" ${where}; ${expected}.${didYouMean(k, allowed)}`,
      }));
    }
    case 'invalid_union': {
      // Follow the one form whose shape fits the value (e.g. the mapping form of a CIDR).
      const fitting = iss.errors.filter((branch) => !branch.some((b) => b.path.length === 0 && b.code === 'invalid_type'));
      if (fitting.length === 1 && own === undefined) return fitting[0].flatMap((b) => mapIssue(b, rel, ctx));
      return issue('env.type', `expected ${expectedAt(ctx, rel) ?? 'a different kind of value'}, got ${describeValue(value, READ)}`);
    }
    case 'invalid_type': {
      const expected = expectedAt(ctx, rel) ?? typeWords(iss.expected);
      const missing = rel.length > 0 ? !hasKeyAt(ctx.raw, rel) : value === undefined;
      if (missing && full.length > 0) {
        return issue('env.missing', `required key "${String(full[full.length - 1])}" is missing; expected ${expected}`);
      }
      let hint = '';
      if (iss.expected === 'number' && typeof value === 'string' && /^[0-9]+$/.test(value)) hint = '; write the number without quotes';
      if (iss.expected === 'array' && (typeof value === 'string' || typeof value === 'number')) hint = singleEntryHint(ctx, rel, value);
      return issue('env.type', `expected ${expected}, got ${describeValue(value, READ)}${hint}`);
    }
    case 'too_small':
    case 'too_big': {
      const expected = expectedAt(ctx, rel);
      if (expected) return issue('env.range', `expected ${expected}, got ${describeValue(value, READ)}`);
      return issue('env.range', sizeMessage(iss, value));
    }
    case 'invalid_value':
      return issue('env.value', `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(value, READ)}`);
    case 'invalid_format':
      return issue('env.format', `expected ${formatWords(iss)}, got ${describeValue(value, READ)}`);
    case 'not_multiple_of':
      return issue('env.range', `${describeValue(value, READ)} is not a multiple of ${iss.divisor}`);
    case 'invalid_key':
    case 'invalid_element':
      return iss.issues.flatMap((inner) => mapIssue(inner, rel, ctx)).map((i) => ({ ...i, path }));
  }
}

/**
 * For a single value where a list belongs: `; for one entry write [x]` when `x` would be a valid
 * entry; otherwise what is wrong with it as an entry (a hostname, a CIDR without a mask), so that
 * the advice does not lead to the next error.
 */
function singleEntryHint(ctx: IssueContext, rel: readonly PathSegment[], value: string | number): string {
  const list = chainAt(ctx.schema as z.ZodType, rel, ctx.raw).find((s): s is z.ZodArray => s instanceof z.ZodArray);
  if (!list) return `; for one entry write [${value}]`;
  const r = (list.element as z.ZodType).safeParse(value, PARSE_PARAMS);
  if (r.success) return `; for one entry write [${value}]`;
  const inner = toIssues(r.error.issues, { schema: list.element as z.ZodType, raw: value, prefix: [] });
  return inner.length > 0 ? `, and it is not a valid entry either: ${inner[0].message}` : '';
}

/** The description registered on the schema at `rel`, following the value's own shape. */
function expectedAt(ctx: IssueContext, rel: readonly PathSegment[]): string | undefined {
  const chain = chainAt(ctx.schema as z.ZodType, rel, ctx.raw);
  for (const s of chain) {
    const d = descriptions.get(s);
    if (d) return d;
  }
  return undefined;
}

function allowedKeys(schema: z.ZodType, rel: readonly PathSegment[], raw: unknown): string[] {
  for (const s of chainAt(schema, rel, raw)) {
    if (s instanceof z.ZodObject) return Object.keys(s.shape);
  }
  return [];
}

/** The schemas in force at `rel`, outermost wrapper first. */
function chainAt(root: z.ZodType, rel: readonly PathSegment[], raw: unknown): z.ZodType[] {
  let chain = unwrap(root, raw);
  for (let i = 0; i < rel.length; i++) {
    const child = childOf(chain, rel[i]);
    if (!child) return [];
    chain = unwrap(child, valueAt(raw, rel.slice(0, i + 1)));
  }
  return chain;
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType[] {
  const chain: z.ZodType[] = [];
  let s: z.ZodType | undefined = schema;
  while (s) {
    chain.push(s);
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault || s instanceof z.ZodReadonly) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else if (s instanceof z.ZodUnion) {
      s = (s.options as readonly z.ZodType[]).find((o) => fits(o, value));
    } else {
      s = undefined;
    }
  }
  return chain;
}

function childOf(chain: readonly z.ZodType[], seg: PathSegment): z.ZodType | undefined {
  for (const s of chain) {
    if (s instanceof z.ZodObject) return typeof seg === 'string' ? (s.shape[seg] as z.ZodType | undefined) : undefined;
    if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
    if (s instanceof z.ZodArray) return typeof seg === 'number' ? (s.element as z.ZodType) : undefined;
  }
  return undefined;
}

/** True if the innermost type of `schema` accepts the JavaScript type of `value`. */
function fits(schema: z.ZodType, value: unknown): boolean {
  const inner = unwrap(schema, value);
  const s = inner[inner.length - 1];
  if (typeof value === 'string') return s instanceof z.ZodString;
  if (typeof value === 'number') return s instanceof z.ZodNumber;
  if (typeof value === 'boolean') return s instanceof z.ZodBoolean;
  if (Array.isArray(value)) return s instanceof z.ZodArray;
  if (typeof value === 'object' && value !== null) return s instanceof z.ZodObject || s instanceof z.ZodRecord;
  return false;
}

function typeWords(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'null':
      return 'an empty value';
    default:
      return `a value of type ${expected}`;
  }
}

function sizeMessage(iss: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, value: unknown): string {
  const small = iss.code === 'too_small';
  const bound = small ? (iss as z.core.$ZodIssueTooSmall).minimum : (iss as z.core.$ZodIssueTooBig).maximum;
  const relation = iss.exact ? 'exactly' : iss.inclusive === false ? (small ? 'more than' : 'less than') : small ? 'at least' : 'at most';
  switch (iss.origin) {
    case 'string':
      return `${describeValue(value, READ)} is too ${small ? 'short' : 'long'}; expected ${relation} ${bound} characters`;
    case 'array':
    case 'set':
      return `expected ${relation} ${bound} entries, got ${describeValue(value, READ)}`;
    default:
      return `${describeValue(value, READ)} is too ${small ? 'small' : 'big'}; expected ${relation} ${bound}`;
  }
}

function formatWords(iss: z.core.$ZodIssueInvalidStringFormat): string {
  switch (iss.format) {
    case 'regex':
      return `text matching ${iss.pattern ?? 'the pattern'}`;
    case 'email':
      return 'an email address';
    case 'url':
      return 'a URL';
    case 'starts_with':
      return `text starting with "${(iss as z.core.$ZodIssueStringStartsWith).prefix}"`;
    case 'ends_with':
      return `text ending with "${(iss as z.core.$ZodIssueStringEndsWith).suffix}"`;
    case 'includes':
      return `text including "${(iss as z.core.$ZodIssueStringIncludes).includes}"`;
    default:
      return `a valid ${iss.format}`;
  }
}
