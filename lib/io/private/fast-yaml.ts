/**
 * The fast path of reading YAML: js-yaml (several times faster than the `yaml` package, whose
 * syntax tree the full reader builds) for text that keeps to what manifests use — block and
 * flow collections, plain, quoted and block scalars, several documents. Scalars resolve as the
 * full reader resolves them (YAML 1.1 for manifests: `on` and `yes` are booleans, `0x10` and
 * `010` numbers; the YAML 1.2 core schema for environment files).
 *
 * Anything beyond that is declined (`undefined`), and the full reader reads the text with its
 * own checks and messages: anchors, aliases, tags, directives, merge keys, explicit, null or
 * collection keys, document end markers, block scalars with an indentation indicator, tabs and
 * carriage returns, time-like and date-like plain scalars, a syntax error, a repeated key, too
 * many documents or too deep a nesting.
 * Declining costs the time of the fast attempt; it never changes an answer.
 */
import type * as JsYaml from 'js-yaml';

// js-yaml is loaded on first use, so that loading this module costs nothing
let jsYaml: typeof JsYaml | undefined;
const schemas: Partial<Record<YamlVersion, JsYaml.Schema>> = {};

/** Which scalars mean what: YAML 1.1 as the API server reads manifests, or the YAML 1.2 core schema. */
export type YamlVersion = '1.1' | '1.2';

/** Thrown from a scalar type to give the text to the full reader. */
class Declined extends Error {}

