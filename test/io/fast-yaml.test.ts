import * as fc from 'fast-check';
import { documentLine, parseManifestText } from '../../lib/io/documents';
import { fastYamlDocuments } from '../../lib/io/private/fast-yaml';
import { readYamlFully } from '../../lib/io/private/full-yaml';
import { DEFAULT_INPUT_LIMITS } from '../../lib/io/private/limits';
import { parseAllDocuments } from 'yaml';

/** What the full reader makes of a text: each document's value by index, or its first problem. */
function fully(text: string): { values: Map<number, unknown> } | { error: string } {
  const values = new Map<number, unknown>();
  try {
    readYamlFully(text, 'x.yaml', {}, DEFAULT_INPUT_LIMITS, (v, i) => values.set(i, v));
    return { values };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * The fast path either declines or gives exactly the full reader's documents: the same values,
 * in the same places, empty documents as null.
 */
function expectAgreement(text: string): 'fast' | 'declined' {
  const fast = fastYamlDocuments(text, '1.1', DEFAULT_INPUT_LIMITS);
  const full = fully(text);
  if (fast === undefined) return 'declined';
  if ('error' in full) throw new Error(`the fast path read what the full reader refuses (${full.error}):\n${text}`);
  const nonEmpty = new Map<number, unknown>();
  fast.forEach((v, i) => {
    if (v !== null && v !== undefined) nonEmpty.set(i, v);
  });
  const fullNonEmpty = new Map([...full.values].filter(([, v]) => v !== null && v !== undefined));
  expect(nonEmpty).toEqual(fullNonEmpty);
  expect([...nonEmpty.keys()]).toEqual([...fullNonEmpty.keys()]);
  return 'fast';
}

// Scalars that mean something other than text in YAML 1.1, or look as if they might, and text
// that needs quoting.
const SCALARS = [
  'on',
  'off',
  'On',
  'OFF',
  'yes',
  'no',
  'Yes',
  'NO',
  'y',
  'n',
  'Y',
  'N',
  'true',
  'False',
  'TRUE',
  '~',
  'null',
  'Null',
  'NULL',
  '0x10',
  '0x1F',
  '-0x10',
  '0o17',
  '010',
  '08',
  '0',
  '-0',
  '+1',
  '007',
  '0b101',
  '-0b11',
  '1_000',
  '12345678901234567890',
  '1e3',
  '1E3',
  '-1.5e-3',
  '1.',
  '.5',
  '-.5',
  '1.50',
  '.inf',
  '-.Inf',
  '+.INF',
  '.NaN',
  '.nan',
  '12:30',
  '1:20:30.5',
  '-1:30',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  'e123',
  '.',
  '-',
  '+',
  '_',
  '0_',
  '1_',
  'a b',
  'web',
  'kube-dns',
  'app.kubernetes.io/name',
  "it's",
  'say "hi"',
  '#not a comment',
  'x #comment',
  'http://x/y?a=1&b=2',
  '*/5 * * * *',
  '@at',
  '`tick',
  'ünïcode',
  '10.0.0.0/8',
  '2001:db8::/32',
  ':colon',
  'a:b',
  '- dash',
  '',
  ' lead',
  'trail ',
  'multi\nline',
  'tab\there',
  'bell\u0007',
  '%pct',
  '[x]',
  '{x}',
  'a,b',
];
const KEYS = ['name', 'on', 'yes', '1', 'app.kubernetes.io/name', 'a b', 'true', '0x10', 'kind', 'x', '__proto__', 'constructor'];

type Node =
  | { s: string; style: 'plain' | 'single' | 'double' | 'literal' | 'folded' }
  | { map: Array<[string, 'plain' | 'double', Node]>; flow: boolean }
  | { seq: Node[]; flow: boolean };

const scalarNode = fc.record({
  s: fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 6 })),
  style: fc.constantFrom('plain', 'plain', 'plain', 'single', 'double', 'literal', 'folded') as fc.Arbitrary<
    'plain' | 'single' | 'double' | 'literal' | 'folded'
  >,
});
const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarNode,
    fc.record({
      map: fc.array(
        fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('plain', 'double') as fc.Arbitrary<'plain' | 'double'>, tie('node')),
        { maxLength: 4 },
      ),
      flow: fc.boolean(),
    }),
    fc.record({ seq: fc.array(tie('node'), { maxLength: 4 }), flow: fc.boolean() }),
  ),
}));

function scalarText(n: { s: string; style: string }, indent: number, flow: boolean): string {
  const pad = ' '.repeat(indent + 2);
  switch (n.style) {
    case 'single':
      return `'${n.s.replace(/'/g, "''").replace(/\n/g, '\n\n')}'`;
    case 'double':
      return JSON.stringify(n.s);
    case 'literal':
    case 'folded':
      if (flow) return JSON.stringify(n.s);
      return `${n.style === 'literal' ? '|' : '>'}${n.s.endsWith('\n') ? '+' : '-'}\n${n.s
        .split('\n')
        .map((l) => `${pad}${l}`)
        .join('\n')}`;
    default:
      return n.s;
  }
}

