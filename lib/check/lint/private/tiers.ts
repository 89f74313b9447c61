/**
 * Pods to reason about when no cluster manifests are given (a chart's synthesized policies):
 * the tiers that the policies name. Each label set that a policy's podSelector, or a peer's
 * podSelector in a namespace known by name, selects becomes one pseudo-workload (one per `In`
 * value, see `selectorCases`); each namespace with policies also gets one unlabelled workload
 * for its other pods.
 */
import { selectorCases } from '../../../analysis/infer-cluster';
import { Workload } from '../../../model/cluster';
import { Policy } from '../../../model/policy';
import { LabelSelector, NAMESPACE_NAME_LABEL } from '../../../model/selector';
import { PeerKind } from '../../../model/peer';

/** The kind of a tier pseudo-workload. */
export const TIER_KIND = 'Tier';

/** The name of the unlabelled pseudo-workload of a namespace. */
export const OTHER_PODS = '*';

/**
 * The pseudo-workloads of the policies' tiers, in order of first mention, one per namespace
 * and label set. A tier is named by its selector (`app=web`), or, when its selector names
 * several values, by the selector of each value's pods (`tier=web`, `tier=api`).
 */
export function tierWorkloads(policies: readonly Policy[]): Workload[] {
  const out = new Map<string, Workload>();
  const add = (namespace: string, selector: LabelSelector) => {
    const cases = selectorCases(selector).filter((c) => c.matches);
    for (const c of cases) {
      const key = `${namespace}\u0000${JSON.stringify(c.labels)}`;
      if (out.has(key)) continue;
      const name = Object.keys(c.labels).length === 0 ? OTHER_PODS : cases.length === 1 ? selector.toString() : c.selector.toString();
      out.set(key, { namespace, name, kind: TIER_KIND, labels: c.labels, ports: [] });
    }
  };
  // The namespaces a namespace selector names: by its name label, or by an `In` on it.
  const named = (s: LabelSelector): string[] => {
    if (s.namespaceNameOnly !== undefined) return [s.namespaceNameOnly];
    const names = selectorCases(s)
      .filter((c) => c.matches)
      .map((c) => c.labels[NAMESPACE_NAME_LABEL]);
    return names.every((n) => n !== undefined) ? names : [];
  };
  for (const p of policies) {
    add(p.namespace, p.podSelector);
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === PeerKind.PODS) add(p.namespace, peer.podSelector!);
        if (peer.kind === PeerKind.NAMESPACES && peer.podSelector) {
          for (const ns of named(peer.namespaceSelector!)) add(ns, peer.podSelector);
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
