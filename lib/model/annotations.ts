/**
 * Annotations the project reads on NetworkPolicy objects. They live in the model so that the
 * constructs that write them and the linter that reads them share one spelling.
 */

/**
 * Suppresses lint findings on this object, each with a written reason:
 * `"NP001: DNS is served by a sidecar; NP008: reachable through the VPN only"`.
 */
export const LINT_SUPPRESS_ANNOTATION = 'netpol.dev/lint-suppress';

/**
 * On any NetworkPolicy of a namespace: suppresses namespace-wide findings (such as a missing
 * default deny) for that namespace, in the same `NPnnn: reason` form. For projects that do not
 * manage their Namespace objects next to their policies.
 */
export const LINT_SUPPRESS_NAMESPACE_ANNOTATION = 'netpol.dev/lint-suppress-namespace';

const RULE_ID = /^NP[0-9]{3}$/;

/**
 * Adds `ruleId: reason` to a suppression annotation value (`;`-separated). Throws when the id
 * is not `NPnnn` or the reason is empty: every exception must explain itself.
 */
export function addSuppression(existing: string | undefined, ruleId: string, reason: string): string {
  if (!RULE_ID.test(ruleId)) {
    throw new Error(`lint rule id "${ruleId}" is not valid; rule ids are NP and three digits, e.g. "NP001"`);
  }
  const why = reason.trim();
  if (why.length === 0) throw new Error(`suppressing ${ruleId} needs a reason: say why the finding does not apply here`);
  if (why.includes(';')) throw new Error(`the reason for ${ruleId} may not contain ";" (it separates entries); use "," or "-" instead`);
  const entry = `${ruleId}: ${why}`;
  return existing ? `${existing}; ${entry}` : entry;
}
