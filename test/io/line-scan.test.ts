import * as fc from 'fast-check';
import { documentLine, parseManifestText } from '../../lib/io/documents';
import { fastYamlDocuments } from '../../lib/io/private/fast-yaml';
import { readYamlFully } from '../../lib/io/private/full-yaml';
import { DEFAULT_INPUT_LIMITS } from '../../lib/io/private/limits';
import { scanDocument, scanFieldLine, UNKNOWN } from '../../lib/io/private/line-scan';

// Manifests as people and tools write them: block mappings and sequences at any indentation
// step, sequences at their key's indentation, compact mappings in list entries, comments and
// blank lines anywhere between entries, flow values, block scalars, keys that hold dots.
type Tree = { map: Array<[string, Tree]> } | { seq: Tree[] } | { leaf: string };

const KEYS = [
  'name',
  'kind',
  'spec',
  'ports',
  'app.kubernetes.io/name',
  'netpol.dev/lint-suppress',
  'a',
  'a.b',
  'b',
  '"quoted"',
  "'single'",
  '"on"',
  'on',
  '1',
  'x_y',
];
const LEAVES = [
  'web',
  '"a: b"',
  "'it''s'",
  '8080',
  'TCP',
  '{}',
  '[]',
  '[a, b]',
  '{x: 1, y: [2]}',
  '',
  '|\n{pad}line one\n{pad}line two',
  '>-\n{pad}folded',
  'a # comment',
  '{x: 1,\nb: 2}',
  '[a,\n{pad}b]',
  '"a[": b',
];

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ leaf: fc.constantFrom(...LEAVES) }),
    fc.record({
      map: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { selector: ([k]) => k, minLength: 1, maxLength: 4 }),
    }),
    fc.record({ seq: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
  ),
})).tree;

interface Style {
  readonly step: number;
  readonly sameIndentSeq: boolean;
  readonly dashSpaces: number;
  readonly comments: boolean[];
}
const style = fc.record({
  step: fc.constantFrom(1, 2, 4),
  sameIndentSeq: fc.boolean(),
  dashSpaces: fc.constantFrom(1, 1, 3),
  comments: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
});

/** Writes a tree as the lines of a block node whose first line starts at column `col` (after `first`, the text before it on that line). */
function write(t: Tree, col: number, s: Style, counter: { n: number }): string[] {
  const pad = ' '.repeat(col);
  const maybeComment = (): string[] => {
    const c = s.comments[counter.n++ % s.comments.length];
    if (!c) return [];
    return counter.n % 3 === 0 ? [''] : [`${' '.repeat(counter.n % 5)}# note`];
  };
  const leaf = (v: string, inner: number) => v.replaceAll('{pad}', ' '.repeat(inner));
  if ('leaf' in t) return [leaf(t.leaf, col + 1)];
  if ('map' in t) {
    const out: string[] = [];
    t.map.forEach(([k, v], i) => {
      if (i > 0) out.push(...maybeComment());
      const head = `${i === 0 ? '' : pad}${k}:`;
      if ('leaf' in v) {
        const text = leaf(v.leaf, col + s.step);
        out.push(text === '' ? head : `${head} ${text}`);
      } else {
        const inner = 'seq' in v && s.sameIndentSeq ? col : col + s.step;
        const lines = write(v, inner, s, counter);
        out.push(head, ...maybeComment(), ' '.repeat(inner) + lines[0], ...lines.slice(1));
      }
    });
    return out;
  }
  const out: string[] = [];
  t.seq.forEach((v, i) => {
    if (i > 0) out.push(...maybeComment());
    const dash = `${i === 0 ? '' : pad}-${' '.repeat(s.dashSpaces)}`;
    if ('seq' in v) {
      const lines = write(v, col + s.step, s, counter);
      out.push(`${dash.trimEnd()}`, ' '.repeat(col + s.step) + lines[0], ...lines.slice(1));
      return;
    }
    const lines = write(v, col + 1 + s.dashSpaces, s, counter);
    out.push(dash + lines[0], ...lines.slice(1));
  });
  return out;
}

const manifests = fc.array(fc.tuple(tree, style, fc.boolean()), { minLength: 1, maxLength: 3 }).map((docs) =>
  docs
    .map(([t, s, marker], i) => {
      const root = 'map' in t ? t : { map: [['kind', t] as [string, Tree]] };
      const body = write(root, 0, s, { n: 0 }).join('\n');
      return `${i > 0 || marker ? (s.comments[0] ? '--- # next\n' : '---\n') : s.comments[1] ? '# first\n' : ''}${body}\n`;
    })
    .join(''),
);

/** Paths of the fields of `value`, as lint writes them (`a.b[0].c`), and a few beyond them. */
function fieldPaths(value: unknown, prefix = '', segments: Array<string | number> = []): Array<[string, Array<string | number>]> {
  const out: Array<[string, Array<string | number>]> = [[prefix, segments]];
  const deeper = (k: string | number): string => (typeof k === 'number' ? `${prefix}[${k}]` : prefix ? `${prefix}.${k}` : k);
  if (typeof value !== 'object' || value === null) {
    out.push([deeper('missing'), [...segments, 'missing']], [deeper(0), [...segments, 0]]);
    return out;
  }
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof k === 'string' && !/^[A-Za-z0-9_./-]+$/.test(k)) continue;
    for (const p of fieldPaths(v, deeper(k), [...segments, k])) out.push(p);
  }
  out.push([deeper(Array.isArray(value) ? 9 : 'missing'), [...segments, Array.isArray(value) ? 9 : 'missing']]);
  return out;
}

