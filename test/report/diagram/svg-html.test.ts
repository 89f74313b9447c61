import { analyze } from '../../../lib/analysis/analysis';
import { buildDiagram, dotToSvg, formatHtml, formatSvg, htmlPage, renderDiagram } from '../../../lib/report/diagram';
import { cluster, policy, shop, workload } from './helpers';
import { Direction } from '../../../lib/model/rule';

jest.setTimeout(30_000);

function shopDiagram() {
  const { policies, cluster: c } = shop();
  return buildDiagram(analyze(policies, c));
}

describe('formatSvg', () => {
  test('lays out the diagram with Graphviz in-process: one group per node and edge, with the labels', async () => {
    const svg = await formatSvg(shopDiagram());
    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('<svg ');
    for (const id of ['w_shop_web', 'w_shop_db', 'src1', 'dst1']) expect(svg).toContain(`<title>${id}</title>`);
    expect(svg).toContain('<title>cluster_ns_shop</title>');
    expect(svg).toContain('<title>w_shop_web&#45;&gt;w_shop_db</title>');
    for (const text of ['namespace shop', '0.0.0.0/0 except 10.0.0.0/8', 'TCP 443', 'TCP 5432']) expect(svg).toContain(`>${text}</text>`);
  });

  test('rejects with the reason when Graphviz cannot read the graph', async () => {
    await expect(dotToSvg('digraph { a -> }')).rejects.toThrow(/^Graphviz could not lay out the diagram: /);
  });
});

describe('formatHtml', () => {
  test('makes one page with the drawing and the matrix', async () => {
    const html = await formatHtml(shopDiagram(), { source: 'dist/prod' });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>NetworkPolicy reachability</title>');
    expect(html).toContain('<p class="source">dist/prod</p>');
    expect(html).toContain('<p class="summary">1 namespace · 2 pod groups · 2 external address groups · 3 allowed flows</p>');
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).not.toContain('<?xml');
    expect(html).not.toContain('<!DOCTYPE svg');
    expect(html).toContain('<table class="matrix">');
    expect(html).toContain('<td class="cell some" title="shop/web → shop/db: TCP 5432">TCP 5432</td>');
  });

  test('is self-contained: no scripts, links or URLs other than XML namespaces', async () => {
    const html = await formatHtml(shopDiagram());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|@import|url\(/i);
    const urls = (html.match(/https?:\/\/[^\s"'<>)]+/g) ?? []).filter((u) => !/^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)$/.test(u));
    expect(urls).toEqual([]);
  });

  test('escapes names in the page', () => {
    const w = [workload('x', 'a<b>&"c"', { app: 'a' })];
    const html = htmlPage(buildDiagram(analyze([policy('x', 'p', { app: 'a' }, [Direction.INGRESS])], cluster(w))), '<svg></svg>', {
      title: 'T <1>',
    });
    expect(html).toContain('<title>T &#60;1&#62;</title>');
    expect(html).toContain('a&#60;b&#62;&#38;&#34;c&#34;');
    expect(html).not.toContain('a<b>');
  });

  test('says so when nothing is allowed anywhere', () => {
    const html = htmlPage(buildDiagram(analyze([], { namespaces: [], workloads: [] })), '<svg></svg>');
    expect(html).toContain('<p>Nothing to show.</p>');
  });
});

describe('renderDiagram', () => {
  test('renders each format from an analysis', async () => {
    const { policies, cluster: c } = shop();
    const a = analyze(policies, c);
    expect((await renderDiagram(a)).startsWith('flowchart LR\n')).toBe(true);
    expect((await renderDiagram(a, { format: 'dot' })).startsWith('digraph netpol {\n')).toBe(true);
    expect(await renderDiagram(a, { format: 'svg' })).toContain('<svg ');
    expect(await renderDiagram(a, { format: 'html' })).toContain('<table class="matrix">');
  });

  test('rejects an unknown format', async () => {
    const { policies, cluster: c } = shop();
    await expect(renderDiagram(analyze(policies, c), { format: 'png' as any })).rejects.toThrow(
      'diagram format "png" is not known; use mermaid, dot, svg, html',
    );
  });
});
