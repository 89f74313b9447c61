/**
 * Names, namespaces, file paths and messages are attacker-controlled text. Whatever they hold,
 * every output format must parse to the structure the report means: no new HTML or SVG
 * elements or attributes, no new Mermaid or DOT statements, no Markdown link, mention, HTML or
 * closed fence, no control bytes in terminal text, and JSON and SARIF that read back to the
 * same strings.
 */
import { DOMParser, Element } from '@xmldom/xmldom';
import * as fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import * as parse5 from 'parse5';
import { errorLines } from '../../bin/cli-util';
import { analyze } from '../../lib/analysis/analysis';
import { diffPolicies } from '../../lib/analysis/diff';
import { formatIssueLine } from '../../lib/check/validate/files';
import { Finding } from '../../lib/check/lint/finding';
import { formatJson } from '../../lib/check/lint/format/json';
import { formatSarif } from '../../lib/check/lint/format/sarif';
import { formatText } from '../../lib/check/lint/format/text';
import { NetpolError } from '../../lib/model/errors';
import { Peer } from '../../lib/model/peer';
import { Port } from '../../lib/model/port';
import { Direction } from '../../lib/model/rule';
import { buildDiagram, Diagram, dotToSvg, formatDot, formatMermaid, htmlPage } from '../../lib/report/diagram';
import { DIFF_MARKER, formatDiffJson, formatDiffMarkdown, formatDiffText } from '../../lib/report/diff';
import { clip, messageLine, visible } from '../../lib/report/escape';
import { formatReachability } from '../../lib/report/reach';
import { cluster, policy, rule, workload } from '../report/diagram/helpers';
import { hostileString, INVISIBLE } from './strings';

jest.setTimeout(120_000);

/** A cluster where a pod group, a namespace and a pod group in it are named by hostile text. */
function world(podName: string, nsName: string, otherPod: string) {
  const c = cluster([workload('shop', podName, { app: 'web' }), workload(nsName, otherPod, { app: 'client' })]);
  const before = [
    policy('shop', 'web', { app: 'web' }, [Direction.INGRESS, Direction.EGRESS], {
      ingress: [rule([Peer.namespaces({})], Port.tcp(80))],
      egress: [rule([Peer.cidr('10.0.0.0/8')], Port.tcp(5432))],
    }),
  ];
  const after = [
    policy('shop', 'web', { app: 'web' }, [Direction.INGRESS, Direction.EGRESS], {
      ingress: [rule([Peer.namespaces({})], Port.tcp(80), Port.tcp(443))],
      egress: [rule([Peer.cidr('10.0.0.0/16')], Port.tcp(5432))],
    }),
  ];
  return { cluster: c, before, after, analysis: analyze(after, c) };
}

const names = fc
  .tuple(hostileString(), hostileString(), hostileString())
  .filter(([a, ns, b]) => ns !== 'shop' && a !== b && !ns.includes('/'));

const RUNS = { numRuns: 40 };

