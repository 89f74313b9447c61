/**
 * The full reader of manifest YAML, on the `yaml` package's syntax tree: every check and message
 * of reading (syntax errors with their line, repeated keys, aliases as keys, alias expansion and
 * nesting limits), and the lines of fields for findings. Loaded only when the fast path
 * (`fast-yaml.ts`) leaves a file to it, or when a line is asked for.
 */
import {
  Alias,
  Composer,
  CST,
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Node as YamlNode,
  Pair,
  Parser,
  YAMLMap,
} from 'yaml';
import { NetpolError } from '../../model/errors';
import { InputLimits } from './limits';

/** The read option that skips the rest of a file after a broken document. */
const SKIP_INVALID = 'skipInvalid';

/**
 * Reads the documents of one file's text as the API server reads YAML 1.1, with the `yaml`
 * package's syntax tree: a repeated key is an error, and so are an alias or a list used as a
 * mapping key; the limits of `InputLimits` that concern one file hold. Hands each document's
 * value to `take` with its index; throws `NetpolError` naming the file and line of the first
 * problem (or, with `skipInvalid`, reports it through `onWarning` and stops there). Returns
 * the syntax trees of the documents it handed over, for the lines of their fields.
 */
export function readYamlFully(
  text: string,
  file: string,
  options: { readonly skipInvalid?: boolean; readonly onWarning?: (message: string) => void },
  limits: InputLimits,
  take: (value: unknown, index: number) => void,
): ParsedText {
  const lines = new LineCounter();
  const kept = new Map<number, Document.Parsed>();
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer({ version: '1.1', uniqueKeys: false, merge: true });
  let index = 0;
  // with skipInvalid, the first broken document: it and the rest of the file are skipped
  let skipped: { where: string; message: string; index: number } | undefined;
  let tokens = 0;
  const budget = { aliases: 0, added: 0 };
  // one document: its problem, or its objects
  // the index of each document handed to the composer, in order (empty ones are not handed over)
  const pending: number[] = [];
  const compose = (doc: Document.Parsed) => {
    const i = pending.shift() ?? index;
    index = i + 1;
    const problem = documentProblem(doc, i, lineOf, limits, budget);
    if (problem) {
      const where = `${file}${problem.line ? `:${problem.line}` : ''}`;
      if (options.skipInvalid && problem.code !== 'io.limit') {
        skipped = { where, message: problem.message, index: i };
        return;
      }
      if (problem.code === 'io.limit') throw NetpolError.about(where, problem.code, problem.message);
      const message = `${where}: ${problem.message}; fix the file, or pass ${SKIP_INVALID} to analyse only the documents before it`;
      throw new NetpolError([{ code: problem.code, path: '', message, option: SKIP_INVALID }]);
    }
    kept.set(i, doc);
    take(doc.toJS({ maxAliasCount: -1 }), i);
  };
  for (const token of parser.parse(text)) {
    if (token.type === 'document') tokens++;
    if (skipped) continue;
    if (tokens > limits.maxDocuments) {
      throw NetpolError.about(
        file,
        'io.limit',
        `holds more than ${limits.maxDocuments.toLocaleString('en-US')} YAML documents, the most a file may hold; split it into smaller files`,
      );
    }
    if (token.type === 'document') {
      const deep = deeperThan(token, limits.maxDepth);
      if (deep !== undefined) {
        throw NetpolError.about(
          `${file}:${lineOf(deep)}`,
          'io.limit',
          `document ${tokens - 1} nests lists and mappings more than ` +
            `${limits.maxDepth} deep, more than any Kubernetes object needs; flatten it`,
        );
      }
    }
    if (token.type === 'document') {
      // an empty document holds nothing: counted, not composed (composing costs as much as a small object)
      if (isEmptyDocument(token)) continue;
      pending.push(tokens - 1);
    }
    for (const doc of composer.next(token)) compose(doc);
  }
  if (!skipped) for (const doc of composer.end()) compose(doc);
  if (skipped) {
    options.onWarning?.(`${skipped.where}: ${skipped.message}; skipped this document and the ${tokens - skipped.index - 1} after it`);
  }
  return parsedText((i) => kept.get(i), lines, 1);
}

/** True for a document of nothing but `---`, white space and comments. */
function isEmptyDocument(doc: CST.Document): boolean {
  const blank = (t: CST.SourceToken) => t.type === 'doc-start' || t.type === 'space' || t.type === 'newline' || t.type === 'comment';
  return doc.value === undefined && doc.start.every(blank) && (doc.end ?? []).every(blank);
}

