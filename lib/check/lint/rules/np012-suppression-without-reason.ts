/**
 * NP012: a suppression without a reason, or one that cannot be read. It suppresses nothing.
 */
import { LintObject } from '../finding';
import { policyObject } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';
import { parseSuppressions, SUPPRESS_ANNOTATION } from '../suppression';
// The registry imports this file too; it is read only when the check runs, after both have loaded.
// eslint-disable-next-line import-x/no-cycle -- the one cycle: the registry lists this rule, which reads it at check time
import * as registry from './index';

/** NP012 suppression-without-reason. */
export const NP012: LintRule = {
  id: 'NP012',
  name: 'suppression-without-reason',
  severity: 'warning',
  cause: `A ${SUPPRESS_ANNOTATION} annotation entry has no reason, names an unknown rule, or cannot be read.`,
  explanation:
    `Findings are suppressed per object with the annotation ${SUPPRESS_ANNOTATION}: "NP001: reason; NP008: reason". ` +
    'Every entry must say why, so that the exception can be reviewed later; an entry without a reason, ' +
    'for an unknown rule, or in another form suppresses nothing ' +
    'and is reported by this rule, which cannot itself be suppressed.',
  fix: 'Write each entry as "NPnnn: why this finding does not apply here".',
  check(ctx) {
    const known = new Set(registry.RULES.filter((r) => r.id !== NP012.id).map((r) => r.id));
    const objects: LintObject[] = [
      ...ctx.policies.map(policyObject),
      ...ctx.annotatedNamespaces.map((name): LintObject => ({ kind: 'Namespace', name })),
    ];
    const out: RuleFinding[] = [];
    const path = `metadata.annotations.${SUPPRESS_ANNOTATION}`;
    for (const object of objects) {
      const value = ctx.annotations(object)[SUPPRESS_ANNOTATION];
      if (value === undefined) continue;
      const { entries, problems } = parseSuppressions(value);
      for (const e of entries) {
        if (e.ruleId === NP012.id) {
          out.push({
            object,
            path,
            message: `${NP012.id} reports broken suppressions and cannot be suppressed itself, so this entry suppresses nothing`,
            fix: `remove the ${NP012.id} entry and correct the entries it reports`,
          });
        } else if (!known.has(e.ruleId)) {
          out.push({
            object,
            path,
            message:
              `the suppression names the rule ${e.ruleId}, which does not exist (suppressible rules: ` +
              `${[...known].join(', ')}), so it suppresses nothing`,
            fix: `remove "${e.ruleId}" or correct the rule id`,
          });
        } else if (e.reason.length === 0) {
          out.push({
            object,
            path,
            message: `the suppression of ${e.ruleId} gives no reason, so it suppresses nothing`,
            fix: `write "${e.ruleId}: <why the finding does not apply here>"`,
          });
        }
      }
      for (const problem of problems) out.push({ object, path, message: `${problem.problem}; it suppresses nothing`, fix: NP012.fix });
      if (entries.length === 0 && problems.length === 0) {
        out.push({
          object,
          path,
          message: 'the suppression annotation is empty, so it suppresses nothing',
          fix: 'remove the annotation, or write "NPnnn: reason"',
        });
      }
    }
    return out;
  },
};
