/**
 * Reports written piece by piece: JSON objects whose big arrays are walked lazily, and tables
 * whose column widths come from a first pass over the rows, never from the whole text.
 */
/** An array of a `jsonChunks` object whose elements are produced one at a time. */
export class JsonStream {
  public constructor(public readonly items: Iterable<unknown>) {}
}

/**
 * The text of `JSON.stringify(object, null, 2)` and a newline, in pieces, where `object` has the
 * given fields in order (`undefined` ones left out, as `JSON.stringify` does) and the values
 * that are `JsonStream`s are arrays written one element at a time.
 */
export function* jsonChunks(fields: ReadonlyArray<readonly [string, unknown]>): Generator<string> {
  let first = true;
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    yield `${first ? '{' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    if (value instanceof JsonStream) {
      let n = 0;
      for (const item of value.items) yield `${n++ === 0 ? '[' : ','}\n    ${indent(JSON.stringify(item, null, 2), '    ')}`;
      yield n === 0 ? '[]' : '\n  ]';
    } else yield indent(JSON.stringify(value, null, 2), '  ');
  }
  yield first ? '{}\n' : '\n}\n';
}

function indent(text: string, pad: string): string {
  return text.includes('\n') ? text.replace(/\n/g, `\n${pad}`) : text;
}

/** How a column of `tableChunks` is aligned. */
export type Align = 'left' | 'right';

/**
 * An aligned table as lines (`rows()` is called twice: once for the widths, once to write),
 * columns two spaces apart and the last one not padded. Cells are given as they are shown (names
 * already passed through `terminalText`). `prefix` starts every line.
 */
export function* tableChunks(
  header: readonly string[],
  rows: () => Iterable<readonly string[]>,
  options: { readonly align?: readonly Align[]; readonly prefix?: string } = {},
): Generator<string> {
  const widths = header.map((h) => h.length);
  for (const r of rows()) for (let i = 0; i < r.length - 1; i++) if (r[i].length > widths[i]) widths[i] = r[i].length;
  const prefix = options.prefix ?? '';
  const line = (r: readonly string[]) =>
    prefix +
    r
      .map((cell, i) => (i === r.length - 1 ? cell : options.align?.[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ') +
    '\n';
  yield line(header);
  for (const r of rows()) yield line(r);
}

/** The pieces joined: the whole text, for callers that want a string. */
export function joinChunks(chunks: Iterable<string>): string {
  let out = '';
  for (const c of chunks) out += c;
  return out;
}
