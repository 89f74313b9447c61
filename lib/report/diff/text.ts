/**
 * A connectivity diff as plain text for a terminal: the summary, then one aligned table per
 * kind of change, then the changed policies with `-`/`+` lines. Names are written with their
 * control characters spelled out (`terminalText`).
 */
import type { ConnectivityDiff, FlowChange, FlowChangeKind } from '../../analysis/diff';
import { terminalText } from '../escape';
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
export function formatDiffText(diff: ConnectivityDiff, labels: DiffLabels = {}): string {
  const sides = {
    ...(labels.before !== undefined ? { before: terminalText(labels.before) } : {}),
    ...(labels.after !== undefined ? { after: terminalText(labels.after) } : {}),
  };
  const out: string[] = [diffSummary(diff, sides)];
  const section = (kind: FlowChangeKind, title: string, header: string[], row: (f: FlowChange) => string[]) => {
    const flows = diff.flows.filter((f) => f.change === kind);
    if (flows.length === 0) return;
    out.push('', title);
    for (const l of align([header, ...flows.map((f) => row(f).map(terminalText))])) out.push(`  ${l}`);
  };
  section('added', 'Added (allowed now, not before)', ['FROM', 'TO', 'ALLOWED'], (f) => [f.from.name, f.to.name, f.afterReach.toString()]);
  section('removed', 'Removed (allowed before, not now)', ['FROM', 'TO', 'WAS ALLOWED'], (f) => [
    f.from.name,
    f.to.name,
    f.beforeReach.toString(),
  ]);
  section('changed', 'Changed ports', ['FROM', 'TO', 'BEFORE', 'AFTER'], (f) => [
    f.from.name,
    f.to.name,
    f.beforeReach.toString(),
    f.afterReach.toString(),
  ]);
  if (diff.policies.length > 0) {
    out.push('', 'Policies changed');
    for (const p of diff.policies) {
      out.push(`  ${terminalText(p.id)} (${p.change}; ${policyEffect(p.flows)})`);
      for (const d of p.details) out.push(`    ${terminalText(d)}`);
    }
  }
  return out.join('\n') + '\n';
}

function align(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}
