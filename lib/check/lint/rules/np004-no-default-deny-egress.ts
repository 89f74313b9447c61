/**
 * NP004: a namespace with pods but no default-deny policy for egress.
 */
import { missingDefaultDeny } from '../private/default-deny';
import { LintRule } from '../rule';
import { Direction } from '../../../model/rule';

/** NP004 no-default-deny-egress. */
export const NP004: LintRule = {
  id: 'NP004',
  name: 'no-default-deny-egress',
  severity: 'warning',
  cause: 'A namespace with workloads has no default-deny policy for egress.',
  explanation:
    'A pod may connect anywhere until some policy that selects it lists Egress. Without a policy that selects every pod of the namespace for Egress, ' +
    'a compromised or misconfigured pod can reach every other pod, the cloud metadata service and the internet. ' +
    'Once egress is denied by default, allow DNS (see NP001). Namespaces named kube-* are left alone. Suppress with an annotation on the Namespace.',
  fix: 'Add a policy with podSelector {} and policyTypes [Egress] and no rules (DefaultDeny) to the namespace, and allow DNS.',
  check: (ctx) => missingDefaultDeny(ctx, Direction.EGRESS),
};