/** Mermaid's entity codes (`#60;`) decoded, lines split at `<br/>`. */
function mermaidLabel(s: string): string[] {
  return s.split('<br/>').map((l) => l.replace(/#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))));
}

const ID = '[A-Za-z0-9_]+';
const LABEL = '"([^"]*)"';
// Mermaid's indentation is two spaces a level, written out as the output has it.
/* eslint-disable no-regex-spaces */
const MERMAID_STATEMENTS = [
  new RegExp('^flowchart LR$'),
  new RegExp(`^  subgraph ${ID}\\[${LABEL}\\]$`),
  new RegExp(`^    ${ID}\\[${LABEL}\\]$`),
  new RegExp('^  end$'),
  new RegExp(`^  ${ID}\\(\\[${LABEL}\\]\\)$`),
  new RegExp(`^  ${ID}\\(\\(" "\\)\\)$`),
  new RegExp(`^  ${ID} --- ${ID}$`),
  new RegExp(`^  ${ID} (?:-->|-\\.->)\\|${LABEL}\\| ${ID}$`),
  new RegExp('^  classDef (external|junction) [a-z0-9:#,\\- ]+$'),
  new RegExp(`^  class [A-Za-z0-9_,]+ (external|junction)$`),
];
/* eslint-enable no-regex-spaces */

function mermaidStatementCount(d: Diagram): number {
  return (
    1 +
    d.namespaces.reduce((n, ns) => n + 2 + ns.nodes.length, 0) +
    d.externals.length +
    d.junctions.length +
    d.edges.length +
    (d.externals.length > 0 ? 2 : 0) +
    (d.junctions.length > 0 ? 2 : 0)
  );
}

/** Checks an SVG document (or the `<svg>` of a page) against the diagram it draws. */
function checkSvg(svg: Element, d: Diagram): void {
  const all = Array.from(svg.getElementsByTagName('*'));
  for (const el of all) {
    expect(['script', 'foreignObject', 'a', 'iframe', 'image', 'use', 'style']).not.toContain(el.localName);
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.toLowerCase()).not.toMatch(/^on|href$/);
    }
  }
  const groups = (cls: string) => all.filter((e) => e.localName === 'g' && e.getAttribute('class') === cls);
  expect(groups('cluster')).toHaveLength(d.namespaces.length);
  expect(groups('node')).toHaveLength(d.namespaces.reduce((n, ns) => n + ns.nodes.length, 0) + d.externals.length + d.junctions.length);
  expect(groups('edge')).toHaveLength(d.edges.length);
  // Graphviz writes runs of spaces as no-break spaces
  const texts = all.filter((e) => e.localName === 'text').map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' '));
  for (const ns of d.namespaces) {
    for (const n of ns.nodes) expect(texts).toContain(visible(n.label[0]));
  }
}

function parseXml(text: string): Element {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(
    text,
    'image/svg+xml',
  );
  expect(errors).toEqual([]);
  return doc.documentElement!;
}

type Html = parse5.DefaultTreeAdapterMap['element'];

function elements(node: parse5.DefaultTreeAdapterMap['parentNode']): Html[] {
  const out: Html[] = [];
  const stack: parse5.DefaultTreeAdapterMap['node'][] = [...node.childNodes].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if ('tagName' in n) {
      out.push(n);
      stack.push(...(n.tagName === 'template' ? [] : [...n.childNodes].reverse()));
    }
  }
  return out;
}

function textOf(n: parse5.DefaultTreeAdapterMap['node']): string {
  if (n.nodeName === '#text') return (n as parse5.DefaultTreeAdapterMap['textNode']).value;
  return 'childNodes' in n ? n.childNodes.map(textOf).join('') : '';
}

