/**
 * The diagram as one self-contained HTML page: the SVG drawing and the reachability matrix
 * (every source × every destination with what is allowed), styled inline. The page loads
 * nothing from anywhere — no scripts, fonts, style sheets or images — so it can be kept as a
 * build artifact and opened offline.
 */
import { OTHER_NAMESPACES, OTHER_PODS } from '../../analysis/picture';
import { Diagram, DiagramNode } from './graph';
import { htmlText } from '../escape';
import { dotToSvg } from './svg';
import { plural } from './private/ids';
import { formatDot } from './dot';

/** Options of `formatHtml`. */
export interface HtmlOptions {
  /** @default 'NetworkPolicy reachability' */
  readonly title?: string;
  /** What was analysed, shown under the title, e.g. `dist/prod`. @default - nothing */
  readonly source?: string;
}

/**
 * The page, with the SVG laid out from `formatDot`.
 *
 * @example
 * fs.writeFileSync('reach.html', await formatHtml(buildDiagram(analysis), { source: 'dist/prod' }));
 */
export async function formatHtml(diagram: Diagram, options: HtmlOptions = {}): Promise<string> {
  return htmlPage(diagram, await dotToSvg(formatDot(diagram)), options);
}

/** The page around an SVG drawing already made (see `formatHtml`). */
export function htmlPage(diagram: Diagram, svg: string, options: HtmlOptions = {}): string {
  const title = options.title ?? 'NetworkPolicy reachability';
  const folded = diagram.folded;
  const groups = folded ? folded.podGroups : diagram.namespaces.reduce((n, ns) => n + ns.nodes.length, 0);
  const flows = diagram.matrix.cells.reduce((n, row) => n + row.filter((c) => c !== undefined).length, 0);
  const summary = [
    plural(folded ? folded.namespaces : diagram.namespaces.length, 'namespace'),
    plural(groups, 'pod group'),
    plural(diagram.externals.length, 'external address group'),
    folded ? plural(flows, 'connected pair of boxes', 'connected pairs of boxes') : plural(flows, 'allowed flow'),
  ].join(' · ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // nothing on the page may load or run anything, whatever the names in it say
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${esc(title)}</h1>${options.source ? `<p class="source">${esc(options.source)}</p>` : ''}<p class="summary">${esc(summary)}</p></header>`,
    '<section id="graph">',
    '<h2>Who may talk to whom</h2>',
    ...(folded
      ? [`<p class="folded">${esc(folded.caption)}</p>`, `<p class="legend">${FOLDED_LEGEND}${folded.merged ? MERGED_LEGEND : ''}</p>`]
      : [`<p class="legend">${LEGEND}</p>`]),
    '<input type="checkbox" id="full-size"><label for="full-size">show the drawing at full size</label>',
    `<div class="graph">${inlineSvg(svg)}</div>`,
    '</section>',
    '<section id="matrix">',
    '<h2>Reachability matrix</h2>',
    '<p class="legend">Rows are sources, columns destinations; a cell lists what the source may open to ' +
      'the destination (<span class="cell all">all</span> = every port of every protocol, empty = nothing).</p>',
    matrixTable(diagram),
    '</section>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const LEGEND = [
  'Boxes are pod groups inside their namespace; dashed grey boxes are addresses outside the cluster (sources on the left, destinations on the right).',
  'An arrow means the source may open connections to the destination on the ports it names; an arrow to or from a namespace box stands for every group in it;',
  'a dot joins several sources to several destinations: each source on a line into the dot may reach each destination of an arrow out of it.',
  `<q>${OTHER_PODS}</q> stands for the pods of a namespace that no policy names, and <q>other namespaces</q> for the namespaces no policy names.`,
].join(' ');

const FOLDED_LEGEND = [
  'Each box is a namespace with all its pod groups; dashed grey boxes are addresses outside the cluster (sources on the left, destinations on the right).',
  'An arrow counts the pairs of pod groups (or of addresses and pod groups) with something allowed, and names what at least one of them allows;',
  'it is dashed, and says how many, when some of those pairs depend on something unknown.',
  '<q>other namespaces</q> stands for the namespaces no policy names.',
].join(' ');

const MERGED_LEGEND =
  ' A box of several namespaces holds namespaces with the same connections (or, past the limit, that allow each other all they allow themselves); hover over it for their names.';

const STYLE = `
:root { color-scheme: light; }
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #1f2328; background: #ffffff; }
header h1 { font-size: 22px; margin: 0 0 4px; }
header p { margin: 2px 0; color: #57606a; }
h2 { font-size: 17px; margin: 28px 0 6px; }
.folded { font-size: 14px; font-weight: 600; color: #9a6700; max-width: 1100px; }
.legend { font-size: 13px; color: #57606a; max-width: 1100px; }
.graph { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px; background: #ffffff; }
.graph svg { display: block; }
#full-size:not(:checked) ~ .graph svg { max-width: 100%; height: auto; }
#full-size + label { font-size: 13px; color: #57606a; margin-left: 4px; }
#full-size { margin: 0 0 8px; }
.table-wrap { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; max-height: 80vh; }
table.matrix { border-collapse: collapse; font-size: 12px; }
table.matrix th, table.matrix td { border: 1px solid #d8dee4; padding: 3px 6px; }
table.matrix thead th { background: #f6f8fa; position: sticky; top: 0; z-index: 1; }
table.matrix thead tr.groups th { top: 25px; }
table.matrix th.col { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left; white-space: nowrap; font-weight: 500; }
table.matrix th.ns { text-align: center; }
table.matrix tbody th { background: #f6f8fa; text-align: left; white-space: nowrap; font-weight: 500; position: sticky; left: 0; }
table.matrix tbody th.ns { font-weight: 600; }
table.matrix td { white-space: nowrap; text-align: center; min-width: 28px; }
.cell.all { background: #c8e6c9; }
.cell.some { background: #e8f5e9; }
table.matrix tr:hover td, table.matrix tr:hover th { outline: 1px solid #8c959f; }
`;

function matrixTable(d: Diagram): string {
  const { sources, destinations, cells } = d.matrix;
  if (sources.length === 0 || destinations.length === 0) return '<p>Nothing to show.</p>';
  const spans = (nodes: readonly DiagramNode[]) => {
    const out: Array<{ name: string; count: number }> = [];
    for (const n of nodes) {
      const name =
        n.type === 'namespace'
          ? 'namespaces'
          : n.type !== 'workload'
            ? 'outside the cluster'
            : n.namespace === OTHER_NAMESPACES
              ? 'other namespaces'
              : n.namespace!;
      const last = out[out.length - 1];
      if (last && last.name === name) last.count++;
      else out.push({ name, count: 1 });
    }
    return out;
  };
  const short = (n: DiagramNode) =>
    n.type === 'workload'
      ? n.label.join(' ')
      : n.type === 'namespace'
        ? n.members
          ? n.label[0]
          : n.name === OTHER_NAMESPACES
            ? 'other namespaces'
            : n.name
        : n.name;
  const head = [
    '<thead>',
    `<tr><th colspan="2" rowspan="2">from ↓ to →</th>${spans(destinations)
      .map((s) => `<th class="ns" colspan="${s.count}">${esc(s.name)}</th>`)
      .join('')}</tr>`,
    `<tr class="groups">${destinations.map((n) => `<th class="col" title="${esc(n.name)}">${(n.type === 'namespace' ? n.label.slice(0, 2) : n.label).map(esc).join('<br>')}</th>`).join('')}</tr>`,
    '</thead>',
  ].join('');
  const rows: string[] = [];
  let i = 0;
  for (const span of spans(sources)) {
    for (let k = 0; k < span.count; k++, i++) {
      const src = sources[i];
      const nsCell = k === 0 ? `<th class="ns" rowspan="${span.count}">${esc(span.name)}</th>` : '';
      const tds = destinations.map((dst, j) => {
        const c = cells[i][j];
        if (c === undefined) return '<td></td>';
        const all = c === 'All Connections';
        return `<td class="cell ${all ? 'all' : 'some'}" title="${esc(`${src.name} → ${dst.name}: ${c}`)}">${esc(all ? 'all' : c)}</td>`;
      });
      rows.push(`<tr>${nsCell}<th title="${esc(src.name)}">${esc(short(src))}</th>${tds.join('')}</tr>`);
    }
  }
  return `<div class="table-wrap"><table class="matrix">${head}<tbody>${rows.join('\n')}</tbody></table></div>`;
}

/** The `<svg>` element alone: no XML declaration or DOCTYPE (which may not appear inside HTML). */
function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start < 0 ? '' : svg.slice(start).trim();
}

const esc = htmlText;
