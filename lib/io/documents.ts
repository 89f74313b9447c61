/**
 * Reads Kubernetes manifests from files and folders into plain objects, each with the place it
 * came from (`file#document`), so that every later error can name it. Multi-document YAML,
 * JSON, `kind: List` and any `*List` with `items` are flattened here, once.
 *
 * Input comes from many hands, so reading is bounded: only regular files are opened, and the
 * size of a file and of all inputs, the number of documents, the nesting and what aliases add
 * are capped (`InputLimits`), each with one error naming the file. Parsing stays linear in the
 * size of the input.
 */
import * as fs from 'fs';
import { Composer, CST, Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node as YamlNode, Parser } from 'yaml';
import { Issue, NetpolError } from '../model/errors';
import { readRegularFile, walkFolder } from './private/files';
import { readStdinText, STDIN_NAME, STDIN_PATH } from './stdin';
import { DEFAULT_INPUT_LIMITS, InputLimits, mib } from './private/limits';

export { DEFAULT_INPUT_LIMITS, InputLimits } from './private/limits';

/** One Kubernetes object read from a file. */
export interface ManifestDocument {
  /** The file, as given or as found under a given folder. */
  readonly file: string;
  /** 0-based index of the YAML document in the file (items of a List share their list's index). */
  readonly doc: number;
  /** Index in the list's `items` when the object came from a List. */
  readonly item?: number;
  /** The object as parsed. */
  readonly object: Record<string, unknown>;
}

/** Options for reading manifests. */
export interface ReadOptions {
  /**
   * On a YAML syntax error, keep the documents before it, drop the bad one and the rest of that
   * file, and report a warning instead of failing.
   * @default false - a syntax error is an error naming the file and line
   */
  readonly skipInvalid?: boolean;
  /** Called with each warning. @default - warnings are collected in the result only */
  readonly onWarning?: (message: string) => void;
  /** What one read may cost; each limit given replaces its default. @default DEFAULT_INPUT_LIMITS */
  readonly limits?: Partial<InputLimits>;
}

/** The result of reading: the objects, and warnings for what was passed over. */
export interface ReadResult {
  readonly documents: ManifestDocument[];
  readonly warnings: string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Lists the manifest files under the given paths: a file as is, a folder recursively
 * (`*.yaml`, `*.yml`, `*.json`, leaving out hidden folders and `node_modules`), sorted so that
 * output does not depend on the file system. Symbolic links inside a folder are followed where
 * they stay inside it (each file and folder is read once, so a link loop ends); one that leads
 * outside the folder, or nowhere, is an error, as is a manifest name that is not a regular file
 * (a FIFO, a socket, a device). `-` is standard input, listed as `<stdin>`. Throws `NetpolError`
 * for a path that does not exist.
 */
export function listManifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const issues: Issue[] = [];
  for (const p of paths) {
    if (p === STDIN_PATH) {
      out.push(STDIN_NAME);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      issues.push({
        code: 'io.missing',
        path: '',
        message: fs.lstatSync(p, { throwIfNoEntry: false })
          ? `${p}: a symbolic link to nothing; fix or remove the link`
          : `${p}: no such file or folder`,
      });
      continue;
    }
    if (stat.isDirectory()) {
      const found = walkFolder(p, (name) => MANIFEST_FILE.test(name), issues);
      if (found.length === 0 && issues.length === 0)
        issues.push({ code: 'io.empty', path: '', message: `${p}: the folder holds no *.yaml, *.yml or *.json file; check the path` });
      for (const f of found) out.push(f);
    } else {
      out.push(p);
    }
  }
  if (issues.length > 0) throw new NetpolError(issues);
  return [...new Set(out)];
}

