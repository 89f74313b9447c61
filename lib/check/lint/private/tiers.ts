/**
 * Pods to reason about when no cluster manifests are given (a chart's synthesized policies):
 * the tiers that the policies name. Each label set that a policy's podSelector, or a peer's
 * podSelector in a namespace known by name, selects becomes one pseudo-workload; each
 * namespace with policies also gets one unlabelled workload for its other pods.
 */
import { Workload } from '../../../model/cluster';
import { Policy } from '../../../model/policy';
import { LabelSelector } from '../../../model/selector';

/** The kind of a tier pseudo-workload. */
export const TIER_KIND = 'Tier';

/** The name of the unlabelled pseudo-workload of a namespace. */
export const OTHER_PODS = '*';

/** The pseudo-workloads of the policies' tiers, in order of first mention. */
export function tierWorkloads(policies: readonly Policy[]): Workload[] {
  const out = new Map<string, Workload>();
  const add = (namespace: string, selector: LabelSelector) => {
    if (selector.matchExpressions.length > 0) return;
    const name = selector.isEmpty ? OTHER_PODS : selector.toString();
    const key = `${namespace}/${name}`;
    if (!out.has(key)) out.set(key, { namespace, name, kind: TIER_KIND, labels: { ...selector.matchLabels }, ports: [] });
  };
  for (const p of policies) {
    add(p.namespace, p.podSelector);
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === 'pods') add(p.namespace, peer.podSelector!);
        if (peer.kind === 'namespaces' && peer.podSelector) {
          const ns = peer.namespaceSelector!.namespaceNameOnly;
          if (ns !== undefined) add(ns, peer.podSelector);
        }
      }
    }
  }
  for (const p of policies) add(p.namespace, LabelSelector.all());
  return [...out.values()];
}

/** How messages name a pod: `ns/name` for a workload, `pods app=web of ns` or `other pods of ns` for a tier. */
export function podName(w: Workload): string {
  if (w.kind !== TIER_KIND) return `${w.namespace}/${w.name}`;
  return w.name === OTHER_PODS ? `the other pods of ${w.namespace}` : `pods ${w.name} of ${w.namespace}`;
}
