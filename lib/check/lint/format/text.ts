/**
 * The human form of lint findings: one finding per line,
 * `<file>#<doc> <ns>/<name> <field path>: NP00x <severity>: <why>. Fix: <fix>.`, shortened and
 * with control characters spelled out (`messageLine`), so each stays one line whatever it quotes.
 */
import { messageLine } from '../../../report/escape';
import { Finding, locationText, objectName, SEVERITIES } from '../finding';

/** Options of `formatText`. */
export interface TextFormatOptions {
  /**
   * Also list suppressed findings, marked `(suppressed: <reason>)`.
   * @default false
   */
  readonly showSuppressed?: boolean;
}

/**
 * One line per finding (suppressed ones left out unless asked for), each ending in a newline;
 * an empty string when there is nothing to show.
 *
 * @example
 * formatText(findings);
 * // deploy/web.yaml#0 shop/web spec.egress[0].to[1]: NP010 error: to[1] (pods app=db) is a separate peer ... Fix: merge ...
 */
export function formatText(findings: readonly Finding[], options: TextFormatOptions = {}): string {
  return findings
    .filter((f) => options.showSuppressed || !f.suppression)
    .map((f) => `${messageLine(`${findingLine(f)}${f.suppression ? ` (suppressed: ${f.suppression.reason})` : ''}`)}\n`)
    .join('');
}

/** The line of one finding, without a newline. */
export function findingLine(f: Finding): string {
  const what = `${locationText(f.location)} ${objectName(f.object)}${f.path ? ` ${f.path}` : ''}`;
  return `${what}: ${f.ruleId} ${f.severity}: ${sentence(f.message)} Fix: ${sentence(f.fix)}`;
}

/**
 * `3 findings (1 error, 2 warnings), 1 suppressed` or `no findings`: counts of the findings
 * that are not suppressed, by severity.
 */
export function summaryLine(findings: readonly Finding[]): string {
  const active = findings.filter((f) => !f.suppression);
  const suppressed = findings.length - active.length;
  const bySeverity = SEVERITIES.map((s) => [s, active.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s === 'info' ? 'info' : n === 1 ? s : `${s}s`}`);
  const head = active.length === 0 ? 'no findings' : `${active.length} finding${active.length === 1 ? '' : 's'} (${bySeverity.join(', ')})`;
  return suppressed > 0 ? `${head}, ${suppressed} suppressed` : head;
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
