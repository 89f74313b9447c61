/**
 * Hostile text for the output tests: fragments that mean something to one of the formats
 * (markup, Mermaid and DOT statements, Markdown fences, links and mentions, SARIF links,
 * terminal control sequences), mixed with arbitrary Unicode, including unpaired surrogates.
 */
import * as fc from 'fast-check';

/** Fragments each format could act on. */
export const FRAGMENTS: readonly string[] = [
  '"><img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<svg onload=alert(1)>',
  '</text></g><script>x</script>',
  "'",
  '"',
  '&lt;b&gt;',
  '&amp;',
  '&#60;',
  '#60;',
  '```',
  '`',
  '~~~',
  '|',
  '\n',
  '\r',
  '\r\n```\n',
  '\t',
  '\x1b[2J',
  '\x1b]8;;http://e.example\x07',
  '\x9b31m',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\udc00',
  '\x00',
  '\x7f',
  '%%{init: {"securityLevel": "loose"}}%%',
  '"]\n  click w_a call alert(1)\n  x["',
  '|"x"| b\n  style a fill:#f00',
  '];',
  '"];\n  a -> b [label="',
  '\\N',
  '\\',
  '\\l',
  '[x](http://e.example)',
  '[x](1)',
  '@octocat',
  'http://e.example',
  'www.e.example',
  '<details>',
  '</details>',
  '<!--',
  '-->',
  '{',
  '}',
  '**b**',
  '_i_',
  ' ',
  'end',
  'subgraph',
  'a'.repeat(300),
];

/** One hostile string: at least one character, made of fragments and arbitrary text. */
export function hostileString(): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
      ),
      {
        minLength: 1,
        maxLength: 5,
      },
    )
    .map((parts) => parts.join(''))
    .filter((s) => s.length > 0);
}

/** Characters that must never reach a terminal, a page or a comment as they are. */
export const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it finds
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
