/**
 * Reading the files environments come from, with errors that name the file and, for syntax
 * errors, the line: never a stack trace.
 */
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
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

/** Parses multi-document YAML into plain values. Syntax errors name the line. */
export function parseYamlDocuments(text: string, where: string): unknown[] {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [];
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const what = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new NetpolError([{ code: 'env.syntax', path: '', message: `YAML syntax error${at}: ${what}; fix the file` }], where);
    }
  }
  return list.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const raw = (e as Error).message;
    const m = / in JSON at position (\d+)/.exec(raw);
    let what = raw;
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
