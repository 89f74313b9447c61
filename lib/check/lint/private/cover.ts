/**
 * "Everything the narrow one matches, the broad one matches too", decided from the text of
 * selectors, peers and port entries alone (no pods needed). The answers are sound but not
 * complete: `true` is always right; `false` may miss a cover that only the label values in a
 * cluster would show.
 */
import { Peer, PeerKind } from '../../../model/peer';
import { Port } from '../../../model/port';
import { Rule } from '../../../model/rule';
import { LabelSelector, SelectorExpression, SelectorOperator } from '../../../model/selector';

type Requirement = SelectorExpression;

function requirements(s: LabelSelector): Requirement[] {
  return [
    ...Object.entries(s.matchLabels).map(([key, v]): Requirement => ({ key, operator: SelectorOperator.IN, values: [v] })),
    ...s.matchExpressions,
  ];
}

function implies(n: Requirement, r: Requirement): boolean {
  if (n.key !== r.key) return false;
  const nv = n.values ?? [];
  const rv = r.values ?? [];
  switch (r.operator) {
    case SelectorOperator.EXISTS:
      return n.operator === SelectorOperator.EXISTS || (n.operator === SelectorOperator.IN && nv.length > 0);
    case SelectorOperator.IN:
      return n.operator === SelectorOperator.IN && nv.length > 0 && nv.every((v) => rv.includes(v));
    case SelectorOperator.NOT_IN:
      return (
        (n.operator === SelectorOperator.IN && nv.every((v) => !rv.includes(v))) ||
        n.operator === SelectorOperator.DOES_NOT_EXIST ||
        (n.operator === SelectorOperator.NOT_IN && rv.every((v) => nv.includes(v)))
      );
    case SelectorOperator.DOES_NOT_EXIST:
      return n.operator === SelectorOperator.DOES_NOT_EXIST;
  }
}

/** True if every label set that `narrow` matches is matched by `broad`. */
export function selectorCovers(broad: LabelSelector, narrow: LabelSelector): boolean {
  if (broad.isEmpty) return true;
  const have = requirements(narrow);
  return requirements(broad).every((r) => have.some((n) => implies(n, r)));
}

/** True if the namespace selector surely selects the namespace with this name, whatever its other labels. */
function selectsNamespaceNamed(selector: LabelSelector, name: string): boolean {
  return selector.isEmpty || selector.namespaceNameOnly === name;
}

/**
 * True if every pod or address that `narrow` matches, `broad` matches too; both peers belong
 * to rules of a policy in `policyNamespace`.
 */
export function peerCovers(broad: Peer, narrow: Peer, policyNamespace: string): boolean {
  if (broad.kind === PeerKind.ANY) return true;
  switch (narrow.kind) {
    case PeerKind.ANY:
      return false;
    case PeerKind.IP_BLOCK: {
      if (broad.kind !== PeerKind.IP_BLOCK) return false;
      const outer = broad.ipBlock!.ranges();
      if (broad.ipBlock!.cidr.family !== narrow.ipBlock!.cidr.family) return false;
      return narrow.ipBlock!.ranges().every(([a, b]) => outer.some(([x, y]) => x <= a && b <= y));
    }
    case PeerKind.PODS:
      if (broad.kind === PeerKind.PODS) return selectorCovers(broad.podSelector!, narrow.podSelector!);
      if (broad.kind === PeerKind.NAMESPACES) {
        return (
          selectsNamespaceNamed(broad.namespaceSelector!, policyNamespace) &&
          (broad.podSelector === undefined || selectorCovers(broad.podSelector, narrow.podSelector!))
        );
      }
      return false;
    case PeerKind.NAMESPACES: {
      const narrowPods = narrow.podSelector ?? LabelSelector.all();
      if (broad.kind === PeerKind.NAMESPACES) {
        return (
          selectorCovers(broad.namespaceSelector!, narrow.namespaceSelector!) &&
          (broad.podSelector === undefined || selectorCovers(broad.podSelector, narrowPods))
        );
      }
      if (broad.kind === PeerKind.PODS) {
        return narrow.namespaceSelector!.namespaceNameOnly === policyNamespace && selectorCovers(broad.podSelector!, narrowPods);
      }
      return false;
    }
  }
}

/** True if every (protocol, port) of `narrow` is in `broad`. Named ports cover only the same name. */
export function portCovers(broad: Port, narrow: Port): boolean {
  if (broad.protocol !== narrow.protocol) return false;
  if (broad.port === undefined) return true;
  if (narrow.port === undefined) return false;
  if (typeof broad.port === 'string' || typeof narrow.port === 'string') return broad.port === narrow.port;
  return broad.port <= narrow.port && (narrow.endPort ?? narrow.port) <= (broad.endPort ?? broad.port);
}

/** True if every peer and every port of `narrow` is matched by `broad` (rules of one policy). */
export function ruleCovers(broad: Rule, narrow: Rule, policyNamespace: string): boolean {
  const peers = broad.anyPeer || (!narrow.anyPeer && narrow.peers.every((n) => broad.peers.some((b) => peerCovers(b, n, policyNamespace))));
  const ports = broad.anyPort || (!narrow.anyPort && narrow.ports.every((n) => broad.ports.some((b) => portCovers(b, n))));
  return peers && ports;
}