/** Writes a node as YAML; plain scalars go out as they are, so some of the text is invalid or means something else: both readers must agree on it anyway. */
function emit(n: Node, indent: number, flow: boolean): string {
  if ('s' in n) return scalarText(n, indent, flow);
  const pad = ' '.repeat(indent);
  if ('map' in n) {
    if (n.map.length === 0) return '{}';
    const key = (k: string, style: string) => (style === 'double' ? JSON.stringify(k) : k);
    if (flow || n.flow) return `{${n.map.map(([k, ks, v]) => `${key(k, ks)}: ${emit(v, indent, true)}`).join(', ')}}`;
    return n.map
      .map(([k, ks, v], i) => {
        const isBlock = !('s' in v) && !v.flow && ('map' in v ? v.map.length : v.seq.length) > 0;
        const head = `${i === 0 ? '' : pad}${key(k, ks)}:`;
        return isBlock ? `${head}\n${' '.repeat(indent + 2)}${emit(v, indent + 2, false)}` : `${head} ${emit(v, indent, false)}`;
      })
      .join('\n');
  }
  if (n.seq.length === 0) return '[]';
  if (flow || n.flow) return `[${n.seq.map((v) => emit(v, indent, true)).join(', ')}]`;
  return n.seq.map((v, i) => `${i === 0 ? '' : pad}- ${emit(v, indent + 2, false)}`).join('\n');
}

const documents = fc.array(
  fc.oneof(
    node.map((n) => emit(n, 0, false)),
    fc.constant(''),
    fc.constant('# only a comment'),
    fc.constant('~'),
    fc.constant('apiVersion: v1\nkind: List\nitems:\n- {kind: Pod, metadata: {name: a}}\n- kind: Pod\n  metadata:\n    name: b'),
  ),
  { minLength: 1, maxLength: 4 },
);

const asStream = (docs: string[], explicitFirst: boolean) => docs.map((d, i) => `${i > 0 || explicitFirst ? '---\n' : ''}${d}\n`).join('');

