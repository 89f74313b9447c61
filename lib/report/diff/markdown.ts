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
import { DiffLabels, diffSummary, policyEffect } from './summary';

/** The first line of every Markdown diff. */
export const DIFF_MARKER = '<!-- netpol-diff -->';

/** Options of `formatDiffMarkdown`. */
export interface MarkdownDiffOptions extends DiffLabels {
  /**
   * Rows per table; the rest are counted in a note (a GitHub comment holds at most 65,536
   * characters).
   * @default 100
   */
  readonly maxRows?: number;
}

/** The diff as Markdown, ending in a newline. */
export function formatDiffMarkdown(diff: ConnectivityDiff, options: MarkdownDiffOptions = {}): string {
  const maxRows = options.maxRows ?? 100;
  const labels = {
    ...(options.before !== undefined ? { before: markdownCode(options.before) } : {}),
    ...(options.after !== undefined ? { after: markdownCode(options.after) } : {}),
  };
  const out: string[] = [DIFF_MARKER, `### NetworkPolicy diff: ${diffSummary(diff, labels)}`];
  if (diff.widens) out.push('', 'This change **allows connections that were not allowed before**.');
  const table = (kind: FlowChangeKind, title: string, header: string[], row: (f: FlowChange) => string[]) => {
    const flows = diff.flows.filter((f) => f.change === kind);
    if (flows.length === 0) return;
    out.push('', `**${title}**`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
    for (const f of flows.slice(0, maxRows)) out.push(`| ${row(f).join(' | ')} |`);
    if (flows.length > maxRows) out.push('', `_… and ${flows.length - maxRows} more; run \`netpol diff\` locally to see them all._`);
  };
  table('added', 'Added: allowed now, not before', ['From', 'To', 'Allowed'], (f) => [
    code(f.from.name),
    code(f.to.name),
    cell(f.afterReach.toString()),
  ]);
  table('removed', 'Removed: allowed before, not now', ['From', 'To', 'Was allowed'], (f) => [
    code(f.from.name),
    code(f.to.name),
    cell(f.beforeReach.toString()),
  ]);
  table('changed', 'Changed ports', ['From', 'To', 'Before', 'After'], (f) => [
    code(f.from.name),
    code(f.to.name),
    cell(f.beforeReach.toString()),
    cell(f.afterReach.toString()),
  ]);
  if (diff.policies.length > 0) {
    const n = diff.policies.length;
    const lines = diff.policies.flatMap((p) => [`@@ ${p.id} (${p.change}; ${policyEffect(p.flows)}) @@`, ...p.details]);
    out.push(
      '',
      `<details><summary>${n} ${n === 1 ? 'policy' : 'policies'} changed</summary>`,
      '',
      ...markdownFence('diff', lines),
      '',
      '</details>',
    );
  }
  return out.join('\n') + '\n';
}

const cell = markdownText;
const code = markdownCode;
