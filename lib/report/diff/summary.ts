/** The one-line summary every diff format starts with. */
import type { ConnectivityDiff } from '../../analysis/diff';

/** Names for the two sides of a diff, shown in headings. */
export interface DiffLabels {
  /** @default - not shown */
  readonly before?: string;
  /** @default - not shown */
  readonly after?: string;
}

/**
 * `1 flow added, 1 removed, 0 changed`, or `no change in allowed connectivity`; with labels,
 * prefixed by `staging → prod: `.
 */
export function diffSummary(diff: ConnectivityDiff, labels: DiffLabels = {}): string {
  const { added, removed, changed } = diff.summary;
  const counts =
    added + removed + changed === 0
      ? 'no change in allowed connectivity'
      : `${added} flow${added === 1 ? '' : 's'} added, ${removed} removed, ${changed} changed`;
  const sides = labels.before !== undefined && labels.after !== undefined ? `${labels.before} → ${labels.after}: ` : '';
  return `${sides}${counts}`;
}

/** `; no flow of its pods changed` or `; 2 flows of its pods changed`. */
export function policyEffect(flows: number): string {
  return flows === 0 ? 'no flow of its pods changed' : `${flows} flow${flows === 1 ? '' : 's'} of its pods changed`;
}
