/**
 * A connectivity diff as plain text for a terminal: the summary, then one aligned table per
 * kind of change, then the changed policies with `-`/`+` lines. Names are written with their
 * control characters spelled out (`terminalText`).
 */
import type { ConnectivityDiff, FlowChange, FlowChangeKind } from '../../analysis/diff';
import { terminalText } from '../escape';
import { joinChunks, tableChunks } from '../private/chunks';
import { DiffDetailOptions, groupDiff } from './groups';
import { DiffLabels, diffSummary, policyEffect } from './summary';

/**
 * The diff as text, ending in a newline:
 *
 *   staging → prod: 1 flow added, 1 removed, 0 changed
 *
 *   Added (allowed now, not before)
 *     FROM          TO            ALLOWED
 *     shop/backend  10.20.0.0/24  TCP 5432
 *   …
 */
export function formatDiffText(diff: ConnectivityDiff, labels: DiffLabels & DiffDetailOptions = {}): string {
  return joinChunks(diffTextChunks(diff, labels));
}

/**
 * `formatDiffText` in pieces: each table's rows are worked out while they are written. Grouped
 * (see `groupDiff`), a line under the summary says so, the tables have a `PAIRS` column, and the
 * groups' workloads are listed after them.
 */
export function* diffTextChunks(diff: ConnectivityDiff, labels: DiffLabels & DiffDetailOptions = {}): Generator<string> {
  const sides = {
    ...(labels.before !== undefined ? { before: terminalText(labels.before) } : {}),
    ...(labels.after !== undefined ? { after: terminalText(labels.after) } : {}),
  };
  const grouped = groupDiff(diff, labels);
  const flows: ReadonlyArray<FlowChange & { readonly pairs?: number }> = grouped ? grouped.flows : diff.flows;
  yield diffSummary(diff, sides);
  if (grouped) yield `\n${grouped.line}`;
  const section = function* (kind: FlowChangeKind, title: string, header: string[], row: (f: FlowChange) => string[]) {
    if (!flows.some((f) => f.change === kind)) return;
    yield `\n\n${title}`;
    const rows = function* () {
      for (const f of flows) {
        if (f.change !== kind) continue;
        const cells = row(f).map(terminalText);
        yield grouped ? [cells[0], cells[1], String(f.pairs), ...cells.slice(2)] : cells;
      }
    };
    const head = grouped ? [header[0], header[1], 'PAIRS', ...header.slice(2)] : header;
    const align = grouped ? { align: ['left', 'left', 'right'] as const } : {};
    // the table's lines end in a newline; here each line starts with one
    for (const line of tableChunks(head, rows, { prefix: '  ', ...align })) yield `\n${line.slice(0, -1)}`;
  };
  yield* section('added', 'Added (allowed now, not before)', ['FROM', 'TO', 'ALLOWED'], (f) => [
    f.from.name,
    f.to.name,
    f.afterReach.toString(),
  ]);
  yield* section('removed', 'Removed (allowed before, not now)', ['FROM', 'TO', 'WAS ALLOWED'], (f) => [
    f.from.name,
    f.to.name,
    f.beforeReach.toString(),
  ]);
  yield* section('changed', 'Changed ports', ['FROM', 'TO', 'BEFORE', 'AFTER'], (f) => [
    f.from.name,
    f.to.name,
    f.beforeReach.toString(),
    f.afterReach.toString(),
  ]);
  if (grouped && grouped.groups.length > 0) {
    yield '\n\nWorkload groups';
    const rows = () => grouped.groups.map((g) => [terminalText(g.name), g.workloads.map(terminalText).join(', ')]);
    for (const line of tableChunks(['GROUP', 'WORKLOADS'], rows, { prefix: '  ' })) yield `\n${line.slice(0, -1)}`;
  }
  if (diff.policies.length > 0) {
    yield '\n\nPolicies changed';
    for (const p of diff.policies) {
      yield `\n  ${terminalText(p.id)} (${p.change}; ${policyEffect(p.flows)})`;
      for (const d of p.details) yield `\n    ${terminalText(d)}`;
    }
  }
  yield '\n';
}
