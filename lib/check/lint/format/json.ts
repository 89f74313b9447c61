/**
 * The JSON form of lint findings, for scripts: every finding, the suppressed ones marked with
 * `suppressions` (as SARIF does), and counts. Every string is the value as read, except that
 * messages and fixes are shortened where they quote a long value (`clip`).
 */
import { clip } from '../../../report/escape';
import { Finding, SEVERITIES, Severity } from '../finding';

/** One finding in the JSON output. */
export interface JsonFinding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity: Severity;
  readonly object: { readonly kind: string; readonly namespace?: string; readonly name: string };
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  readonly location?: { readonly file: string; readonly doc?: number; readonly item?: number; readonly line?: number };
  /** Present on suppressed findings. */
  readonly suppressions?: ReadonlyArray<{ readonly kind: 'inSource'; readonly justification: string }>;
}

/** The whole JSON document. */
export interface JsonReport {
  readonly findings: readonly JsonFinding[];
  /** Counts of the findings that are not suppressed, by severity, and of the suppressed ones. */
  readonly summary: Readonly<Record<Severity | 'suppressed', number>>;
}

/** The report as a value. */
export function toJsonReport(findings: readonly Finding[]): JsonReport {
  const summary = Object.fromEntries([
    ...SEVERITIES.map((s) => [s, findings.filter((f) => !f.suppression && f.severity === s).length]),
    ['suppressed', findings.filter((f) => f.suppression).length],
  ]) as Record<Severity | 'suppressed', number>;
  return {
    findings: findings.map((f): JsonFinding => ({
      ruleId: f.ruleId,
      ruleName: f.ruleName,
      severity: f.severity,
      object: { ...f.object },
      path: f.path,
      message: clip(f.message),
      fix: clip(f.fix),
      ...(f.location ? { location: { ...f.location } } : {}),
      ...(f.suppression ? { suppressions: [{ kind: 'inSource' as const, justification: f.suppression.reason }] } : {}),
    })),
    summary,
  };
}

/** The report as indented JSON text, ending in a newline. */
export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify(toJsonReport(findings), null, 2)}\n`;
}