/** Reads every manifest under `paths`. */
export function readManifestDocuments(paths: readonly string[], options: ReadOptions = {}): ReadResult {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...options.limits };
  const documents: ManifestDocument[] = [];
  const warnings: string[] = [];
  const issues: Issue[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  let total = 0;
  for (const file of listManifestFiles(paths)) {
    let text: string;
    try {
      const max = Math.min(limits.maxFileBytes, limits.maxTotalBytes - total);
      text = file === STDIN_NAME ? readStdinText(max) : readRegularFile(file, max);
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      if (e.code === 'io.too-large' && total + limits.maxFileBytes > limits.maxTotalBytes && total > 0) {
        issues.push({
          code: 'io.too-large',
          path: '',
          message: `${file}: the inputs hold more than ${mib(limits.maxTotalBytes)} together with this file; analyse fewer files at once`,
        });
        break;
      }
      for (const i of e.issues) issues.push(i);
      continue;
    }
    total += Buffer.byteLength(text, 'utf8');
    try {
      for (const d of parseManifestText(text, file, { ...options, limits, onWarning: warn })) documents.push(d);
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      for (const i of e.issues) issues.push(i);
    }
  }
  if (issues.length > 0) throw new NetpolError(issues);
  return { documents, warnings };
}

/**
 * Parses the text of one file (YAML, possibly multi-document, or JSON) as the API server reads
 * YAML 1.1: a repeated key is an error, and so are an alias or a list used as a mapping key.
 * Enforces the limits of `InputLimits` that concern one file.
 */
