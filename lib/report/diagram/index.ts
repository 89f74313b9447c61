/** Diagrams of who may talk to whom: Mermaid, DOT, SVG and a self-contained HTML page. */
import type { Analysis } from '../../analysis/analysis';
import { NetpolError } from '../../model/errors';
import { formatDot } from './dot';
import { buildDiagram, Diagram, DiagramOptions } from './graph';
import { formatHtml, HtmlOptions } from './html';
import { formatMermaid } from './mermaid';
import { formatSvg } from './svg';

export * from './graph';
export * from './mermaid';
export * from './dot';
export * from './svg';
export * from './html';

/** The formats of `renderDiagram`. */
export type DiagramFormat = 'mermaid' | 'dot' | 'svg' | 'html';

/** The formats of `renderDiagram`, in the order the CLI lists them. */
export const DIAGRAM_FORMATS: readonly DiagramFormat[] = ['mermaid', 'dot', 'svg', 'html'];

/** Options of `renderDiagram`. */
export interface RenderDiagramOptions extends DiagramOptions, FormatDiagramOptions {}

/**
 * The diagram of an analysis in one format. Mermaid and DOT are text for other tools; SVG and
 * HTML are laid out in-process (see `dotToSvg`).
 *
 * @example
 * fs.writeFileSync('reach.html', await renderDiagram(analyze(policies, clusterPicture(policies)), { format: 'html' }));
 */
export async function renderDiagram(analysis: Analysis, options: RenderDiagramOptions = {}): Promise<string> {
  return formatDiagram(buildDiagram(analysis, options), options);
}

/** Options of `formatDiagram`. */
export interface FormatDiagramOptions extends HtmlOptions {
  /** @default 'mermaid' */
  readonly format?: DiagramFormat;
}

/**
 * A diagram already built, in one format: every format draws the same graph (folded or not).
 *
 * @example
 * const d = buildDiagram(analysis);
 * if (d.folded) console.error(d.folded.caption);
 * process.stdout.write(await formatDiagram(d, { format: 'dot' }));
 */
export async function formatDiagram(diagram: Diagram, options: FormatDiagramOptions = {}): Promise<string> {
  const format = options.format ?? 'mermaid';
  switch (format) {
    case 'mermaid':
      return formatMermaid(diagram);
    case 'dot':
      return formatDot(diagram);
    case 'svg':
      return formatSvg(diagram);
    case 'html':
      return formatHtml(diagram, options);
    default:
      throw NetpolError.of(
        'diagram.format',
        'format',
        `diagram format "${String(format)}" is not known; use ${DIAGRAM_FORMATS.join(', ')}`,
      );
  }
}
