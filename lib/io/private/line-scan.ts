/**
 * The lines of fields in a document the fast path read, found by scanning its text line by line
 * instead of parsing it again: the block mappings and sequences manifests are written in, keyed
 * by plain or simply quoted keys. Whatever the scanner does not follow exactly (a flow collection
 * it must look into, a key that is not plain text, an entry that starts on a later line) makes
 * it give up, and the document is parsed for its positions instead; the lines it gives are the
 * lines the full reader gives.
 *
 * Only text the fast path accepted is scanned, so it holds no tabs, carriage returns, anchors,
 * aliases, tags, explicit keys or quoted scalars that run over several lines, and it is valid
 * YAML.
 */
import { balanced, plainIsText, quoteEnd } from './fast-yaml';

/** The scanner gives up: the answer needs a parse. */
export const UNKNOWN = -1;

/** One line of a document: its indentation in spaces, and what follows it. */
interface Line {
  readonly indent: number;
  readonly content: string;
}

/** A document's text split into lines, and the file's line where it starts. */
export interface ScannedDocument {
  readonly lines: readonly Line[];
  readonly firstLine: number;
  /**
   * True when a flow collection may go on past the end of its line: its later lines need not
   * be indented like the block around them, so the scanner does not read the document.
   */
  readonly multiLineFlow: boolean;
}

/** Splits one document's text (from its `---` marker, if any, to the next one) for `scanFieldLine`. */
export function scanDocument(text: string, firstLine: number): ScannedDocument {
  let multiLineFlow = false;
  const lines = text.split('\n').map((raw) => {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    const content = raw.slice(indent);
    if (!multiLineFlow && (content.includes('[') || content.includes('{'))) multiLineFlow = !balanced(content);
    return { indent, content };
  });
  return { lines, firstLine, multiLineFlow };
}

// a key on a line of a block mapping: double quoted without escapes, single quoted without
// quotes inside, or plain of the characters Kubernetes keys use; then what follows the colon
const KEY = /^(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_/][A-Za-z0-9_./-]*))[ ]*:(?:[ ]+(.*))?$/;
// a value that is an empty flow collection
const EMPTY_FLOW = /^(?:\{[ ]*\}|\[[ ]*\])[ ]*(?:#.*)?$/;

const blank = (l: Line) => l.content.length === 0 || l.content[0] === '#' || l.content.trim().length === 0;
const isDash = (s: string) => s[0] === '-' && (s.length === 1 || s[1] === ' ');
/** True for the remainder of a line that holds no value. */
const empty = (rest: string | undefined) => {
  const r = rest?.trimStart();
  return r === undefined || r.length === 0 || r[0] === '#';
};

/** A key of a line, or undefined when the line is no simple key. */
function keyOf(content: string): { key: string; rest: string | undefined } | undefined {
  const m = KEY.exec(content);
  if (!m) return undefined;
  if (m[3] !== undefined && !plainIsText(m[3])) return undefined;
  return { key: m[1] ?? m[2] ?? m[3], rest: m[4] };
}

/** A node of the document: a block mapping or sequence starting at a line and column, a leaf, or one the scanner cannot follow. */
type Node = { kind: 'map' | 'seq'; line: number; col: number } | { kind: 'leaf' | 'flat' | 'unknown' };

/**
 * True when a flow collection that starts `rest` ends on the same line, with nothing but a
 * comment after it: every field in it is on this line.
 */
function closesOnLine(rest: string): boolean {
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '"' || c === "'") {
      i = quoteEnd(rest, i);
      if (i < 0) return false;
    } else if (c === '#' && (rest[i - 1] === ' ' || i === 0)) {
      return false;
    } else if (c === '[' || c === '{') {
      depth++;
    } else if (c === ']' || c === '}') {
      if (--depth === 0) return empty(rest.slice(i + 1));
    }
  }
  return false;
}

/** The node that starts after `rest` on line `at` (a key's or a dash's line), for a parent at column `col`. */
function valueAfter(doc: ScannedDocument, at: number, col: number, rest: string | undefined, restCol: number): Node {
  const { lines } = doc;
  if (!empty(rest)) {
    const r = rest!;
    if (EMPTY_FLOW.test(r)) return { kind: 'leaf' };
    if (r[0] === '[' || r[0] === '{') return closesOnLine(r) ? { kind: 'flat' } : { kind: 'unknown' };
    if (isDash(r)) return { kind: 'unknown' };
    if (restCol >= 0 && keyOf(r)) return { kind: 'map', line: at, col: restCol };
    // a mapping whose first key the scanner cannot read, or a scalar with a colon in quotes
    if (restCol >= 0 && /:(?:[ ]|$)/.test(r)) return { kind: 'unknown' };
    return { kind: 'leaf' };
  }
  const j = nextContent(doc, at);
  if (j === undefined) return { kind: 'leaf' };
  const l = lines[j];
  if (l.indent < col || (l.indent === col && !isDash(l.content))) return { kind: 'leaf' };
  const node = startingAt(doc, j);
  // a flow collection on a later line than its key: a field the path asks for and the
  // collection lacks is at the key's line, the others on this one
  return node.kind === 'flat' ? { kind: 'unknown' } : node;
}