describe('diagrams', () => {
  test('Mermaid: every line is one of the statements the diagram means, and each label reads back as the name', () => {
    fc.assert(
      fc.property(names, ([a, ns, b]) => {
        const d = buildDiagram(world(a, ns, b).analysis);
        const lines = formatMermaid(d).trimEnd().split('\n');
        expect(lines).toHaveLength(mermaidStatementCount(d));
        const labels: string[] = [];
        for (const line of lines) {
          const match = MERMAID_STATEMENTS.map((re) => re.exec(line)).find((m) => m);
          expect({ line, parsed: !!match }).toEqual({ line, parsed: true });
          if (match?.[1] !== undefined) labels.push(...mermaidLabel(match[1]));
        }
        expect(lines.join('\n')).not.toContain('%%');
        expect(labels).toEqual(expect.arrayContaining([visible(a), visible(b), `namespace ${visible(ns)}`]));
      }),
      RUNS,
    );
  });

  test('DOT and SVG: Graphviz reads exactly the clusters, nodes and edges of the diagram, and the SVG is well-formed without scripts or links', async () => {
    const samples = fc.sample(names, { numRuns: 8, seed: 42 });
    for (const [a, ns, b] of samples) {
      const d = buildDiagram(world(a, ns, b).analysis);
      const svg = await dotToSvg(formatDot(d));
      checkSvg(parseXml(svg), d);
    }
  });

  test('HTML: the page has the elements of the report and no others, the matrix names every group as it is', async () => {
    const samples = fc.sample(names, { numRuns: 8, seed: 7 });
    for (const [a, ns, b] of samples) {
      const d = buildDiagram(world(a, ns, b).analysis);
      const svg = await dotToSvg(formatDot(d));
      const page = htmlPage(d, svg, { title: a, source: b });
      const doc = parse5.parse(page);
      const els = elements(doc);
      expect(els.filter((e) => ['script', 'iframe', 'object', 'embed', 'img', 'a', 'base', 'form'].includes(e.tagName))).toEqual([]);
      for (const e of els) for (const attr of e.attrs) expect(attr.name).not.toMatch(/^on|href$/i);
      const title = els.find((e) => e.tagName === 'title' && (e.parentNode as Html).tagName === 'head')!;
      expect(textOf(title)).toBe(visible(a));
      const rows = els.filter((e) => e.tagName === 'tr' && e.parentNode && (e.parentNode as Html).tagName === 'tbody');
      expect(rows).toHaveLength(d.matrix.sources.length);
      const rowTitles = rows
        .map((r) => r.childNodes.filter((c): c is Html => 'tagName' in c && c.tagName === 'th' && c.attrs.every((x) => x.value !== 'ns')))
        .map((ths) => ths[ths.length - 1].attrs.find((x) => x.name === 'title')!.value);
      expect(rowTitles).toEqual(d.matrix.sources.map((s) => visible(s.name)));
      for (const r of rows)
        expect(r.childNodes.filter((c) => 'tagName' in c && c.tagName === 'td')).toHaveLength(d.matrix.destinations.length);
      // the inline drawing, read as SVG
      const svgEl = els.find((e) => e.tagName === 'svg')!;
      expect(svgEl).toBeDefined();
      checkSvg(parseXml(svg), d);
    }
  });
});

