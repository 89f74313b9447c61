/**
 * NP016: two ClusterNetworkPolicies of one tier and priority whose rules can decide one
 * connection differently, wherever they were written; the API leaves the winner undefined.
 */
import { samePriorityConflicts } from '../../../model/cluster-policy-overlap';
import { Direction } from '../../../model/rule';
import { clusterPolicyObject } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP016 same-priority-overlap. */
export const NP016: LintRule = {
  id: 'NP016',
  name: 'same-priority-overlap',
  severity: 'error',
  cause: 'Two ClusterNetworkPolicies of one tier and priority can decide the same connection differently.',
  explanation:
    'Within a tier, ClusterNetworkPolicies are evaluated by priority; for two of the same priority the ' +
    'API does not define which goes first, so where their rules match one connection with different ' +
    'actions, the outcome depends on the network plugin and may change between versions. ' +
    'The check compares every pair of policies, including those of different files or charts; it ' +
    'reports pairs whose subjects and rule peers and ports can overlap.',
  fix: 'Give one of the two policies another priority (lower is evaluated first), or make their rules agree.',
  check(ctx) {
    return samePriorityConflicts(ctx.clusterPolicies).map((c): RuleFinding => {
      const direction = c.direction === 'ingress' ? Direction.INGRESS : Direction.EGRESS;
      const first = c.first.rules(direction)[c.firstRule].action;
      const second = c.second.rules(direction)[c.secondRule].action;
      return {
        object: clusterPolicyObject(c.second),
        path: `spec.priority`,
        message:
          `${c.second.tier} policies ${c.first.name} and ${c.second.name} both have priority ` +
          `${c.second.priority}, and ${c.direction} rule ${c.firstRule} of ${c.first.name} (${first}) and ` +
          `${c.direction} rule ${c.secondRule} of ${c.second.name} (${second}) can match the same connection; ` +
          `which applies is up to the network plugin`,
      };
    });
  },
};
