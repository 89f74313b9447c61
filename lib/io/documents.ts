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
import { Issue, NetpolError } from '../model/errors';
import { readRegularFile, walkFolder } from './private/files';
import { readStdinText, STDIN_NAME, STDIN_PATH } from './stdin';
import { DEFAULT_INPUT_LIMITS, InputLimits, mib } from './private/limits';
import { fastYamlDocuments } from './private/fast-yaml';
import type { ParsedText } from './private/full-yaml';
import { scanDocument, ScannedDocument, scanFieldLine, UNKNOWN } from './private/line-scan';

export { DEFAULT_INPUT_LIMITS } from './private/limits';
export type { InputLimits } from './private/limits';

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
  /** The text it was read from, for the lines of its fields (`documentLine`). */
  readonly source?: ManifestSource;
}

/** The text of a file that manifests were read from. */
export interface ManifestSource {
  /** The file, as in `ManifestDocument.file`. */
  readonly file: string;
  readonly text: string;
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
 *
 * Text that keeps to what manifests use is parsed on a fast path (js-yaml); anything else, and
 * every problem, is left to the full reader, which gives the same values, checks and messages.
 */
export function parseManifestText(text: string, file: string, options: ReadOptions = {}): ManifestDocument[] {
  const limits = { ...DEFAULT_INPUT_LIMITS, ...options.limits };
  if (text.length > limits.maxFileBytes) {
    throw NetpolError.about(
      file,
      'io.too-large',
      `holds more than ${mib(limits.maxFileBytes)}, the most a file may hold; split it into smaller files`,
    );
  }
  const out: ManifestDocument[] = [];
  const source: ManifestSource = { file, text };
  const take = (value: unknown, i: number) => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      options.onWarning?.(`${file}#${i}: not a Kubernetes object (${Array.isArray(value) ? 'a list' : `a ${typeof value}`}); skipped`);
      return;
    }
    for (const [object, item] of flattenLists(value)) out.push({ file, doc: i, ...(item !== undefined ? { item } : {}), object, source });
  };
  const fast = fastYamlDocuments(text, '1.1', limits);
  if (fast) fast.forEach(take);
  else positions.set(source, fullReader().readYamlFully(text, file, options, limits, take));
  return out;
}

/** The full reader, loaded when first needed. */
function fullReader(): typeof import('./private/full-yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the full reader (and the yaml package) load only when a text needs it
  return require('./private/full-yaml') as typeof import('./private/full-yaml');
}

/**
 * Lines of fields per source text: the syntax trees the full reader built while reading, or,
 * for text read on the fast path, where its documents start, and each document asked about,
 * split into lines for the scanner (and parsed, once, where the scanner gives up).
 */
const positions = new WeakMap<ManifestSource, ParsedText>();
const fastDocuments = new WeakMap<ManifestSource, FastPositions>();

/** What a text read on the fast path keeps for the lines of its documents' fields. */
interface FastPositions {
  /** Each document's start offset and first line, in order. */
  readonly starts: ReadonlyArray<readonly [number, number]>;
  readonly scanned: Map<number, ScannedDocument>;
  readonly trees: Map<number, ParsedText>;
}

/**
 * The 1-based line of a field of a document read from a file: the line of the deepest part of
 * `path` (`spec.ingress[0].from[1]`; keys that hold dots, such as annotation keys, are found)
 * that the document has, or its first line for an empty path. Undefined when the document's
 * text is not known (it was not read by this module) or holds no such document. A file read
 * by the full reader keeps the syntax trees it was read with; on the fast path, the document's
 * lines are scanned, and only a document the scanner cannot follow is parsed again, once.
 */
export function documentLine(d: ManifestDocument, path: string): number | undefined {
  if (!d.source) return undefined;
  const segments = [...(d.item !== undefined ? ['items', d.item] : []), ...pathSegments(path)];
  const whole = positions.get(d.source);
  if (whole) return whole.lineOfField(d.doc, segments);
  let fast = fastDocuments.get(d.source);
  if (!fast) fastDocuments.set(d.source, (fast = { starts: documentStarts(d.source.text), scanned: new Map(), trees: new Map() }));
  const tree = fast.trees.get(d.doc);
  if (tree) return tree.lineOfField(0, segments);
  const start = fast.starts[d.doc];
  if (start === undefined) return undefined;
  const end = fast.starts[d.doc + 1]?.[0] ?? d.source.text.length;
  let scanned = fast.scanned.get(d.doc);
  if (!scanned) fast.scanned.set(d.doc, (scanned = scanDocument(d.source.text.slice(start[0], end), start[1])));
  const line = scanFieldLine(scanned, segments);
  if (line !== UNKNOWN) return line;
  const parsed = fullReader().parseDocumentForPositions(d.source.text.slice(start[0], end), start[1]);
  fast.trees.set(d.doc, parsed);
  fast.scanned.delete(d.doc);
  return parsed.lineOfField(0, segments);
}

/** `spec.ingress[0].from[1]` → `['spec', 'ingress', 0, 'from', 1]`. */
function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[([0-9]+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/**
 * Where each document of a text the fast path read starts, and its first line, in one pass.
 * The fast path reads no directives and no `...` markers, so documents are separated by lines
 * that start with `---` (which also end any scalar before them); text before the first marker
 * is a document only if it holds more than blank lines and comments.
 */
function documentStarts(text: string): Array<[number, number]> {
  const marker = /^---(?:[ \t]|$)/gm;
  const starts: Array<[number, number]> = [];
  let line = 1;
  let counted = 0;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    for (let k = text.indexOf('\n', counted); k >= 0 && k < m.index; k = text.indexOf('\n', k + 1)) {
      line++;
      counted = k + 1;
    }
    starts.push([m.index, line]);
  }
  const first = starts[0]?.[0] ?? text.length;
  if (first !== 0 && /^[ \t]*[^\s#]/m.test(text.slice(0, first))) starts.unshift([0, 1]);
  return starts;
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