// Text the fast path leaves to the full reader: a pattern, tried only when the text holds one of
// its strings. Each pattern may match more than it must (that costs time only), never less.
const DECLINE: ReadonlyArray<readonly [readonly string[], RegExp]> = [
  // an anchor, alias or tag where a node may start
  [['&', '*', '!'], /(?:^|[\s[{,:?-])[&*!]/m],
  // a directive, a document end marker
  [['%', '...'], /^(?:%|\.\.\.(?:\s|$))/m],
  // a merge key
  [['<<'], /<</],
  // a block scalar with an indentation indicator: at the top of a document js-yaml counts it from
  // column -1 and the full reader from column 0 (`|1` over ` x` is ` x` for one, `x` for the other)
  [['|', '>'], /(?:^|[\s:-])[|>][-+]?[0-9]/m],
  // an explicit key
  [['?'], /(?:^|[\s[{,])\?(?:\s|$)/m],
  // a flow collection as a key
  [[']', '}'], /[\]}][ ]*:(?:[\s,\]}]|$)/],
  // an empty or null key
  [['~:', 'null:', 'Null:', 'NULL:', ' :', '\n:', '{:', ',:', '[:'], /(?:^|[\s[{,])(?:~|null|Null|NULL)?:(?:[\s,\]}]|$)/m],
  // tabs, carriage returns, a byte order mark
  [['\t', '\r', '\uFEFF'], /[\t\r\uFEFF]/],
  // a comment right after a bracket, brace, comma or quote, which YAML refuses and js-yaml reads
  // (`[#a, b` is a comment to the end of the line for js-yaml, an error for the full reader)
  [['#'], /[[\]{},"']#/],
];

function declined(text: string): boolean {
  return (
    DECLINE.some(([gates, pattern]) => gates.some((g) => text.includes(g)) && pattern.test(text)) ||
    multiLineQuoted(text) ||
    multiLineFlow(text) ||
    emptyEntryBeforeOuterEntry(text)
  );
}

/**
 * True when an empty list entry (a `-` that ends its line) is followed, past blank and comment
 * lines, by a list entry further left: js-yaml puts that entry into the inner list
 * (`- a:\n    - \n- b` gives `[{a: [null, b]}]`, where YAML says `[{a: [null]}, b]`; compact
 * lists such as `- - \n- ` too).
 */
function emptyEntryBeforeOuterEntry(text: string): boolean {
  const empty = /(?:^|[ ])-[ ]*(?:#.*)?$/gm;
  const nextEntry = /\n(?:[ ]*(?:#.*)?\n)*([ ]*)-(?:[ ]|$)/my;
  for (let m = empty.exec(text); m !== null; m = empty.exec(text)) {
    const dash = m.index + (m[0][0] === '-' ? 0 : 1);
    const column = dash - (text.lastIndexOf('\n', dash - 1) + 1);
    nextEntry.lastIndex = empty.lastIndex;
    const next = nextEntry.exec(text);
    if (next !== null && next[1].length < column) return true;
  }
  return false;
}

/**
 * True when a flow collection may go on past the end of its line: js-yaml accepts later lines
 * that are not indented enough, which the full reader refuses.
 */
function multiLineFlow(text: string): boolean {
  if (!text.includes('[') && !text.includes('{')) return false;
  const bracketed = /^.*[[{].*$/gm;
  for (let m = bracketed.exec(text); m !== null; m = bracketed.exec(text)) if (!balanced(m[0])) return true;
  return false;
}

/**
 * True when every bracket and brace of a line (outside quotes and comments) is closed on it and
 * every quote that opens a scalar ends on it: no flow collection goes on past the line. Plain
 * text with an odd bracket counts as unbalanced too.
 */
export function balanced(content: string): boolean {
  let depth = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if ((c === '"' || c === "'") && (i === 0 || ' [{,'.includes(content[i - 1]))) {
      i = quoteEnd(content, i);
      if (i < 0) return false;
    } else if (c === '#' && (i === 0 || content[i - 1] === ' ')) {
      break;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return depth === 0;
}

/** The index of the quote that ends the quoted text opening at `start`, or -1 when it does not end on the line. */
export function quoteEnd(text: string, start: number): number {
  const q = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') i++;
    else if (text[i] === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/**
 * True when a quoted scalar may go on past the end of its line: js-yaml accepts continuation
 * lines that are not indented enough, which the full reader refuses.
 */
function multiLineQuoted(text: string): boolean {
  const opening = /(?:^|[\s[{,:-])(["'])/gm;
  for (let m = opening.exec(text); m !== null; m = opening.exec(text)) {
    const quote = m[1];
    const end = text.indexOf('\n', opening.lastIndex);
    const line = end < 0 ? text.length : end;
    let i = opening.lastIndex;
    for (;;) {
      const close = text.indexOf(quote, i);
      if (close < 0 || close >= line) return true;
      if (quote === '"') {
        // a quote after an odd number of backslashes is escaped
        let backslashes = 0;
        for (let k = close - 1; text[k] === '\\'; k--) backslashes++;
        if (backslashes % 2 === 1) {
          i = close + 1;
          continue;
        }
      } else if (text[close + 1] === "'") {
        i = close + 2;
        continue;
      }
      opening.lastIndex = close + 1;
      break;
    }
  }
  return false;
}

function intResolve(text: string, offset: number, radix: number): number {
  const sign = text[0];
  const digits = text.substring(sign === '-' || sign === '+' ? offset + 1 : offset).replace(/_/g, '');
  const n = parseInt(digits, radix);
  return sign === '-' ? -1 * n : n;
}

/** The implicit scalars of YAML 1.1, in the order the full reader tries them, each a pattern and a value. */
const YAML_11: ReadonlyArray<readonly [string, RegExp, (s: string) => unknown]> = [
  ['null', /^(?:~|[Nn]ull|NULL)?$/, () => null],
  ['bool', /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/, () => true],
  ['bool', /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/, () => false],
  ['int', /^[-+]?0b[0-1_]+$/, (s) => intResolve(s, 2, 2)],
  ['int', /^[-+]?0[0-7_]+$/, (s) => intResolve(s, 1, 8)],
  ['int', /^[-+]?[0-9][0-9_]*$/, (s) => intResolve(s, 0, 10)],
  ['int', /^[-+]?0x[0-9a-fA-F_]+$/, (s) => intResolve(s, 2, 16)],
  ['float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => nanOrInfinity(s)],
  ['float', /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, (s) => parseFloat(s.replace(/_/g, ''))],
  ['float', /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, (s) => parseFloat(s.replace(/_/g, ''))],
  // sexagesimal numbers and timestamps: rare in manifests, left to the full reader
  ['time', /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, decline],
  ['timestamp', /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/, decline],
];

/** The implicit scalars of the YAML 1.2 core schema, as the full reader resolves them. */
const YAML_12: ReadonlyArray<readonly [string, RegExp, (s: string) => unknown]> = [
  ['null', /^(?:~|[Nn]ull|NULL)?$/, () => null],
  ['bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'],
  ['int', /^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
  ['int', /^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  ['int', /^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  ['float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => nanOrInfinity(s)],
  ['float', /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
  ['float', /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
];

/**
 * True when a plain scalar is text in YAML 1.1 as the full reader resolves it: not a null, a
 * boolean, a number, a time or a date.
 */
export function plainIsText(plain: string): boolean {
  return !YAML_11.some(([, pattern]) => pattern.test(plain));
}

function nanOrInfinity(s: string): number {
  if (s.slice(-3).toLowerCase() === 'nan') return NaN;
  return s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

function decline(): never {
  throw new Declined();
}

function schemaFor(version: YamlVersion): JsYaml.Schema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml loads on the first text read
  jsYaml ??= require('js-yaml') as typeof JsYaml;
  const table = version === '1.1' ? YAML_11 : YAML_12;
  // One type for every implicit scalar: most plain scalars are names, and the first character
  // rules out every pattern for them without trying each (null, booleans and numbers, e.g.
  // `e3` as a number, start with one of these).
  const first = new Set([...'-+.0123456789~nNyYtTfFoOeE']);
  let matched = -1;
  const implicit = new jsYaml.Type(`tag:netpol.dev,2025:yaml-${version}`, {
    kind: 'scalar',
    resolve: (data: string | null) => {
      if (data === null || !first.has(data[0])) return false;
      matched = table.findIndex(([, test]) => test.test(data));
      return matched >= 0;
    },
    construct: (data: string) => table[matched][2](data),
  });
  return (schemas[version] ??= jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [implicit] }));
}

/** Limits the fast path keeps (the full reader reports them). */
export interface FastLimits {
  readonly maxDocuments: number;
  readonly maxDepth: number;
}

/**
 * The documents of `text` as plain values (null for an empty document), one per YAML document
 * in order; undefined when the full reader must decide.
 */
export function fastYamlDocuments(text: string, version: YamlVersion, limits: FastLimits): unknown[] | undefined {
  if (declined(text)) return undefined;
  let docs: unknown[];
  try {
    const schema = schemaFor(version);
    // js-yaml counts scalars as a level: a document whose lists and mappings nest exactly
    // maxDepth deep is declined too, and the full reader accepts it
    docs = jsYaml!.loadAll(text, null, { schema, maxDepth: limits.maxDepth } as JsYaml.LoadOptions);
  } catch {
    // a syntax error, a repeated key, a declined scalar, too deep: the full reader says which
    return undefined;
  }
  // text of nothing but blank lines and comments holds no document (js-yaml reads one empty one)
  if (docs.length === 1 && docs[0] === null && !/^[ ]*[^\s#]/m.test(text)) return [];
  return docs.length > limits.maxDocuments ? undefined : docs;
}
