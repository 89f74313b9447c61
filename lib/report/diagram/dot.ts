/**
 * The diagram in Graphviz's DOT language, for `dot -Tsvg` and the like (and for the SVG and
 * HTML formats, which lay it out with a WebAssembly build of Graphviz). Every identifier and
 * label is a quoted, escaped string (`dotText`).
 *
 * @see https://graphviz.org/doc/info/lang.html
 */
import { dotText } from '../escape';
import { Diagram, DiagramEnd, endId } from './graph';

/**
 * A left-to-right `digraph`: one cluster per namespace (or, folded, one box per namespace
 * under the caption that says so, a box of several namespaces naming them in its tooltip), external sources as dashed grey boxes
 * on the left and external destinations on the right, junctions as dots, edges labelled with
 * the allowed connections (dashed where they depend on something unknown). An edge to or from
 * a namespace box is drawn from the cluster's border (`compound=true`, `lhead`/`ltail`). Ends
 * with a newline.
 *
 * @example
 * fs.writeFileSync('reach.dot', formatDot(buildDiagram(analysis)));
 */
export function formatDot(diagram: Diagram): string {
  const lines: string[] = [
    'digraph netpol {',
    '  graph [rankdir=LR, compound=true, newrank=true, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.5];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#4a6785", fontname="Helvetica", fontsize=11];',
    '  edge [color="#5b6770", fontcolor="#2d3439", fontname="Helvetica", fontsize=10, arrowsize=0.7];',
  ];
  if (diagram.folded) {
    // the caption above the drawing (no cluster is drawn, so none inherits this label); fewer
    // crossing-reduction and ranking passes keep the layout of a few hundred boxes to a second
    lines.push(`  label=${label([diagram.folded.caption])}; labelloc=t; labeljust=l; mclimit=0.2; nslimit=2; nslimit1=2;`);
    for (const box of diagram.folded.boxes) {
      // a box of several namespaces names them all in its tooltip
      const tooltip = box.members ? `, tooltip=${quote(box.members.join(', '))}` : '';
      lines.push(`  ${quote(box.id)} [label=${label(box.label)}, fillcolor="#eef3f9", color="#9db3cc", fontcolor="#1f3b57"${tooltip}];`);
    }
  }
  const first = new Map<string, string>();
  for (const ns of diagram.namespaces) {
    first.set(ns.id, ns.nodes[0].id);
    lines.push(`  subgraph ${quote(`cluster_${ns.id}`)} {`);
    lines.push(
      `    label=${label(ns.label, 'left')}; style="rounded,filled"; fillcolor="#eef3f9"; color="#9db3cc"; fontcolor="#1f3b57"; labeljust=l;`,
    );
    for (const n of ns.nodes) lines.push(`    ${quote(n.id)} [label=${label(n.label)}];`);
    lines.push('  }');
  }
  for (const type of ['source', 'destination'] as const) {
    const xs = diagram.externals.filter((x) => x.type === type);
    if (xs.length === 0) continue;
    lines.push(`  subgraph { rank=${type === 'source' ? 'source' : 'sink'};`);
    for (const x of xs)
      lines.push(`    ${quote(x.id)} [label=${label(x.label)}, style="dashed,filled", fillcolor="#f4f4f4", color="#888888"];`);
    lines.push('  }');
  }
  for (const j of diagram.junctions) lines.push(`  ${quote(j)} [shape=point, width=0.09, color="#5b6770", label=""];`);
  const endNode = (e: DiagramEnd) => ('namespace' in e ? first.get(e.namespace)! : endId(e));
  for (const e of diagram.edges) {
    // folded, there are many edges: labels placed after the layout (xlabel) keep it fast
    const attrs =
      e.label === undefined
        ? ['arrowhead=none']
        : [`${diagram.folded ? 'xlabel' : 'label'}=${label([e.label])}`, ...(e.depends ? ['style=dashed'] : [])];
    if ('namespace' in e.from) attrs.push(`ltail=${quote(`cluster_${e.from.namespace}`)}`);
    if ('namespace' in e.to) attrs.push(`lhead=${quote(`cluster_${e.to.namespace}`)}`);
    lines.push(`  ${quote(endNode(e.from))} -> ${quote(endNode(e.to))} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** A DOT string, escaped. */
function quote(s: string): string {
  return `"${dotText(s)}"`;
}

/** A label of several lines: centred (`\n` between them), or each line left-aligned (`\l` after each). */
function label(lines: readonly string[], align: 'center' | 'left' = 'center'): string {
  const escaped = lines.map(dotText);
  return `"${align === 'left' ? escaped.map((l) => `${l}\\l`).join('') : escaped.join('\\n')}"`;
}
