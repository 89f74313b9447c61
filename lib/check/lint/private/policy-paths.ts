/**
 * Field paths into a NetworkPolicy, in the API server's form, and small helpers that every
 * rule uses to name what it points at.
 */
import { ClusterPolicy } from '../../../model/cluster-policy';
import { Workload } from '../../../model/cluster';
import type { LintContext } from '../rule';
import { LintObject } from '../finding';
import { Policy } from '../../../model/policy';
import { Direction, Rule } from '../../../model/rule';

/** `spec.ingress[3]` / `spec.egress[3]`. */
export function rulePath(direction: Direction, index: number): string {
  return `spec.${direction === Direction.INGRESS ? 'ingress' : 'egress'}[${index}]`;
}

/** `from` for ingress, `to` for egress. */
export function peersKey(direction: Direction): 'from' | 'to' {
  return direction === Direction.INGRESS ? 'from' : 'to';
}

/** `spec.ingress[3].from[1]`. */
export function peerPath(direction: Direction, rule: number, peer: number): string {
  return `${rulePath(direction, rule)}.${peersKey(direction)}[${peer}]`;
}

/** `spec.ingress[3].ports[1]`. */
export function portPath(direction: Direction, rule: number, port: number): string {
  return `${rulePath(direction, rule)}.ports[${port}]`;
}

/** The object a policy finding is about. */
export function policyObject(p: Policy): LintObject {
  return { kind: 'NetworkPolicy', namespace: p.namespace, name: p.name };
}

/** Every rule of a policy with its direction and position. */
export function rulesOf(p: Policy): Array<{ direction: Direction; index: number; rule: Rule }> {
  return [
    ...p.ingress.map((rule, index) => ({ direction: Direction.INGRESS, index, rule })),
    ...p.egress.map((rule, index) => ({ direction: Direction.EGRESS, index, rule })),
  ];
}

/** `ingress` / `egress`. */
export function directionWord(direction: Direction): string {
  return direction === Direction.INGRESS ? 'ingress' : 'egress';
}

/** `a`, `a and b`, `a, b and c`, or the first `max` and `and N more`. */
export function listText(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items.join('');
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The object a ClusterNetworkPolicy finding is about. */
export function clusterPolicyObject(p: ClusterPolicy): LintObject {
  return { kind: 'ClusterNetworkPolicy', name: p.name };
}

/** `Admin policy deny-metadata`. */
export function clusterPolicyText(p: ClusterPolicy): string {
  return `${p.tier} policy ${p.name}`;
}

/** The pods of the picture a ClusterNetworkPolicy's subject selects (never host-network pods). */
export function clusterSubjectPods(ctx: LintContext, p: ClusterPolicy): Workload[] {
  return ctx.pods.filter((w) => !w.hostNetwork && p.subject.selects(ctx.namespace(w.namespace).labels, w.labels));
}
