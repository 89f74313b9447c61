/** The output of `netpol diff`: text, JSON and Markdown. */
import type { ConnectivityDiff } from '../../analysis/diff';
import { NetpolError } from '../../model/errors';
import { joinChunks } from '../private/chunks';
import { checkDiffDetail } from './groups';
import { diffJsonChunks } from './json';
import { diffMarkdownChunks, MarkdownDiffOptions } from './markdown';
import { diffTextChunks } from './text';

export * from './summary';
export * from './text';
export * from './json';
export * from './markdown';
export * from './groups';

/** The formats of `formatDiff`. */
export type DiffFormat = 'text' | 'json' | 'markdown';

/** The formats of `formatDiff`, in the order the CLI lists them. */
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown'];

/** Options of `formatDiff`. */
export interface DiffFormatOptions extends MarkdownDiffOptions {
  /** @default 'text' */
  readonly output?: DiffFormat;
}

/**
 * A connectivity diff in one format.
 *
 * @example
 * process.stdout.write(formatDiff(diffPolicies(before, after), { output: 'markdown', before: 'main', after: 'this branch' }));
 */
export function formatDiff(diff: ConnectivityDiff, options: DiffFormatOptions = {}): string {
  return joinChunks(diffChunks(diff, options));
}

/**
 * `formatDiff` in pieces to write one after another (the format and detail are checked at once,
 * before the first piece), so that a diff of any size is written without being held as one text.
 * Past `groupAbove` changed flows (10,000) the flows are grouped (`detail`, see `groupDiff`).
 */
export function diffChunks(diff: ConnectivityDiff, options: DiffFormatOptions = {}): Iterable<string> {
  const output = options.output ?? 'text';
  if (DIFF_FORMATS.includes(output)) checkDiffDetail(options);
  switch (output) {
    case 'text':
      return diffTextChunks(diff, options);
    case 'json':
      return diffJsonChunks(diff, options);
    case 'markdown':
      return diffMarkdownChunks(diff, options);
    default:
      throw NetpolError.of('diff.format', 'output', `output format "${String(output)}" is not known; use ${DIFF_FORMATS.join(', ')}`);
  }
}
