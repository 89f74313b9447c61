/**
 * What is known of the two ends of a connection, and how it decides a condition: a namespace's
 * labels decide a namespace selector where they are known, a pod's IPs (or the ranges pod IPs
 * come from) decide whether its IP lies in some addresses, an address outside the cluster is
 * known by itself. What stays unknown stays a condition.
 */
import { AddressSet } from './address-set';
import { Namespace, Workload } from './cluster';
import { Condition, End } from './condition';
import type { PeerMatch, PodAddressing } from './peer';
import { LabelSelector, representativeLabels } from './selector';

/** What is known of one end of a connection. */
export interface EndKnowledge {
  /** The pods, for an end in the cluster. @default - an address outside the cluster */
  readonly pod?: Workload;
  /** The pods' namespace, with its labels and whether they are known. @default - none (an address) */
  readonly namespace?: Namespace;
  /** For an address outside the cluster: the addresses the end stands for. @default - a pod */
  readonly addresses?: AddressSet;
}

/**
 * A namespace selector against a namespace: decided by its labels where they are known; where
 * only some are (its name label, labels a setting gives), each requirement on a key the
 * namespace is known to carry is decided, and the requirements on other keys make a condition
 * on the `end`'s namespace labels.
 */
export function namespaceSelectorMatch(selector: LabelSelector, ns: Namespace, end: End): PeerMatch {
  if (ns.labelsKnown !== false || selector.isEmpty) return selector.matches(ns.labels);
  const has = (key: string) => Object.prototype.hasOwnProperty.call(ns.labels, key);
  const knownLabels = Object.entries(selector.matchLabels).filter(([k]) => has(k));
  const knownExprs = selector.matchExpressions.filter((x) => has(x.key));
  if (!LabelSelector.of(Object.fromEntries(knownLabels), knownExprs).matches(ns.labels)) return false;
  const rest = LabelSelector.of(
    Object.fromEntries(Object.entries(selector.matchLabels).filter(([k]) => !has(k))),
    selector.matchExpressions.filter((x) => !has(x.key)),
  );
  if (rest.isEmpty) return true;
  // requirements that no labels meet (Exists and DoesNotExist on one key) never hold
  return representativeLabels(rest) === undefined ? false : Condition.namespaceLabels(end, rest);
}

/**
 * Whether a pod's IP lies in some addresses (as an ipBlock matches pods): by its IPs where
 * known, by the pod ranges where they decide, else a condition on the `end`'s IP; never, when
 * ipBlocks ignore pods.
 */
export function podAddressMatch(addresses: AddressSet, pod: Workload, end: End, addressing: PodAddressing): PeerMatch {
  if ((addressing.ipBlockPods ?? 'match') === 'ignore') return false;
  if (pod.ips && pod.ips.length > 0) return pod.ips.some((ip) => addresses.intervals.some((r) => r.containsIp(ip)));
  let within = addresses;
  if (addressing.podCidrs && addressing.podCidrs.length > 0) {
    const pods = AddressSet.of(addressing.podCidrs.map((c) => ({ family: c.family, first: c.first, last: c.last })));
    if (within.containsAll(pods)) return true;
    within = within.intersect(pods);
  }
  return within.isEmpty ? false : Condition.podIp(end, within);
}

/**
 * The condition once what is known of the ends is used: true when it holds for sure, false
 * when it cannot, else the condition on what stays unknown.
 */
export function decideCondition(
  condition: Condition,
  ends: Readonly<Record<End, EndKnowledge>>,
  addressing: PodAddressing,
): Condition | boolean {
  let out: Condition | undefined = Condition.ALWAYS;
  for (const f of condition.facts) {
    const e = ends[f.end];
    let m: PeerMatch;
    if (f.kind === 'namespace-labels') m = e.namespace ? namespaceSelectorMatch(f.selector, e.namespace, f.end) : false;
    else if (f.kind === 'choice') m = Condition.choice(f.text);
    else if (e.pod) m = podAddressMatch(f.addresses, e.pod, f.end, addressing);
    else if (!e.addresses) m = false;
    else
      m = f.addresses.containsAll(e.addresses) ? true : f.addresses.isDisjoint(e.addresses) ? false : Condition.podIp(f.end, f.addresses);
    if (m === false) return false;
    if (m !== true) out = out?.and(m);
    if (!out) return false;
  }
  return out.isAlways ? true : out;
}