describe('the fast path of reading YAML', () => {
  test('agrees with the full reader on generated manifests, or leaves them to it', () => {
    let fast = 0;
    fc.assert(
      fc.property(documents, fc.boolean(), (docs, explicitFirst) => {
        if (expectAgreement(asStream(docs, explicitFirst)) === 'fast') fast++;
      }),
      { numRuns: 3000 },
    );
    // the test means something only if the fast path takes a good share of the inputs
    expect(fast).toBeGreaterThan(600);
  });

  test('agrees with the yaml package on the YAML 1.2 core schema, as environment files are read, or leaves the text to it', () => {
    let fast = 0;
    fc.assert(
      fc.property(documents, fc.boolean(), (docs, explicitFirst) => {
        const text = asStream(docs, explicitFirst);
        const got = fastYamlDocuments(text, '1.2', DEFAULT_INPUT_LIMITS);
        if (got === undefined) return;
        fast++;
        const parsed = parseAllDocuments(text);
        const list = Array.isArray(parsed) ? parsed : [];
        expect(list.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
        expect(got).toEqual(list.map((d) => d.toJS() as unknown));
      }),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(400);
  });

  test.each([
    [
      'YAML 1.2 booleans and numbers',
      'a: on\nb: yes\nc: 0x10\nd: 0o17\ne: 010\nf: 1e3\ng: True\n',
      { a: 'on', b: 'yes', c: 16, d: 15, e: 10, f: 1000, g: true },
    ],
  ])('reads %s as the yaml package does', (_, text, value) => {
    expect(fastYamlDocuments(text, '1.2', DEFAULT_INPUT_LIMITS)).toEqual([value]);
    expect((parseAllDocuments(text) as Array<{ toJS(): unknown }>)[0].toJS()).toEqual(value);
  });

  test.each([
    ['YAML 1.1 booleans', 'a: on\nb: off\nc: yes\nd: No\ne: y\nf: N\n', { a: true, b: false, c: true, d: false, e: true, f: false }],
    [
      'YAML 1.1 numbers',
      'a: 0x10\nb: 010\nc: 0b11\nd: 1e3\ne: 1_000\nf: .5\ng: -.inf\nh: 08\n',
      { a: 16, b: 8, c: 3, d: 1000, e: 1000, f: 0.5, g: -Infinity, h: 8 },
    ],
    ['nulls', 'a: ~\nb: null\nc:\nd: NULL\n', { a: null, b: null, c: null, d: null }],
    ['quoted look-alikes stay text', 'a: "on"\nb: \'0x10\'\nc: "~"\n', { a: 'on', b: '0x10', c: '~' }],
    ['block scalars', 'a: |\n  x\n  y\nb: >-\n  x\n  y\n', { a: 'x\ny\n', b: 'x y' }],
  ])('reads %s as the full reader does', (_, text, value) => {
    expect(fastYamlDocuments(text, '1.1', DEFAULT_INPUT_LIMITS)).toEqual([value]);
    expect(fully(text)).toEqual({ values: new Map([[0, value]]) });
  });

  test.each([
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'a: {b: 1}\nc: {<<: {d: 1}}\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a list as a key', '[a, b]: 1\n'],
    ['a null key', '~: 1\n'],
    ['an empty key', ': 1\n'],
    ['a repeated key', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: [1\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a tab', 'a:\t1\n'],
    ['a carriage return', 'a: 1\r\n'],
    ['a sexagesimal number', 'a: 1:30\n'],
    ['a timestamp', 'a: 2001-12-14\n'],
    ['a comment right after an opening bracket', 'a: [[#b, c\nd]]\n'],
    ['an empty list entry before a less indented one', '- name:\n    - \n- \n'],
    ['a flow mapping whose later lines are not indented', 'a: {x: 1,\nb: 2}\n'],
    ['a flow list over several lines', 'a:\n  b: [1,\n    2]\n'],
    ['a list entry that is a flow mapping over several lines', '- {x: "]",\n  b: 2}\n'],
    ['nesting 100 deep', `a: ${'['.repeat(100)}${']'.repeat(100)}\n`],
    ['a block scalar with an indentation indicator at the top of a document', '|1\n x\n'],
    ['a block scalar with an indentation indicator before a document marker', '|1\n---\n# only a comment\n'],
    ['a block scalar with an indentation indicator in a mapping', 'a: >2-\n   x\n'],
  ])('leaves %s to the full reader', (_, text) => {
    expect(fastYamlDocuments(text, '1.1', DEFAULT_INPUT_LIMITS)).toBeUndefined();
  });

  test('leaves more documents than the limit to the full reader, which reports them', () => {
    expect(fastYamlDocuments('---\na: 1\n---\nb: 2\n', '1.1', { maxDocuments: 1, maxDepth: 100 })).toBeUndefined();
  });

  test('reading gives the same documents, warnings and errors on either path', () => {
    const text = 'kind: Pod\nmetadata: {name: a, labels: {on: yes}}\n---\n- not an object\n---\n';
    const warnings: string[] = [];
    const docs = parseManifestText(text, 'x.yaml', { onWarning: (m) => warnings.push(m) });
    expect(docs.map((d) => [d.doc, d.object])).toEqual([[0, { kind: 'Pod', metadata: { name: 'a', labels: { true: true } } }]]);
    expect(warnings).toEqual(['x.yaml#1: not a Kubernetes object (a list); skipped']);
    // the same text with an alias takes the full reader
    const aliased = parseManifestText(text.replace('{on: yes}', '&l {on: yes}'), 'x.yaml', { onWarning: () => undefined });
    expect(aliased.map((d) => [d.doc, d.object])).toEqual(docs.map((d) => [d.doc, d.object]));
  });

  test('gives every field the line the whole file parsed at once gives it', () => {
    let asked = 0;
    fc.assert(
      fc.property(documents, fc.boolean(), fc.constantFrom('', '# leading comment\n', '\n\n'), (docs, explicitFirst, preamble) => {
        const text = preamble + asStream(docs, explicitFirst);
        let read;
        try {
          read = parseManifestText(text, 'x.yaml', { onWarning: () => undefined });
        } catch {
          return;
        }
        const whole = readYamlFully(text, 'x.yaml', {}, DEFAULT_INPUT_LIMITS, () => undefined);
        for (const d of read) {
          for (const [path, segments] of fieldPaths(d.object, 3)) {
            const expected = whole.lineOfField(d.doc, [...(d.item !== undefined ? ['items', d.item] : []), ...segments]);
            expect({ text, doc: d.doc, path, line: documentLine(d, path) }).toEqual({ text, doc: d.doc, path, line: expected });
            asked++;
          }
        }
      }),
      { numRuns: 1000 },
    );
    expect(asked).toBeGreaterThan(1000);
  });
});

/** Paths of the fields of `value` to `depth` levels, as lint writes them (`a.b[0].c`), with their segments. */
function fieldPaths(
  value: unknown,
  depth: number,
  prefix = '',
  segments: Array<string | number> = [],
): Array<[string, Array<string | number>]> {
  const out: Array<[string, Array<string | number>]> = [[prefix, segments]];
  if (depth === 0 || typeof value !== 'object' || value === null) return out;
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    // keys that lint's paths cannot spell (brackets, dots, empty) are left out
    if (typeof k === 'string' && !/^[A-Za-z0-9_-]+$/.test(k)) continue;
    const path = typeof k === 'number' ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k;
    for (const p of fieldPaths(v, depth - 1, path, [...segments, k])) out.push(p);
  }
  return out;
}
