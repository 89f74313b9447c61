/**
 * NP011: a rule that a broader rule of the same policy already covers.
 */
import { Direction } from '../../../model/rule';
import { directionWord, policyObject, rulePath } from '../private/policy-paths';
import { ruleCovers } from '../private/cover';
import { LintRule, RuleFinding } from '../rule';

/** NP011 shadowed-rule. */
export const NP011: LintRule = {
  id: 'NP011',
  name: 'shadowed-rule',
  severity: 'info',
  cause: 'A rule is covered by a broader rule of the same policy and allows nothing more.',
  explanation:
    'Rules of a policy are added up: a rule whose every peer is matched by a peer of another rule, and ' +
    "whose every port is in that rule's ports, adds nothing. " +
    'It is harmless, but it misleads the reader into thinking the narrow rule is what lets the traffic ' +
    'through, and it survives when the broad rule is later tightened by mistake. ' +
    "Coverage is decided from the selectors' text (matchLabels and matchExpressions), so a cover that only the cluster's labels would show is not reported. " +
    'Of two identical rules, the later one is reported.',
  fix: 'Remove the narrower rule, or narrow the broader one if it allows more than intended.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      for (const direction of [Direction.INGRESS, Direction.EGRESS] as Direction[]) {
        const rules = p.rules(direction);
        rules.forEach((narrow, j) => {
          const by = rules.findIndex(
            (broad, i) => i !== j && ruleCovers(broad, narrow, p.namespace) && (i < j || !ruleCovers(narrow, broad, p.namespace)),
          );
          if (by < 0) return;
          const word = directionWord(direction);
          out.push({
            object: policyObject(p),
            path: rulePath(direction, j),
            message: `${word} rule ${j} (${narrow}) is covered by ${word} rule ${by} (${rules[by]}) and allows nothing more`,
            fix: `remove ${word} rule ${j}, or narrow ${word} rule ${by} if it allows more than intended`,
          });
        });
      }
    }
    return out;
  },
};
