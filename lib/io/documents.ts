/**
 * Reads Kubernetes manifests from files and folders into plain objects, each with the place it
 * came from (`file#document`), so that every later error can name it. Multi-document YAML,
 * JSON, `kind: List` and any `*List` with `items` are flattened here, once.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { NetpolError } from '../model/errors';
import { readManifestText, STDIN_NAME, STDIN_PATH } from './stdin';

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
}

/** The result of reading: the objects, and warnings for what was passed over. */
export interface ReadResult {
  readonly documents: ManifestDocument[];
  readonly warnings: string[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Lists the manifest files under the given paths: a file as is, a folder recursively
 * (`*.yaml`, `*.yml`, `*.json`), sorted so that output does not depend on the file system;
 * `-` is standard input, listed as `<stdin>`.
 * Throws `NetpolError` for a path that does not exist.
 */
export function listManifestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const issues: { code: string; path: string; message: string }[] = [];
  for (const p of paths) {
    if (p === STDIN_PATH) {
      out.push(STDIN_NAME);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      issues.push({ code: 'io.missing', path: '', message: `${p}: no such file or folder` });
      continue;
    }
    if (stat.isDirectory()) {
      const found = walk(p);
      if (found.length === 0)
        issues.push({ code: 'io.empty', path: '', message: `${p}: the folder holds no *.yaml, *.yml or *.json file; check the path` });
      out.push(...found);
    } else {
      out.push(p);
    }
  }
  if (issues.length > 0) throw new NetpolError(issues);
  return [...new Set(out)];
}

function walk(dir: string, seen: Set<string> = new Set([realpath(dir)])): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    let isDirectory = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      // a link is read as what it points to (synthesized environments are links); a dangling one is skipped
      try {
        const st = fs.statSync(full);
        isDirectory = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue;
      }
    }
    if (isDirectory) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const real = realpath(full);
      if (seen.has(real)) continue; // a link back up the tree
      out.push(...walk(full, new Set([...seen, real])));
    } else if (isFile && MANIFEST_FILE.test(e.name)) {
      out.push(full);
    }
  }
  return out;
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Reads every manifest under `paths`. */
export function readManifestDocuments(paths: readonly string[], options: ReadOptions = {}): ReadResult {
  const documents: ManifestDocument[] = [];
  const warnings: string[] = [];
  const issues: { code: string; path: string; message: string }[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  for (const file of listManifestFiles(paths)) {
    let text: string;
    try {
      text = readManifestText(file);
    } catch (e) {
      issues.push({ code: 'io.read', path: '', message: `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      continue;
    }
    try {
      documents.push(...parseManifestText(text, file, { ...options, onWarning: warn }));
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      issues.push(...e.issues);
    }
  }
  if (issues.length > 0) throw new NetpolError(issues);
  return { documents, warnings };
}

/** Parses the text of one file (YAML, possibly multi-document, or JSON). */
export function parseManifestText(text: string, file: string, options: ReadOptions = {}): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, version: '1.1' });
  const list = Array.isArray(docs) ? docs : [docs];
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (d.errors.length > 0) {
      const err = d.errors[0];
      const line = err.linePos?.[0]?.line;
      const where = `${file}${line ? `:${line}` : ''}`;
      // the API server decodes strictly: a repeated key is an error there too, not "last one wins"
      const what =
        err.code === 'DUPLICATE_KEY'
          ? `duplicate key in document ${i}, which the API server rejects (strict field validation); keep one of them`
          : `YAML syntax error in document ${i}: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
      if (options.skipInvalid) {
        options.onWarning?.(`${where}: ${what}; skipped this document and the ${list.length - i - 1} after it`);
        break;
      }
      throw NetpolError.of(
        'io.yaml',
        '',
        `${where}: ${what}; fix the file, or pass --skip-invalid to analyse only the documents before it`,
      );
    }
    const value: unknown = d.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      options.onWarning?.(`${file}#${i}: not a Kubernetes object (${Array.isArray(value) ? 'a list' : `a ${typeof value}`}); skipped`);
      continue;
    }
    for (const [object, item] of flattenLists(value)) out.push({ file, doc: i, ...(item !== undefined ? { item } : {}), object });
  }
  return out;
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
