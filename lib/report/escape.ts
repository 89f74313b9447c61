/**
 * One escaping function per output format. Names, namespaces, label keys and values and file
 * paths come from many hands (Helm charts, other teams' manifests, cluster dumps), and the
 * outputs go into terminals, browsers, pull-request comments and code-scanning services. Every
 * format writes such text through the function of its kind here, so that no value can add
 * markup, statements, fences, links or terminal control sequences to what the reader sees, and
 * no message grows with the size of a value it quotes.
 */

/** C0 controls, DEL and C1 controls. */
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f';
/** The Arabic letter mark, the left-to-right and right-to-left marks. */
const DIRECTION_MARKS = '\\u061c\\u200e\\u200f';
/** The line and paragraph separators. */
const SEPARATORS = '\\u2028\\u2029';
/** The bidirectional embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069). */
const BIDI_CONTROLS = '\\u202a-\\u202e\\u2066-\\u2069';
/** The byte-order mark. */
const BYTE_ORDER_MARK = '\\ufeff';
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/**
 * Characters that change how text is shown rather than being shown: C0 and C1 controls
 * (ESC, CR, NEL, CSI...), DEL, the bidirectional overrides and isolates (which reorder what
 * a reader sees), line and paragraph separators, the byte-order mark, and unpaired surrogates.
 */
const INVISIBLE = new RegExp(`[${CONTROLS}${DIRECTION_MARKS}${SEPARATORS}${BIDI_CONTROLS}${BYTE_ORDER_MARK}]|${LONE_SURROGATE}`, 'g');

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * The text with every character that would act instead of being shown written out as an escape
 * (`\x1b`, `\r`, `\u202e`), so that it cannot move the cursor, recolour, clear or reorder what
 * a terminal or a page shows. Everything else is kept as it is.
 *
 * @example
 * visible('web\x1b[2J'); // 'web\\x1b[2J'
 */
export function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => {
    const short = SHORT_ESCAPES[c];
    if (short) return short;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Limits of `clip`. */
export const CLIP = {
  /** A run of characters without white space longer than this is shortened. */
  run: 200,
  /** A message longer than this is shortened in its middle. */
  total: 2000,
} as const;

/**
 * A message shortened for people: every run of more than `CLIP.run` characters without white
 * space (a long label value, a pasted blob) keeps its first 120 and last 40 characters around
 * `…(N characters left out)…`, and a message still longer than `CLIP.total` keeps its first
 * 1,200 and last 600 characters the same way. Linear in the length of the text.
 *
 * @example
 * clip(`label value "${'a'.repeat(10_000_000)}" is invalid`).length < 300; // true
 */
export function clip(s: string): string {
  if (s.length <= CLIP.run) return s;
  // a scan rather than a regular expression: V8 runs out of stack on a run of millions
  const parts: string[] = [];
  let copied = 0;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && !isSpace(s.charCodeAt(i))) continue;
    if (i - start > CLIP.run) {
      parts.push(s.slice(copied, start), elide(s.slice(start, i), 120, 40));
      copied = i;
    }
    start = i + 1;
  }
  parts.push(s.slice(copied));
  const runs = parts.join('');
  return runs.length <= CLIP.total ? runs : elide(runs, 1200, 600);
}

/** White space that separates runs: ASCII white space and the no-break space. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

function elide(s: string, head: number, tail: number): string {
  // never cut a surrogate pair in two
  let h = head;
  if (isHigh(s.charCodeAt(h - 1))) h--;
  let t = s.length - tail;
  if (isLow(s.charCodeAt(t))) t++;
  return `${s.slice(0, h)}…(${(t - h).toLocaleString('en-US')} characters left out)…${s.slice(t)}`;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Terminal text: one value (a name, a cell of a table) with control characters written out
 * (see `visible`). Use it on each value before it is placed in a line.
 */
export function terminalText(s: string): string {
  return visible(s);
}

/**
 * One line of a message for a terminal or a log: shortened (see `clip`) and with control
 * characters written out, so that it stays one line whatever it quotes.
 */
export function messageLine(s: string): string {
  return visible(clip(s));
}

/**
 * Text for HTML and SVG, in element content or in a quoted attribute: `& < > " '` as character
 * references, control characters written out (see `visible`; most of them may not appear in
 * XML at all).
 */
export function htmlText(s: string): string {
  return visible(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The text of a quoted Mermaid label (`["..."]`, `|"..."|`): every ASCII character but
 * letters, digits, space and `. , : / = + - _ ( ) *` as Mermaid's entity code (`#60;`), so that
 * the text can neither end the label, nor start a statement, a directive (`%%{...}%%`), HTML
 * or a Markdown string; control characters written out.
 *
 * @see https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters
 */
export function mermaidText(s: string): string {
  return visible(s).replace(/[^A-Za-z0-9 .,:/=+\-_()*\u0080-\uffff]/g, (c) => `#${c.charCodeAt(0)};`);
}

/**
 * The inside of a DOT double-quoted string used as a label: backslashes and quotes escaped
 * (so `\N`, `\G`, `\l` stay text), `&` as `&amp;` (Graphviz reads character references in
 * labels), control characters written out. Add the quotes around it.
 *
 * @see https://graphviz.org/doc/info/lang.html
 */
export function dotText(s: string): string {
  return visible(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/&/g, '&amp;');
}

/**
 * A Markdown code span holding the text exactly: delimited by one backtick more than the
 * longest run inside it (padded when the text starts or ends with one), pipes escaped so that
 * it can stand in a table cell, control characters (line breaks too) written out. Inside a
 * code span nothing is a link, a mention, HTML or emphasis.
 *
 * @see https://github.github.com/gfm/#code-spans
 */
export function markdownCode(s: string): string {
  if (s === '') return '` `';
  const text = visible(s).replace(/\|/g, '\\|');
  const ticks = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/**
 * A fenced Markdown code block around lines of text: the fence is one backtick longer than the
 * longest run of backticks in them (at least three), so that no line can close it; control
 * characters, line breaks inside a line included, are written out.
 *
 * @see https://github.github.com/gfm/#fenced-code-blocks
 */
export function markdownFence(info: string, lines: readonly string[]): string[] {
  const body = lines.map(visible);
  const fence = '`'.repeat(body.reduce((n, l) => Math.max(n, longestRun(l, '`') + 1), 3));
  return [`${fence}${info}`, ...body, fence];
}

/**
 * A plain-text Markdown table cell (for text we write, such as `TCP 80,443`): pipes escaped, no
 * line breaks, every other ASCII punctuation character that Markdown or HTML could act on
 * backslash-escaped. Text from manifests belongs in `markdownCode`.
 */
export function markdownText(s: string): string {
  return visible(s).replace(/[\\`*_{}[\]<>()#!|~&@]/g, (c) => `\\${c}`);
}

/**
 * The text of a SARIF plain-text message: backslashes and square brackets escaped, since an
 * unescaped `[text](n)` is an embedded link to a location; shortened and with control
 * characters written out, as for `messageLine`.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/sarif-v2.1.0-errata01-os.html#_Toc141790720
 */
export function sarifText(s: string): string {
  return messageLine(s).replace(/[\\[\]]/g, (c) => `\\${c}`);
}

function longestRun(s: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ch) best = Math.max(best, ++run);
    else run = 0;
  }
  return best;
}

/**
 * Text of several lines for a terminal, each line with its control characters spelled out (see
 * `visible`); the line breaks between them are kept.
 */
export function terminalLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}
