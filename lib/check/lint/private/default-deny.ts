/**
 * The check behind NP003 and NP004: a namespace with pods but no policy that isolates every
 * one of its pods in a direction.
 */
import { Direction } from '../../../model/rule';
import { LintContext, RuleFinding } from '../rule';
import { listText } from './policy-paths';

/** Namespaces whose names start with this are the cluster's own and are left alone. */
const SYSTEM_NAMESPACE_PREFIX = 'kube-';

/**
 * The namespaces with pods (those of the workloads, in a complete cluster; else also those that
 * have policies) where no policy with an empty podSelector isolates `direction`.
 */
export function missingDefaultDeny(ctx: LintContext, direction: Direction): RuleFinding[] {
  const namespaces = [...(ctx.complete ? [] : ctx.policies.map((p) => p.namespace)), ...ctx.known.map((w) => w.namespace)];
  const word = direction === Direction.INGRESS ? 'ingress' : 'egress';
  const out: RuleFinding[] = [];
  for (const ns of [...new Set(namespaces)]) {
    if (ns.startsWith(SYSTEM_NAMESPACE_PREFIX)) continue;
    if (ctx.policies.some((p) => p.namespace === ns && p.podSelector.isEmpty && p.isolates(direction))) continue;
    // Groups made up from the policies are not pods known to exist: only workloads given are listed.
    const open = ctx.known.filter((w) => w.namespace === ns && ctx.isolating(w, direction).length === 0).map((w) => ctx.podName(w));
    const consequence = direction === Direction.INGRESS ? 'accepts connections from anywhere' : 'may connect anywhere';
    out.push({
      object: { kind: 'Namespace', name: ns },
      path: '',
      message:
        `namespace ${ns} has no default-deny policy for ${word} (an empty podSelector with ${direction} in ` +
        `policyTypes), so a pod that no policy selects ` +
        `${consequence}${open.length > 0 ? `; such pods now: ${listText(open)}` : ''}`,
      fix:
        `add a policy to namespace ${ns} with podSelector {} and policyTypes [${direction}] and no ${word} ` +
        `rules (DefaultDeny), then allow what each tier needs`,
    });
  }
  return out;
}