/** The offset of a collection nested deeper than `max` in a document's syntax tree, if any. */
function deeperThan(doc: CST.Document, max: number): number | undefined {
  const stack: Array<[CST.Token | undefined, number]> = [[doc.value, 0]];
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (!t) continue;
    if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth + 1 > max) return t.offset;
      for (const item of t.items) {
        if ('key' in item) stack.push([item.key ?? undefined, depth + 1]);
        stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

interface DocumentProblem {
  readonly code: string;
  readonly line?: number;
  readonly message: string;
}

/**
 * The first problem of a composed document: a syntax error, a repeated key, an alias or a
 * collection as a key, an alias to a node that holds it, or more aliasing than the limits
 * allow. One walk, in document order, linear in the size of the document; what aliases add is
 * counted per anchored node once (so a "billion laughs" costs no more than its text).
 */
function documentProblem(
  doc: Document.Parsed,
  index: number,
  lineOf: (offset: number) => number,
  limits: InputLimits,
  budget: { aliases: number; added: number },
): DocumentProblem | undefined {
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    return {
      code: 'io.yaml',
      line: lineOf(err.pos[0]),
      message: `YAML syntax error in document ${index}: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
    };
  }
  const walk: Walk = {
    index,
    at: (n) => (n.range ? lineOf(n.range[0]) : undefined),
    limits,
    budget,
    size: new Map(),
    depth: new Map(),
    anchors: new Map(),
    open: new Set(),
    cap: limits.maxAliasNodes + 1,
  };
  const frames: Frame[] = [];
  const push = (node: YamlNode): DocumentProblem | undefined => {
    const r = enterNode(walk, node);
    if (r && 'children' in r) {
      walk.open.add(node);
      frames.push(r);
      return undefined;
    }
    return r;
  };
  if (doc.contents) {
    const problem = push(doc.contents as YamlNode);
    if (problem) return problem;
  }
  while (frames.length > 0) {
    const top = frames[frames.length - 1];
    if (top.next < top.children.length) {
      const problem = push(top.children[top.next++]);
      if (problem) return problem;
      continue;
    }
    frames.pop();
    const problem = leaveNode(walk, top);
    if (problem) return problem;
  }
  return undefined;
}

/** The state of one walk of `documentProblem`. */
interface Walk {
  /** The document's index, for messages. */
  readonly index: number;
  /** The line a node starts on. */
  readonly at: (n: { range?: readonly number[] | null }) => number | undefined;
  readonly limits: InputLimits;
  /** What aliases have used so far, across the documents of a file. */
  readonly budget: { aliases: number; added: number };
  /** Sizes (nodes, once every alias is expanded) of the nodes finished so far. */
  readonly size: Map<YamlNode, number>;
  /** Depths of the nodes finished so far. */
  readonly depth: Map<YamlNode, number>;
  readonly anchors: Map<string, YamlNode>;
  /** The collections entered and not yet left. */
  readonly open: Set<YamlNode>;
  /** A size above every limit, where counting stops. */
  readonly cap: number;
}

/** A collection being walked: its children, and the next one to enter. */
type Frame = { node: YamlNode; children: YamlNode[]; next: number };

/** Enters a node: a collection gives its frame, a scalar or alias is finished at once; or the problem it is. */
function enterNode(walk: Walk, node: YamlNode): DocumentProblem | Frame | undefined {
  if (node.anchor) walk.anchors.set(node.anchor, node);
  if (isAlias(node)) return enterAlias(walk, node);
  if (isMap(node)) return enterMap(walk, node);
  if (isSeq(node)) return { node, children: node.items.filter((x): x is YamlNode => !!x) as YamlNode[], next: 0 };
  walk.size.set(node, 1);
  walk.depth.set(node, 0);
  return undefined;
}

/** Counts what an alias adds against the limits, and refuses one to a node that holds it. */
function enterAlias(walk: Walk, node: Alias): DocumentProblem | undefined {
  const { limits, budget, at } = walk;
  if (++budget.aliases > limits.maxAliases) {
    return {
      code: 'io.limit',
      line: at(node),
      message: `the file uses more than ${limits.maxAliases.toLocaleString('en-US')} YAML aliases, more than a manifest needs; write the values out`,
    };
  }
  const target = walk.anchors.get(node.source);
  if (!target) {
    walk.size.set(node, 1);
    walk.depth.set(node, 0);
    return undefined;
  }
  if (walk.open.has(target)) {
    return {
      code: 'io.yaml',
      line: at(node),
      message: `the alias *${node.source} in document ${walk.index} refers to a node that holds it`,
    };
  }
  const added = walk.size.get(target)!;
  budget.added = Math.min(walk.cap, budget.added + added);
  if (budget.added > limits.maxAliasNodes) {
    return {
      code: 'io.limit',
      line: at(node),
      message:
        `YAML aliases expand the file by more than ${limits.maxAliasNodes.toLocaleString('en-US')} values, ` +
        `more than a manifest needs; write the values out`,
    };
  }
  walk.size.set(node, added);
  walk.depth.set(node, walk.depth.get(target)!);
  return undefined;
}

/** A mapping's frame, or the first key that is an alias, a collection or a repeat. */
function enterMap(walk: Walk, node: YAMLMap): DocumentProblem | Frame {
  const { at, index } = walk;
  const seen = new Set<string>();
  const children: YamlNode[] = [];
  for (const pair of node.items) {
    const key = pair.key as YamlNode | null;
    if (key && isAlias(key)) {
      return {
        code: 'io.yaml',
        line: at(key),
        message: `the alias *${key.source} is used as a mapping key in document ${index}; Kubernetes objects have plain keys, write the key out`,
      };
    }
    if (key && !isScalar(key)) {
      return {
        code: 'io.yaml',
        line: at(key),
        message: `a ${isSeq(key) ? 'list' : 'mapping'} is used as a mapping key in document ${index}; Kubernetes objects have plain keys`,
      };
    }
    const name = key ? String(key.value ?? '') : '';
    if (name !== '<<' || !key || key.type !== 'PLAIN') {
      if (seen.has(name)) {
        return {
          code: 'io.yaml',
          line: key ? at(key) : at(node),
          message:
            `duplicate key ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)} in document ` +
            `${index}, which the API server rejects (strict field validation); keep one of them`,
        };
      }
      seen.add(name);
    }
    if (key) children.push(key);
    if (pair.value) children.push(pair.value as YamlNode);
  }
  return { node, children, next: 0 };
}

/** Leaves a collection whose children are finished: its size and depth, or the depth limit it passes. */
function leaveNode(walk: Walk, top: Frame): DocumentProblem | undefined {
  const { size, depth, limits } = walk;
  walk.open.delete(top.node);
  let s = 1;
  let d = 0;
  for (const c of top.children) {
    s = Math.min(walk.cap, s + size.get(c)!);
    d = Math.max(d, depth.get(c)!);
  }
  size.set(top.node, s);
  depth.set(top.node, d + 1);
  if (d + 1 > limits.maxDepth) {
    return {
      code: 'io.limit',
      line: walk.at(top.node),
      message: `document ${walk.index} nests lists and mappings more than ${limits.maxDepth} deep once its aliases are expanded; write the values out`,
    };
  }
  return undefined;
}

/** Documents of a file as syntax trees, kept for the lines of their fields. */
export interface ParsedText {
  /**
   * The 1-based line of the deepest field of `segments` that exists in document `doc`, the
   * document's first line for no segments; undefined when there is no such document.
   */
  lineOfField(doc: number, segments: ReadonlyArray<string | number>): number | undefined;
}

/** The trees of a text, by document index, with the line of every offset; `firstLine` is the file's line where the text starts. */
function parsedText(doc: (index: number) => Document.Parsed | undefined, lines: LineCounter, firstLine: number): ParsedText {
  return { lineOfField: (index, segments) => lineOfField(doc(index), segments, lines, firstLine) };
}

/**
 * Parses one document's text (from its `---` marker, if any, to the next one) into a syntax
 * tree as the reader reads it (YAML 1.1, merge keys), for the lines of its fields; `firstLine`
 * is the line of the file where the slice starts.
 */
export function parseDocumentForPositions(text: string, firstLine: number): ParsedText {
  const lines = new LineCounter();
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer({ version: '1.1', uniqueKeys: false, merge: true });
  let first: Document.Parsed | undefined;
  for (const token of parser.parse(text)) for (const d of composer.next(token)) first ??= d;
  for (const d of composer.end()) first ??= d;
  return parsedText((i) => (i === 0 ? first : undefined), lines, firstLine);
}

/** The line of the deepest field of `segments` in a document's tree. */
function lineOfField(
  d: Document.Parsed | undefined,
  segments: ReadonlyArray<string | number>,
  lines: LineCounter,
  firstLine: number,
): number | undefined {
  if (!d || !d.contents) return undefined;
  let node: YamlNode | null | undefined = d.contents as YamlNode;
  let offset = (d.contents as YamlNode).range?.[0];
  let i = 0;
  while (i < segments.length) {
    const seg = segments[i];
    if (isMap(node)) {
      const map = node;
      // A key may hold dots itself (annotation keys such as netpol.dev/lint-suppress): try the longest join first.
      let found = false;
      for (let k = segments.length - i; k >= 1 && !found; k--) {
        const parts = segments.slice(i, i + k);
        if (parts.some((p) => typeof p !== 'string')) continue;
        const key = parts.join('.');
        const pair = (map.items as Pair[]).find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key);
        if (pair) {
          offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
          node = pair.value as YamlNode | null;
          i += k;
          found = true;
        }
      }
      if (!found) break;
    } else if (isSeq(node) && typeof seg === 'number') {
      const it = node.items[seg] as YamlNode | undefined;
      if (!it) break;
      offset = it.range?.[0] ?? offset;
      node = it;
      i += 1;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line + firstLine - 1;
}
