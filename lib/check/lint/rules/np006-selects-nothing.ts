/**
 * NP006: a policy's podSelector, or a peer's selector, that selects no pod of the cluster:
 * most often a typo in a label. Only the whole cluster can show that a selector selects nothing.
 */
import { Direction } from '../../../model/rule';
import { PeerKind, peerMatchesPod, peerMatchesNamespace } from '../../../model/peer';
import { Workload } from '../../../model/cluster';
import { LabelSelector, NAMESPACE_NAME_LABEL } from '../../../model/selector';
import { listText, peerPath, policyObject, rulesOf } from '../private/policy-paths';
import { byNamespace } from '../private/by-namespace';
import { LintRule, RuleFinding } from '../rule';

/** NP006 selects-nothing. */
export const NP006: LintRule = {
  id: 'NP006',
  name: 'selects-nothing',
  severity: 'warning',
  cause: 'A podSelector or a peer selector selects no pod of the cluster manifests given as the whole cluster.',
  explanation:
    'A selector that matches nothing is silently accepted by Kubernetes: a policy that selects no pod ' +
    'protects nothing, and a peer that selects no pod allows nothing. ' +
    'The usual cause is a typo in a label key or value, or a label that the workloads do not carry. ' +
    'Runs only when the manifests are said to be the whole cluster (--cluster): pods that are simply not in the files given are not a mistake. ' +
    'Even then, a namespace without workloads in the manifests, or a namespace named in a selector but absent from them, is taken as out of scope.',
  fix: "Correct the selector's labels so that they match the pods' labels, or remove it.",
  check(ctx) {
    if (!ctx.complete) return [];
    const workloads = ctx.known;
    const namespaces = [
      ...new Set([
        ...ctx.cluster.namespaces.map((n) => n.name),
        ...workloads.map((w) => w.namespace),
        ...ctx.policies.map((p) => p.namespace),
      ]),
    ];
    const labelsKnown = ctx.cluster.namespaces.length > 0;
    const workloadsOf = byNamespace(workloads);
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      const own = workloadsOf.get(p.namespace) ?? [];
      if (own.length > 0 && !own.some((w) => p.selects(w))) {
        out.push({
          object: policyObject(p),
          path: 'spec.podSelector',
          message:
            `podSelector ${p.podSelector} selects no pod of namespace ${p.namespace} in the given ` +
            `manifests${hint(p.podSelector, own)}, so this policy applies to nothing`,
          fix: 'correct the labels to match the pods this policy is meant for',
        });
      }
      for (const { direction, index, rule } of rulesOf(p)) {
        const end = direction === Direction.INGRESS ? 'source' : 'destination';
        rule.peers.forEach((peer, j) => {
          const path = peerPath(direction, index, j);
          const selects = (w: Workload) =>
            peerMatchesPod(peer, end, p.namespace, w, ctx.namespace(w.namespace), { ipBlockPods: 'ignore' }) === true;
          if (peer.kind === PeerKind.PODS) {
            if (own.length > 0 && !own.some(selects)) {
              out.push({
                object: policyObject(p),
                path: `${path}.podSelector`,
                message:
                  `podSelector ${peer.podSelector} selects no pod of namespace ${p.namespace} in the given ` +
                  `manifests${hint(peer.podSelector!, own)}, so this peer matches nothing`,
                fix: 'correct the labels; to select pods of another namespace, add a namespaceSelector to the same peer',
              });
            }
            return;
          }
          if (peer.kind !== PeerKind.NAMESPACES) return;
          const selected = namespaces.filter((n) => peerMatchesNamespace(peer, end, p.namespace, ctx.namespace(n)) === true);
          if (selected.length === 0) {
            if (!namesNamespacesOnly(peer.namespaceSelector!) && labelsKnown) {
              out.push({
                object: policyObject(p),
                path: `${path}.namespaceSelector`,
                message:
                  `namespaceSelector ${peer.namespaceSelector} selects no namespace of the given manifests ` +
                  `(${listText(namespaces, 5)}), so this peer matches nothing`,
                fix: "correct the labels to match the Namespace objects' labels, or select the namespace by its kubernetes.io/metadata.name label",
              });
            }
            return;
          }
          const chosen = new Set(selected);
          const there = workloads.filter((w) => chosen.has(w.namespace));
          if (peer.podSelector && there.length > 0 && !there.some(selects)) {
            out.push({
              object: policyObject(p),
              path: `${path}.podSelector`,
              message:
                `podSelector ${peer.podSelector} selects no pod of namespace${selected.length === 1 ? '' : 's'} ` +
                `${listText(selected, 5)} in the given manifests${hint(peer.podSelector, there)}, so this peer matches nothing`,
              fix: 'correct the labels to match the pods this peer is meant for',
            });
          }
        });
      }
    }
    return out;
  },
};

/** `; the pods there have app=web, app=db` for the keys the selector uses, or which keys they lack. */
function hint(selector: LabelSelector, pods: readonly Workload[]): string {
  const keys = [...new Set([...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((x) => x.key)])];
  const seen = [...new Set(pods.flatMap((w) => keys.filter((k) => w.labels[k] !== undefined).map((k) => `${k}=${w.labels[k]}`)))].sort();
  if (seen.length > 0) return ` (the pods there have ${listText(seen, 5)})`;
  return keys.length > 0 ? ` (no pod there has the label${keys.length === 1 ? '' : 's'} ${listText(keys, 5)})` : '';
}

/**
 * True if the selector picks namespaces by name only (`kubernetes.io/metadata.name` as a label
 * or in `In` expressions): a namespace named but absent from the manifests is out of scope.
 */
function namesNamespacesOnly(selector: LabelSelector): boolean {
  const keys = [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((x) => x.key)];
  return keys.length > 0 && keys.every((k) => k === NAMESPACE_NAME_LABEL) && selector.matchExpressions.every((x) => x.operator === 'In');
}
