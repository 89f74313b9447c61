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
import { LabelSelector, Labels, representativeLabels } from './selector';

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
  if (ns.labelsKnown !== false || selector.isEmpty || onKnownKeysOnly(selector, ns.labels)) return selector.matches(ns.labels);
  const split = splitByKnownKeys(selector, ns.labels);
  if (!split.known.matches(ns.labels)) return false;
  if (split.rest === undefined) return true;
  // requirements that no labels meet (Exists and DoesNotExist on one key) never hold
  if (!split.restHolds) return false;
  return (split.conditions[end] ??= Condition.namespaceLabels(end, split.rest));
}

/** True if every requirement of the selector is on a key the labels carry (as a selector of the name label is). */
function onKnownKeysOnly(selector: LabelSelector, labels: Labels): boolean {
  for (const key of Object.keys(selector.matchLabels)) if (!Object.prototype.hasOwnProperty.call(labels, key)) return false;
  for (const x of selector.matchExpressions) if (!Object.prototype.hasOwnProperty.call(labels, x.key)) return false;
  return true;
}

/** A namespace selector divided by the keys whose labels are known, with the conditions on the rest. */
interface KnownKeysSplit {
  /** The requirements on keys the namespace has. */
  readonly known: LabelSelector;
  /** The requirements on the other keys, or undefined when there are none. */
  readonly rest?: LabelSelector;
  /** Whether some labels meet the rest. */
  readonly restHolds: boolean;
  /** The condition on each end's namespace labels, made once. */
  readonly conditions: Partial<Record<End, Condition>>;
}

// The splits of each selector, by which of its keys the namespace has: a lint or analysis asks
// the same selector of many namespaces whose labels are unknown, which all have the same keys.
const splits = new WeakMap<LabelSelector, Map<string, KnownKeysSplit>>();

function splitByKnownKeys(selector: LabelSelector, labels: Labels): KnownKeysSplit {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  const labelKeys = Object.keys(selector.matchLabels);
  const signature =
    labelKeys.map((k) => (has(k) ? '1' : '0')).join('') + '/' + selector.matchExpressions.map((x) => (has(x.key) ? '1' : '0')).join('');
  let bySignature = splits.get(selector);
  if (bySignature === undefined) splits.set(selector, (bySignature = new Map()));
  let split = bySignature.get(signature);
  if (split === undefined) {
    const known = LabelSelector.of(
      Object.fromEntries(labelKeys.filter(has).map((k) => [k, selector.matchLabels[k]])),
      selector.matchExpressions.filter((x) => has(x.key)),
    );
    const rest = LabelSelector.of(
      Object.fromEntries(labelKeys.filter((k) => !has(k)).map((k) => [k, selector.matchLabels[k]])),
      selector.matchExpressions.filter((x) => !has(x.key)),
    );
    split = rest.isEmpty
      ? { known, restHolds: true, conditions: {} }
      : { known, rest, restHolds: representativeLabels(rest) !== undefined, conditions: {} };
    bySignature.set(signature, split);
  }
  return split;
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