export function parseManifestText(text: string, file: string, options: ReadOptions = {}): ManifestDocument[] {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...options.limits };
  if (text.length > limits.maxFileBytes) {
    throw NetpolError.of(
      'io.too-large',
      '',
      `${file}: holds more than ${mib(limits.maxFileBytes)}, the most a file may hold; split it into smaller files`,
    );
  }
  const out: ManifestDocument[] = [];
  const lines = new LineCounter();
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
  const take = (doc: Document.Parsed) => {
    const i = pending.shift() ?? index;
    index = i + 1;
    const problem = documentProblem(doc, i, lineOf, limits, budget);
    if (problem) {
      const where = `${file}${problem.line ? `:${problem.line}` : ''}`;
      if (options.skipInvalid && problem.code !== 'io.limit') {
        skipped = { where, message: problem.message, index: i };
        return;
      }
      const fix = problem.code === 'io.limit' ? '' : '; fix the file, or pass --skip-invalid to analyse only the documents before it';
      throw NetpolError.of(problem.code, '', `${where}: ${problem.message}${fix}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: -1 });
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      options.onWarning?.(`${file}#${i}: not a Kubernetes object (${Array.isArray(value) ? 'a list' : `a ${typeof value}`}); skipped`);
      return;
    }
    for (const [object, item] of flattenLists(value)) out.push({ file, doc: i, ...(item !== undefined ? { item } : {}), object });
  };
  for (const token of parser.parse(text)) {
    if (token.type === 'document') tokens++;
    if (skipped) continue;
    if (tokens > limits.maxDocuments) {
      throw NetpolError.of(
        'io.limit',
        '',
        `${file}: holds more than ${limits.maxDocuments.toLocaleString('en-US')} YAML documents, the most a file may hold; split it into smaller files`,
      );
    }
    if (token.type === 'document') {
      const deep = deeperThan(token, limits.maxDepth);
      if (deep !== undefined) {
        throw NetpolError.of(
          'io.limit',
          '',
          `${file}:${lineOf(deep)}: document ${tokens - 1} nests lists and mappings more than ${limits.maxDepth} deep, more than any Kubernetes object needs; flatten it`,
        );
      }
    }
    if (token.type === 'document') {
      // an empty document holds nothing: counted, not composed (composing costs as much as a small object)
      if (isEmptyDocument(token)) continue;
      pending.push(tokens - 1);
    }
    for (const doc of composer.next(token)) take(doc);
  }
  if (!skipped) for (const doc of composer.end()) take(doc);
  if (skipped) {
    options.onWarning?.(`${skipped.where}: ${skipped.message}; skipped this document and the ${tokens - skipped.index - 1} after it`);
  }
  return out;
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
  const at = (n: { range?: readonly number[] | null }) => (n.range ? lineOf(n.range[0]) : undefined);
  // Sizes (nodes, once every alias is expanded) and depths of the nodes finished so far.
  const size = new Map<YamlNode, number>();
  const depth = new Map<YamlNode, number>();
  const anchors = new Map<string, YamlNode>();
  const open = new Set<YamlNode>();
  const cap = limits.maxAliasNodes + 1;
  type Frame = { node: YamlNode; children: YamlNode[]; next: number };
  const frames: Frame[] = [];
  const enter = (node: YamlNode): DocumentProblem | Frame | undefined => {
    if (node.anchor) anchors.set(node.anchor, node);
    if (isAlias(node)) {
      if (++budget.aliases > limits.maxAliases) {
        return {
          code: 'io.limit',
          line: at(node),
          message: `the file uses more than ${limits.maxAliases.toLocaleString('en-US')} YAML aliases, more than a manifest needs; write the values out`,
        };
      }
      const target = anchors.get(node.source);
      if (!target) {
        size.set(node, 1);
        depth.set(node, 0);
        return undefined;
      }
      if (open.has(target)) {
        return {
          code: 'io.yaml',
          line: at(node),
          message: `the alias *${node.source} in document ${index} refers to a node that holds it`,
        };
      }
      const added = size.get(target)!;
      budget.added = Math.min(cap, budget.added + added);
      if (budget.added > limits.maxAliasNodes) {
        return {
          code: 'io.limit',
          line: at(node),
          message: `YAML aliases expand the file by more than ${limits.maxAliasNodes.toLocaleString('en-US')} values, more than a manifest needs; write the values out`,
        };
      }
      size.set(node, added);
      depth.set(node, depth.get(target)!);
      return undefined;
    }
    if (isMap(node)) {
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
              message: `duplicate key ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)} in document ${index}, which the API server rejects (strict field validation); keep one of them`,
            };
          }
          seen.add(name);
        }
        if (key) children.push(key);
        if (pair.value) children.push(pair.value as YamlNode);
      }
      return { node, children, next: 0 };
    }
    if (isSeq(node)) return { node, children: node.items.filter((x): x is YamlNode => !!x) as YamlNode[], next: 0 };
    size.set(node, 1);
    depth.set(node, 0);
    return undefined;
  };
  const push = (node: YamlNode): DocumentProblem | undefined => {
    const r = enter(node);
    if (r && 'children' in r) {
      open.add(node);
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
    open.delete(top.node);
    let s = 1;
    let d = 0;
    for (const c of top.children) {
      s = Math.min(cap, s + size.get(c)!);
      d = Math.max(d, depth.get(c)!);
    }
    size.set(top.node, s);
    depth.set(top.node, d + 1);
    if (d + 1 > limits.maxDepth) {
      return {
        code: 'io.limit',
        line: at(top.node),
        message: `document ${index} nests lists and mappings more than ${limits.maxDepth} deep once its aliases are expanded; write the values out`,
      };
    }
  }
  return undefined;
}

function flattenLists(value: unknown): Array<[Record<string, unknown>, number | undefined]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const obj = value as Record<string, unknown>;
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  if (kind.endsWith('List') && Array.isArray(obj.items)) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    return obj.items.flatMap((it, idx): Array<[Record<string, unknown>, number]> => {
      if (typeof it !== 'object' || it === null || Array.isArray(it)) return [];
      const o = it as Record<string, unknown>;
      return [[o.kind === undefined && itemKind ? { kind: itemKind, ...o } : o, idx]];
    });
  }
  return [[obj, undefined]];
}

/** `file#doc` or `file#doc.items[i]`, the way errors name a document. */
export function documentLocation(d: Pick<ManifestDocument, 'file' | 'doc' | 'item'>): string {
  return `${d.file}#${d.doc}${d.item !== undefined ? `.items[${d.item}]` : ''}`;
}