/** The first line after `at` that is neither blank nor a comment. */
function nextContent(doc: ScannedDocument, at: number): number | undefined {
  for (let j = at + 1; j < doc.lines.length; j++) if (!blank(doc.lines[j])) return j;
  return undefined;
}

/** The node that starts a line of its own. */
function startingAt(doc: ScannedDocument, j: number): Node {
  const l = doc.lines[j];
  if (isDash(l.content)) return { kind: 'seq', line: j, col: l.indent };
  if (keyOf(l.content)) return { kind: 'map', line: j, col: l.indent };
  if (EMPTY_FLOW.test(l.content)) return { kind: 'leaf' };
  if ((l.content[0] === '[' || l.content[0] === '{') && closesOnLine(l.content)) return { kind: 'flat' };
  return { kind: 'unknown' };
}

/** The text of a line from a column on. */
const from = (doc: ScannedDocument, line: number, col: number) => {
  const l = doc.lines[line];
  return l.content.slice(col - l.indent);
};

/** The entries of a block mapping: each key with its line, or undefined when a line is beyond the scanner. */
function mapEntries(doc: ScannedDocument, node: { line: number; col: number }): Map<string, [number, string | undefined]> | undefined {
  const out = new Map<string, [number, string | undefined]>();
  const { lines } = doc;
  for (let j = node.line; j < lines.length; j++) {
    const l = lines[j];
    if (j > node.line) {
      if (blank(l) || l.indent > node.col) continue;
      if (l.indent < node.col) break;
      if (isDash(l.content)) continue;
    }
    const k = keyOf(from(doc, j, node.col));
    if (!k) return undefined;
    out.set(k.key, [j, k.rest]);
  }
  return out;
}

/** The dash lines of a block sequence's items, in order. */
function seqItems(doc: ScannedDocument, node: { line: number; col: number }): number[] {
  const out: number[] = [];
  const { lines } = doc;
  for (let j = node.line; j < lines.length; j++) {
    const l = lines[j];
    if (blank(l) || l.indent > node.col) continue;
    if (l.indent < node.col || !isDash(l.content)) break;
    out.push(j);
  }
  return out;
}

/**
 * The 1-based line in the file of the deepest field of `segments` the document has, as the full
 * reader finds it (a key that holds dots matches the longest run of segments it spells), the
 * document's first line for no segments; `UNKNOWN` where the scanner cannot tell.
 */
export function scanFieldLine(doc: ScannedDocument, segments: ReadonlyArray<string | number>): number {
  const { lines } = doc;
  if (doc.multiLineFlow) return UNKNOWN;
  let root = -1;
  for (let j = 0; j < lines.length && root < 0; j++) {
    const l = lines[j];
    if (j === 0 && l.indent === 0 && /^---(?:[ ]|$)/.test(l.content)) {
      if (!empty(l.content.slice(3))) return UNKNOWN;
      continue;
    }
    if (!blank(l)) root = j;
  }
  if (root < 0 || !keyOf(lines[root].content)) return UNKNOWN;
  let line = root;
  let node: Node = { kind: 'map', line: root, col: lines[root].indent };
  let i = 0;
  while (i < segments.length) {
    if (node.kind === 'unknown') return UNKNOWN;
    // a flow collection on one line: whatever of the path it has is on that line
    if (node.kind === 'flat') break;
    if (node.kind === 'map') {
      const entries = mapEntries(doc, node);
      if (!entries) return UNKNOWN;
      let found: [number, string | undefined] | undefined;
      let k = segments.length - i;
      for (; k >= 1; k--) {
        const parts = segments.slice(i, i + k);
        if (parts.some((p) => typeof p !== 'string')) continue;
        found = entries.get(parts.join('.'));
        if (found) break;
      }
      if (!found) break;
      const at = found[0];
      const col = node.col;
      line = at;
      i += k;
      node = valueAfter(doc, at, col, found[1], -1);
    } else if (node.kind === 'seq' && typeof segments[i] === 'number') {
      const at = seqItems(doc, node)[segments[i] as number];
      if (at === undefined) break;
      const content = from(doc, at, node.col);
      const spaces = /^-[ ]*/.exec(content)![0].length;
      const rest = content.slice(spaces);
      i += 1;
      if (empty(rest)) {
        // the entry is on the lines after its dash, or it is null (at the dash)
        const next = nextContent(doc, at);
        if (next === undefined || lines[next].indent <= node.col) {
          line = at;
          node = { kind: 'leaf' };
          continue;
        }
        line = next;
        node = startingAt(doc, next);
        continue;
      }
      line = at;
      node = valueAfter(doc, at, node.col, rest, node.col + spaces);
    } else {
      break;
    }
  }
  return line + doc.firstLine;
}
