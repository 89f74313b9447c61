/**
 * A connectivity diff as GitHub-flavoured Markdown, ready to post as a pull-request comment:
 * a heading with the summary, one table per kind of change, and the changed policies as a
 * `diff` block in a collapsed section. Names are code spans and the `diff` block's fence is
 * longer than any run of backticks in it, so no name can add a link, a mention or HTML to the
 * comment, or close the block. It starts with an HTML comment, `DIFF_MARKER`, by which
 * a workflow can find and update its earlier comment instead of adding another.
 */
import type { ConnectivityDiff, FlowChange, FlowChangeKind } from '../../analysis/diff';
import { markdownCode, markdownFence, markdownText } from '../escape';
import { joinChunks } from '../private/chunks';
import { DiffDetailOptions, groupDiff } from './groups';
import { DiffLabels, diffSummary, policyEffect } from './summary';

/** The first line of every Markdown diff. */
export const DIFF_MARKER = '<!-- netpol-diff -->';

/** Options of `formatDiffMarkdown`. */
export interface MarkdownDiffOptions extends DiffLabels, DiffDetailOptions {
  /**
   * Rows per table; the rest are counted in a note (a GitHub comment holds at most 65,536
   * characters).
   * @default 100
   */
  readonly maxRows?: number;
}

/** The diff as Markdown, ending in a newline. */
export function formatDiffMarkdown(diff: ConnectivityDiff, options: MarkdownDiffOptions = {}): string {
  return joinChunks(diffMarkdownChunks(diff, options));
}

/** `formatDiffMarkdown` in pieces, a line at a time. */
export function* diffMarkdownChunks(diff: ConnectivityDiff, options: MarkdownDiffOptions = {}): Generator<string> {
  const maxRows = options.maxRows ?? 100;
  const labels = {
    ...(options.before !== undefined ? { before: markdownCode(options.before) } : {}),
    ...(options.after !== undefined ? { after: markdownCode(options.after) } : {}),
  };
  yield `${DIFF_MARKER}\n### NetworkPolicy diff: ${diffSummary(diff, labels)}\n`;
  if (diff.widens) yield '\nThis change **allows connections that were not allowed before**.\n';
  const grouped = groupDiff(diff, options);
  const flows: ReadonlyArray<FlowChange & { readonly pairs?: number }> = grouped ? grouped.flows : diff.flows;
  if (grouped) yield `\n_${markdownText(grouped.line)}_\n`;
  const table = function* (kind: FlowChangeKind, title: string, header: string[], row: (f: FlowChange) => string[]) {
    let shown = 0;
    let more = 0;
    const head = grouped ? [header[0], header[1], 'Pairs', ...header.slice(2)] : header;
    for (const f of flows) {
      if (f.change !== kind) continue;
      if (shown === 0) yield `\n**${title}**\n\n| ${head.join(' | ')} |\n| ${head.map(() => '---').join(' | ')} |\n`;
      if (shown < maxRows) {
        shown++;
        const cells = row(f);
        yield `| ${(grouped ? [cells[0], cells[1], String(f.pairs), ...cells.slice(2)] : cells).join(' | ')} |\n`;
      } else more++;
    }
    if (more > 0) yield `\n_… and ${more} more; run \`netpol diff\` locally to see them all._\n`;
  };
  yield* table('added', 'Added: allowed now, not before', ['From', 'To', 'Allowed'], (f) => [
    code(f.from.name),
    code(f.to.name),
    cell(f.afterReach.toString()),
  ]);
  yield* table('removed', 'Removed: allowed before, not now', ['From', 'To', 'Was allowed'], (f) => [
    code(f.from.name),
    code(f.to.name),
    cell(f.beforeReach.toString()),
  ]);
  yield* table('changed', 'Changed ports', ['From', 'To', 'Before', 'After'], (f) => [
    code(f.from.name),
    code(f.to.name),
    cell(f.beforeReach.toString()),
    cell(f.afterReach.toString()),
  ]);
  if (grouped && grouped.groups.length > 0) {
    const n = grouped.groups.length;
    yield `\n<details><summary>${n} workload ${n === 1 ? 'group' : 'groups'}</summary>\n\n| Group | Workloads |\n| --- | --- |\n`;
    for (const g of grouped.groups) yield `| ${code(g.name)} | ${g.workloads.map(code).join(', ')} |\n`;
    yield '\n</details>\n';
  }
  if (diff.policies.length > 0) {
    const n = diff.policies.length;
    const lines = diff.policies.flatMap((p) => [`@@ ${p.id} (${p.change}; ${policyEffect(p.flows)}) @@`, ...p.details]);
    yield `\n<details><summary>${n} ${n === 1 ? 'policy' : 'policies'} changed</summary>\n\n`;
    for (const line of markdownFence('diff', lines)) yield `${line}\n`;
    yield '\n</details>\n';
  }
}

const cell = markdownText;
const code = markdownCode;