describe('reach and diff', () => {
  test('terminal text: no control characters, one line per pair', () => {
    fc.assert(
      fc.property(names, ([a, ns, b]) => {
        const w = world(a, ns, b);
        const table = formatReachability(w.analysis);
        expect(table).not.toMatch(INVISIBLE);
        expect(table.trimEnd().split('\n')).toHaveLength(w.analysis.connections().length + 1);
        const npGuard = formatReachability(w.analysis, { output: 'np-guard' });
        expect(npGuard).not.toMatch(INVISIBLE);
        const pairs = w.analysis.connections().filter(
          // np-guard text holds what is allowed for sure: a flow that depends on a pod IP is left out
          (c) =>
            !c.allowed.isEmpty &&
            (c.from.type === 'workload' || (c.from.type === 'external' && c.from.range.family === 4)) &&
            (c.to.type === 'workload' || (c.to.type === 'external' && c.to.range.family === 4)),
        );
        expect(npGuard.split('\n').filter((l) => l)).toHaveLength(
          pairs.filter((c) => w.analysis.nameOf(c.from) !== w.analysis.nameOf(c.to)).length,
        );
        const diff = diffPolicies(w.before, w.after, { cluster: w.cluster });
        const text = formatDiffText(diff, { before: a, after: b });
        expect(text).not.toMatch(INVISIBLE);
        const kinds = (['added', 'removed', 'changed'] as const).map((k) => diff.flows.filter((f) => f.change === k).length);
        const policyLines = diff.policies.reduce((n, p) => n + 1 + p.details.length, 0);
        const expected = 1 + kinds.reduce((n, k) => n + (k > 0 ? 3 + k : 0), 0) + (diff.policies.length > 0 ? 2 + policyLines : 0);
        expect(text.trimEnd().split('\n')).toHaveLength(expected);
      }),
      RUNS,
    );
  });

  test('JSON: every name reads back exactly', () => {
    fc.assert(
      fc.property(names, ([a, ns, b]) => {
        const w = world(a, ns, b);
        const reach = JSON.parse(formatReachability(w.analysis, { output: 'json' })) as {
          connections: Array<{ from: string; to: string }>;
        };
        const ends = new Set(reach.connections.flatMap((c) => [c.from, c.to]));
        expect(ends).toContain(`shop/${a}`);
        expect(ends).toContain(`${ns}/${b}`);
        const diff = diffPolicies(w.before, w.after, { cluster: w.cluster });
        const json = JSON.parse(formatDiffJson(diff, { before: a, after: b })) as {
          before: string;
          after: string;
          flows: Array<{ from: { name: string } }>;
        };
        expect([json.before, json.after]).toEqual([a, b]);
        expect(json.flows.map((f) => f.from.name)).toEqual(diff.flows.map((f) => f.from.name));
      }),
      RUNS,
    );
  });

  test('Markdown: names are code spans, nothing is a link, a mention or HTML, and the diff block holds every line', () => {
    const md = new MarkdownIt({ html: true, linkify: true });
    fc.assert(
      fc.property(names, ([a, ns, b]) => {
        const w = world(a, ns, b);
        const diff = diffPolicies(w.before, w.after, { cluster: w.cluster });
        const tokens = md.parse(formatDiffMarkdown(diff, { before: a, after: b }), {});
        const inline = tokens.flatMap((t) => t.children ?? []);
        expect([...tokens, ...inline].filter((t) => /link|image|html_inline/.test(t.type))).toEqual([]);
        const html = tokens.filter((t) => t.type === 'html_block').map((t) => t.content.trim());
        expect(
          html.every((h) => h === DIFF_MARKER || /^<details><summary>\d+ polic(y|ies) changed<\/summary>$/.test(h) || h === '</details>'),
        ).toBe(true);
        // text outside code comes from the report itself: no name, so no mention and no URL
        const text = inline
          .filter((t) => t.type === 'text')
          .map((t) => t.content)
          .join(' ');
        expect(text).not.toMatch(/[@<>]|http|www\./);
        // every name is a code span that reads back as the name (GFM unescapes \| in table cells)
        const codes = inline.filter((t) => t.type === 'code_inline').map((t) => t.content.replace(/\\\|/g, '|'));
        expect(codes).toEqual(expect.arrayContaining([visible(a), visible(b)]));
        const rows = tokens.filter((t) => t.type === 'tr_open').length;
        const tables = tokens.filter((t) => t.type === 'table_open').length;
        expect(rows - tables).toBe(diff.flows.length);
        const fences = tokens.filter((t) => t.type === 'fence');
        expect(fences).toHaveLength(diff.policies.length > 0 ? 1 : 0);
        if (fences.length > 0) {
          expect(fences[0].info).toBe('diff');
          expect(fences[0].content.trimEnd().split('\n')).toHaveLength(diff.policies.reduce((n, p) => n + 1 + p.details.length, 0));
        }
      }),
      RUNS,
    );
  });
});

