/**
 * NP003: a namespace with pods but no default-deny policy for ingress.
 */
import { missingDefaultDeny } from '../private/default-deny';
import { LintRule } from '../rule';
import { Direction } from '../../../model/rule';

/** NP003 no-default-deny-ingress. */
export const NP003: LintRule = {
  id: 'NP003',
  name: 'no-default-deny-ingress',
  severity: 'warning',
  cause: 'A namespace with workloads has no default-deny policy for ingress.',
  explanation:
    'A pod accepts every connection until some policy that selects it lists Ingress. Without a policy that selects every pod of the namespace for Ingress, ' +
    'a new workload, or one whose labels no policy matches, is open to every pod of the cluster and every address that can route to it. ' +
    'Namespaces named kube-* are left alone. Suppress with an annotation on the Namespace.',
  fix: 'Add a policy with podSelector {} and policyTypes [Ingress] and no rules (DefaultDeny) to the namespace.',
  check: (ctx) => missingDefaultDeny(ctx, Direction.INGRESS),
};
