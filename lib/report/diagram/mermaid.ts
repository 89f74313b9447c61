/**
 * The diagram as a Mermaid flowchart, for a README or a pull-request comment: GitHub renders
 * a ```mermaid code block in Markdown. Identifiers are plain (letters, digits, `_`) and every
 * label is quoted and escaped (`mermaidText`), so no name of a namespace, pod group or address
 * can end a label or add a statement.
 *
 * @see https://mermaid.js.org/syntax/flowchart.html
 */
import { mermaidText } from '../escape';
import { Diagram, endId } from './graph';

/**
 * `flowchart LR` with one subgraph per namespace (or, folded, one box per namespace under a
 * title that says so, a box of several namespaces followed by a `%%` comment naming them all), external address groups as stadium-shaped
 * dashed nodes, junctions as small filled circles (plain lines in, labelled arrows out), and
 * edges labelled with the allowed connections, dotted where they depend on something unknown.
 * Ends with a newline.
 *
 * @example
 * fs.writeFileSync('reach.mmd', formatMermaid(buildDiagram(analysis)));
 */
export function formatMermaid(diagram: Diagram): string {
  // a folded diagram says so in its title (front matter, which GitHub shows above the drawing);
  // mermaidText leaves no quote or backslash, so the title is a safe double-quoted YAML string
  const lines: string[] = diagram.folded
    ? ['---', `title: "${mermaidText(diagram.folded.caption)}"`, '---', 'flowchart LR']
    : ['flowchart LR'];
  for (const box of diagram.folded?.boxes ?? []) {
    lines.push(`  ${box.id}["${text(box.label)}"]`);
    // Mermaid has no tooltip without scripts: a box of several namespaces lists them in a comment
    if (box.members) lines.push(`  %% ${box.id}: ${mermaidText(box.members.join(', '))}`);
  }
  for (const ns of diagram.namespaces) {
    lines.push(`  subgraph ${ns.id}["${text(ns.label)}"]`);
    for (const n of ns.nodes) lines.push(`    ${n.id}["${text(n.label)}"]`);
    lines.push('  end');
  }
  for (const x of diagram.externals) lines.push(`  ${x.id}(["${text(x.label)}"])`);
  for (const j of diagram.junctions) lines.push(`  ${j}((" "))`);
  for (const e of diagram.edges) {
    const from = endId(e.from);
    const to = endId(e.to);
    const arrow = e.depends ? '-.->' : '-->';
    lines.push(e.label === undefined ? `  ${from} --- ${to}` : `  ${from} ${arrow}|"${text([e.label])}"| ${to}`);
  }
  if (diagram.externals.length > 0) {
    lines.push('  classDef external fill:#f4f4f4,stroke:#888888,stroke-dasharray:4 3');
    lines.push(`  class ${diagram.externals.map((x) => x.id).join(',')} external`);
  }
  if (diagram.folded && diagram.folded.boxes.length > 0) {
    lines.push('  classDef folded fill:#eef3f9,stroke:#9db3cc');
    lines.push(`  class ${diagram.folded.boxes.map((x) => x.id).join(',')} folded`);
  }
  if (diagram.junctions.length > 0) {
    lines.push('  classDef junction fill:#5b6770,stroke:#5b6770');
    lines.push(`  class ${diagram.junctions.join(',')} junction`);
  }
  return lines.join('\n') + '\n';
}

/** Lines of a quoted label, each escaped, joined by line breaks. */
function text(lines: readonly string[]): string {
  return lines.map(mermaidText).join('<br/>');
}
