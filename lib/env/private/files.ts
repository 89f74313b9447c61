/**
 * Reading the files environments come from, with errors that name the file and, for syntax
 * errors, the line: never a stack trace.
 */
import * as fs from 'fs';
import type * as Yaml from 'yaml';
import { fastYamlDocuments } from '../../io/private/fast-yaml';
import { DEFAULT_INPUT_LIMITS } from '../../io/private/limits';
import { NetpolError } from '../../model/errors';

/** Reads a text file. Throws `NetpolError` located at `file` when it is missing or unreadable. */
export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new NetpolError(
        [{ code: 'env.file-missing', path: '', message: `${what} not found; check the path, or create the file` }],
        file,
      );
    }
    if (code === 'EISDIR') {
      throw new NetpolError(
        [{ code: 'env.file-read', path: '', message: `is a folder, not ${withArticle(what)}; give the path of the file` }],
        file,
      );
    }
    throw new NetpolError(
      [
        {
          code: 'env.file-read',
          path: '',
          message: `${what} cannot be read (${code ?? String(e)}); check that the file exists and is readable`,
        },
      ],
      file,
    );
  }
}

/**
 * Parses the text of a one-document file, YAML or JSON (told apart by content: JSON starts
 * with `{` or `[`). Returns undefined for an empty document. Syntax errors name the line.
 */
export function parseDataText(text: string, where: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJson(text, where);
  const docs = parseYamlDocuments(text, where);
  if (docs.length > 1) {
    throw new NetpolError(
      [
        {
          code: 'env.syntax',
          path: '',
          message: `holds ${docs.length} YAML documents; an environment is one document, so remove the "---" separators or split the file`,
        },
      ],
      where,
    );
  }
  return docs[0] ?? undefined;
}

/**
 * Parses multi-document YAML into plain values (YAML 1.2 core schema). Syntax errors name the
 * line. Text that keeps to what such files use is read on the manifest reader's fast path
 * (js-yaml); the rest by the `yaml` package, where duplicate keys are found in one pass (the parser's own check compares every key with every other, which
 * makes a mapping of 50,000 CIDRs take minutes).
 */
export function parseYamlDocuments(text: string, where: string): unknown[] {
  // the manifest reader's fast path, with the YAML 1.2 core schema; what it leaves over, and
  // every problem, is read below with the same values and the messages of environments
  const fast = fastYamlDocuments(text, '1.2', { maxDocuments: Number.MAX_SAFE_INTEGER, maxDepth: DEFAULT_INPUT_LIMITS.maxDepth });
  if (fast) return fast;
  // the yaml package is loaded only for text the fast path leaves over
  const { LineCounter, parseAllDocuments } = yamlPackage();
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines });
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const what = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new NetpolError([{ code: 'env.syntax', path: '', message: `YAML syntax error${at}: ${what}; fix the file` }], where);
    }
    const duplicate = firstDuplicateKey(d.contents);
    if (duplicate) {
      const at = lines.linePos(duplicate.offset);
      const first = lines.linePos(duplicate.firstOffset);
      throw new NetpolError(
        [
          {
            code: 'env.syntax',
            path: '',
            message:
              `YAML syntax error at line ${at.line}, column ${at.col}: key "${duplicate.key}" is also at line ` +
              `${first.line}; a mapping holds each key once, so remove or rename one`,
          },
        ],
        where,
      );
    }
  }
  return list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
}

/** The first key that repeats in a mapping of `node` (depth first), with where it and its first use start. */
function firstDuplicateKey(root: unknown): { key: string; offset: number; firstOffset: number } | undefined {
  const { isMap, isScalar, isSeq } = yamlPackage();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const k = pair.key;
        const key = isScalar(k) ? String(k.value) : String(k);
        const offset = (k as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
        const first = seen.get(key);
        if (first !== undefined) return { key, offset, firstOffset: first };
        seen.set(key, offset);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const raw = (e as Error).message;
    const m = / in JSON at position (\d+)/.exec(raw);
    let what: string;
    let at = '';
    if (m) {
      const before = text.slice(0, parseInt(m[1], 10));
      const line = before.split('\n').length;
      const col = before.length - before.lastIndexOf('\n');
      at = ` at line ${line}, column ${col}`;
      what = raw.slice(0, m.index);
    } else {
      // V8 quotes a snippet of the text instead of a position; keep only the first clause.
      what = raw.split(', "')[0].split(', ...')[0];
    }
    throw new NetpolError([{ code: 'env.syntax', path: '', message: `JSON syntax error${at}: ${what}; fix the file` }], where);
  }
}

function withArticle(what: string): string {
  return /^[aeiou]/i.test(what) ? `an ${what}` : `a ${what}`;
}

function yamlPackage(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the yaml package is loaded only for text the fast path leaves over
  return require('yaml') as typeof Yaml;
}
