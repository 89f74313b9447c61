/**
 * Suppressions: an object opts out of a rule with a written reason, in an annotation,
 *
 * ```yaml
 * metadata:
 *   annotations:
 *     netpol.dev/lint-suppress: "NP001: DNS is served by a sidecar; NP008: only reachable through the VPN"
 * ```
 *
 * An entry without a reason, or one that cannot be read, suppresses nothing and is itself a
 * finding (NP012), so that every exception in a repository explains itself.
 */

import { LINT_SUPPRESS_ANNOTATION } from '../../model/annotations';

/** The annotation that holds an object's suppressions. */
export const SUPPRESS_ANNOTATION = LINT_SUPPRESS_ANNOTATION;

/** One entry of the annotation. */
export interface SuppressionEntry {
  /** The rule id, e.g. `NP001`. */
  readonly ruleId: string;
  /** The reason; empty when none was written. */
  readonly reason: string;
}

/** A part of the annotation that is not `NPnnn: reason`. */
export interface SuppressionProblem {
  /** The text as written. */
  readonly text: string;
  /** What is wrong with it. */
  readonly problem: string;
}

/** The annotation's entries and the parts that could not be read. */
export interface ParsedSuppressions {
  readonly entries: readonly SuppressionEntry[];
  readonly problems: readonly SuppressionProblem[];
}

const ENTRY = /^(NP[0-9]{3})\s*(?::([\s\S]*))?$/;

/**
 * Reads the annotation's value: entries `NPnnn: reason` separated by `;` or new lines. A `;`
 * inside a reason is kept unless an id follows it.
 *
 * @example
 * parseSuppressions('NP001: DNS is served by a sidecar; NP008: VPN only').entries
 * // [{ ruleId: 'NP001', reason: 'DNS is served by a sidecar' }, { ruleId: 'NP008', reason: 'VPN only' }]
 */
export function parseSuppressions(value: string): ParsedSuppressions {
  const entries: SuppressionEntry[] = [];
  const problems: SuppressionProblem[] = [];
  const parts = value
    .split(/(?:;|\n)\s*(?=[A-Za-z]{2}[0-9]{3}\b)/)
    .map((s) => s.trim().replace(/;$/, '').trim())
    .filter((s) => s.length > 0);
  for (const part of parts) {
    const m = ENTRY.exec(part);
    if (!m) {
      const id = /^([A-Za-z]{2}[0-9]{3})\b/.exec(part)?.[1];
      problems.push({
        text: part,
        problem:
          id && id !== id.toUpperCase()
            ? `"${part}" names the rule "${id}"; rule ids are upper case, write "${id.toUpperCase()}"`
            : `"${part}" is not a suppression; write "NPnnn: reason", e.g. "NP001: DNS is served by a sidecar"`,
      });
      continue;
    }
    entries.push({ ruleId: m[1], reason: (m[2] ?? '').replace(/\s+/g, ' ').trim() });
  }
  return { entries, problems };
}