describe('the line scanner', () => {
  test('gives every field of a document read on the fast path the line the whole file parsed at once gives it, or leaves it to a parse', () => {
    let scanned = 0;
    let asked = 0;
    fc.assert(
      fc.property(manifests, (text) => {
        let read;
        try {
          read = parseManifestText(text, 'x.yaml', { onWarning: () => undefined });
        } catch {
          return;
        }
        const whole = readYamlFully(text, 'x.yaml', {}, DEFAULT_INPUT_LIMITS, () => undefined);
        // the scanner serves text read on the fast path; what it says of the rest must be right too
        const fast = fastYamlDocuments(text, '1.1', DEFAULT_INPUT_LIMITS) !== undefined;
        const starts = [...text.matchAll(/^---(?:[ ]|$)/gm)].map((m) => m.index);
        if (starts[0] !== 0) starts.unshift(0);
        for (const d of read) {
          const start = starts[d.doc];
          const slice = text.slice(start, starts[d.doc + 1] ?? text.length);
          const doc = scanDocument(slice, text.slice(0, start).split('\n').length);
          for (const [path, segments] of fieldPaths(d.object)) {
            const expected = whole.lineOfField(d.doc, segments);
            expect({ text, path, line: documentLine(d, path) }).toEqual({ text, path, line: expected });
            const line = scanFieldLine(doc, segments);
            if (fast) asked++;
            if (line === UNKNOWN) continue;
            if (fast) scanned++;
            expect({ text, path, line }).toEqual({ text, path, line: expected });
          }
        }
      }),
      { numRuns: 1500 },
    );
    // the scanner must answer for most fields, or it saves nothing
    expect(asked).toBeGreaterThan(10000);
    expect(scanned).toBeGreaterThan(asked * 0.6);
  });
});

const POLICIES = `# generated
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  annotations:
    netpol.dev/lint-suppress: NP001
spec:
  podSelector: {}
  policyTypes:
  - Ingress
---   # the second
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
spec:
  podSelector: {}
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system

      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    -   protocol: UDP
        port: 53
    - port: 53  # TCP too
      protocol: TCP
`;

describe('the line scanner on policies as tools write them', () => {
  test.each([
    [0, [], 3],
    [0, ['metadata', 'annotations', 'netpol.dev/lint-suppress'], 8],
    [0, ['spec', 'podSelector', 'matchLabels'], 10],
    [0, ['spec', 'policyTypes', 0], 12],
    [0, ['spec', 'policyTypes', 3], 11],
    [0, ['spec', 'ingress', 0], 9],
    [1, [], 14],
    [1, ['spec', 'egress', 0, 'to', 0, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name'], 24],
    [1, ['spec', 'egress', 0, 'to', 0, 'podSelector', 'matchLabels', 'k8s-app'], 26],
    [1, ['spec', 'egress', 0, 'ports', 1, 'port'], 30],
    [1, ['spec', 'egress', 0, 'ports', 1, 'protocol'], 31],
    [1, ['spec', 'egress', 0, 'ports', 0, 'port'], 29],
    [1, ['spec', 'egress', 0, 'ports', 0, 'endPort'], 28],
  ])('document %d, field %j: line %d, without parsing', (doc, segments, line) => {
    const starts = [...POLICIES.matchAll(/^---/gm)].map((m) => m.index);
    const slice = POLICIES.slice(starts[doc], starts[doc + 1] ?? POLICIES.length);
    const scanned = scanDocument(slice, POLICIES.slice(0, starts[doc]).split('\n').length);
    expect(scanFieldLine(scanned, segments as Array<string | number>)).toBe(line);
    const whole = readYamlFully(POLICIES, 'x.yaml', {}, DEFAULT_INPUT_LIMITS, () => undefined);
    expect(whole.lineOfField(doc, segments as Array<string | number>)).toBe(line);
  });

  test.each([
    ['a flow collection over several lines', 'a: [1,\n  2]\n', ['a', 1]],
    ['a flow collection on the line after its key', 'a:\n  [1, 2]\n', ['a', 5]],
    ['a key that is not plain text', 'a:\n  on: 1\n', ['a', 'true']],
    ['a quoted key with an escape', '"a\\"b": 1\n', ['a"b']],
    ['a compact list in a list', 'a:\n- - 1\n', ['a', 0, 0]],
    ['a scalar on the line after its key', 'a:\n  text\n', ['a', 'b']],
    ['a flow mapping whose later lines look like keys', 'a: {x: 1,\nb: 2}\n', ['b']],
    ['a flow mapping in a list entry over several lines', '- {x: 1,\n  b: 2}\n- c: 1\n', [1, 'c']],
  ])('leaves %s to a parse', (_, text, segments) => {
    expect(scanFieldLine(scanDocument(text, 1), segments)).toBe(UNKNOWN);
  });
});