describe('lint, validate and error lines', () => {
  const finding = (s: string, t: string): Finding => ({
    ruleId: 'NP010',
    ruleName: 'split-peer',
    severity: 'error',
    object: { kind: 'NetworkPolicy', namespace: s, name: t },
    path: `spec.ingress[0]${t}`,
    message: `peer ${s} [x](1) and ${t}`,
    fix: `merge ${t}`,
    location: { file: `deploy/${s}.yaml`, doc: 0, line: 3 },
    suppression: { reason: `${t} ${s}` },
  });

  test('lint text: one line per finding, no control characters', () => {
    fc.assert(
      fc.property(hostileString(), hostileString(), (s, t) => {
        const out = formatText([finding(s, t), finding(t, s)], { showSuppressed: true });
        expect(out).not.toMatch(INVISIBLE);
        expect(out.split('\n')).toHaveLength(3);
      }),
      RUNS,
    );
  });

  test('lint JSON and SARIF read back as the same strings; SARIF message texts have no embedded link', () => {
    fc.assert(
      fc.property(hostileString(), hostileString(), (s, t) => {
        const f = finding(s, t);
        const json = JSON.parse(formatJson([f])) as { findings: Array<Record<string, any>> };
        expect(json.findings[0]).toMatchObject({
          object: { namespace: s, name: t },
          path: f.path,
          message: clip(f.message),
          fix: clip(f.fix),
          location: { file: f.location!.file },
          suppressions: [{ justification: f.suppression!.reason }],
        });
        const sarif = JSON.parse(formatSarif([f])) as { runs: Array<{ results: Array<Record<string, any>> }> };
        const r = sarif.runs[0].results[0];
        const text = r.message.text as string;
        // SARIF: a [ or ] that is not escaped starts or ends an embedded link
        expect(text).not.toMatch(/(^|[^\\])(\\\\)*[[\]]/);
        expect(text.replace(/\\(.)/g, '$1')).toBe(messageLine(`${f.message}. Fix: ${f.fix.replace(/\.$/, '')}.`));
        expect(r.locations[0].logicalLocations[0].name).toBe(t);
        expect(r.properties).toMatchObject({ object: `${s}/${t}`, fieldPath: f.path });
        expect(r.suppressions[0].justification).toBe(f.suppression!.reason);
      }),
      RUNS,
    );
  });

  test('validate lines and CLI error lines: one line per issue, no control characters', () => {
    fc.assert(
      fc.property(hostileString(), hostileString(), (s, t) => {
        const line = formatIssueLine(
          { location: `${s}.yaml#0` },
          { code: 'x', path: `spec.${t}`, message: `Invalid value: ${s}`, hint: t },
        );
        expect(line).not.toMatch(/\n/);
        expect(line).not.toMatch(INVISIBLE);
        const lines = errorLines(
          new NetpolError(
            [
              { code: 'x', path: t, message: s },
              { code: 'y', path: '', message: t },
            ],
            s,
          ),
        );
        expect(lines).toHaveLength(2);
        for (const l of lines) expect(l).not.toMatch(/\n/);
        for (const l of lines) expect(l).not.toMatch(INVISIBLE);
      }),
      RUNS,
    );
  });
});

describe('long values', () => {
  const huge = 'v'.repeat(10_000_000);

  test('a message quoting a 10 MB value is shortened to a few hundred characters, keeping both ends', () => {
    const line = messageLine(`label value "${huge}x" of "app" is invalid; use a shorter value`);
    expect(line.length).toBeLessThan(400);
    expect(line).toBe(
      `label value "${'v'.repeat(119)}…(9,999,843 characters left out)…${'v'.repeat(38)}x" of "app" is invalid; use a shorter value`,
    );
  });

  test('lint text, JSON and SARIF and CLI error lines stay small when a value is huge', () => {
    const f: Finding = {
      ruleId: 'NP006',
      ruleName: 'selects-nothing',
      severity: 'warning',
      object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' },
      path: 'spec.podSelector',
      message: `pods ${huge} select nothing`,
      fix: 'fix it',
    };
    expect(formatText([f]).length).toBeLessThan(500);
    expect(formatJson([f]).length).toBeLessThan(1500);
    // the rules' descriptions are in every SARIF log: what the huge value adds must stay small
    expect(formatSarif([f]).length - formatSarif([{ ...f, message: 'pods x select nothing' }]).length).toBeLessThan(1500);
    expect(errorLines(NetpolError.of('x', 'metadata.labels', `label value "${huge}" is invalid`))[0].length).toBeLessThan(400);
  });

  test('a message of many short words is cut in its middle, keeping its start and its end', () => {
    const words = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
    const line = messageLine(`start ${words} end`);
    expect(line.length).toBeLessThan(2000);
    expect(line.startsWith('start w0 w1')).toBe(true);
    expect(line.endsWith('w4999 end')).toBe(true);
  });
});
