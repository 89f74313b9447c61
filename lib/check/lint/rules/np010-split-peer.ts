/**
 * NP010: a `from`/`to` list with a namespace-only peer next to a pod-only peer, where one peer
 * with both selectors (AND) was likely meant.
 */
import { Peer, PeerKind } from '../../../model/peer';
import { listText, peerPath, peersKey, policyObject, rulesOf } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP010 split-peer. */
export const NP010: LintRule = {
  id: 'NP010',
  name: 'split-peer',
  severity: 'error',
  cause: 'A peer list holds a namespace-only peer next to a pod-only peer, where one peer with both selectors was likely meant.',
  explanation:
    'In YAML, one dash makes the difference: "- namespaceSelector: ... podSelector: ..." is one peer, the pods with those labels in those namespaces (AND); ' +
    '"- namespaceSelector: ...", "- podSelector: ..." are two peers, every pod of those namespaces OR ' +
    "the pods with those labels in the policy's own namespace. " +
    'The second form is rarely meant: it admits whole namespaces, and the pods it names in the own namespace are seldom the ones meant. ' +
    'A pod-only peer with an empty selector (every pod of the own namespace) is taken as deliberate.',
  fix: 'Merge the two peers into one (drop the dash before podSelector), or suppress with the reason if both are meant.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      for (const { direction, index, rule } of rulesOf(p)) {
        const namespaceOnly = rule.peers.flatMap((peer, j) =>
          peer.kind === PeerKind.NAMESPACES && peer.podSelector === undefined ? [j] : [],
        );
        if (namespaceOnly.length === 0) continue;
        rule.peers.forEach((peer: Peer, j) => {
          if (peer.kind !== PeerKind.PODS || peer.podSelector!.isEmpty) return;
          const key = peersKey(direction);
          const nsText = listText(namespaceOnly.map((k) => `${key}[${k}] (${rule.peers[k]})`));
          const first = rule.peers[namespaceOnly[0]];
          out.push({
            object: policyObject(p),
            path: peerPath(direction, index, j),
            message:
              `${key}[${j}] (${peer}) and ${nsText} are separate peers, so the rule matches all pods of ` +
              `${namespaceOnly.map((k) => rule.peers[k]).join(' and of ')} OR pods ${peer.podSelector} of ` +
              `namespace ${p.namespace}; ` +
              `for pods ${peer.podSelector} in ${first}, write one peer with both selectors`,
            fix:
              `merge ${key}[${Math.min(namespaceOnly[0], j)}] and ${key}[${Math.max(namespaceOnly[0], j)}] into ` +
              `one peer that has both namespaceSelector and podSelector (no dash before podSelector), or suppress ` +
              `NP010 with the reason both are meant`,
          });
        });
      }
    }
    return out;
  },
};
