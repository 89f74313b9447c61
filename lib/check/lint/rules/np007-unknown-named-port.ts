/**
 * NP007: a named port that no destination container defines, so the rule's entry matches
 * nothing.
 */
import { Direction } from '../../../model/rule';
import { resolvePort, Workload } from '../../../model/cluster';
import { Policy } from '../../../model/policy';
import { Peer, PeerKind, peerMatchesPod } from '../../../model/peer';
import { LintContext, LintRule, RuleFinding } from '../rule';
import { portPath, policyObject, rulesOf } from '../private/policy-paths';

/** NP007 unknown-named-port. */
export const NP007: LintRule = {
  id: 'NP007',
  name: 'unknown-named-port',
  severity: 'warning',
  cause: 'A named port is not defined by any container of the pods it refers to.',
  explanation:
    'A named port in a rule is resolved on the destination: the pods a policy selects for ingress, the pods its peers select for egress. ' +
    'Where no container of those pods declares a port of that name and protocol, the entry matches ' +
    'nothing, and toward addresses outside the cluster (ipBlock) a name never matches. ' +
    'Runs only when the manifests are said to be the whole cluster (--cluster): elsewhere a pod not in ' +
    'the files given may declare the port, and the analysis says the connection depends on it. ' +
    'The ipBlock case needs no cluster.',
  fix: 'Use the name of a containerPort of the destination pods (with the same protocol), or the port number.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      for (const { direction, index, rule } of rulesOf(p)) {
        const onlyAddresses = !rule.anyPeer && rule.peers.every((peer) => peer.kind === PeerKind.IP_BLOCK);
        // The destinations matter only for a named port: found once per rule, when one is.
        let found: Workload[] | undefined;
        const destinations = (): Workload[] =>
          (found ??= direction === Direction.INGRESS ? selectedBy(ctx, p) : peersMatch(ctx, p, rule.anyPeer ? undefined : rule.peers));
        rule.ports.forEach((port, j) => {
          if (typeof port.port !== 'string') return;
          const name = port.port;
          if (direction === Direction.EGRESS && onlyAddresses) {
            out.push({
              object: policyObject(p),
              path: `${portPath(direction, index, j)}.port`,
              message: `named port ${port} toward ipBlock peers only never matches: names are resolved on destination pods, not on outside addresses`,
              fix: `write the port number instead of "${name}"`,
            });
            return;
          }
          if (!ctx.complete || destinations().length === 0) return;
          if (destinations().some((w) => resolvePort(w, name, port.protocol) !== undefined)) return;
          const other = [
            ...new Set(
              destinations().flatMap((w) =>
                w.ports.filter((c) => c.name).map((c) => `${c.name} (${c.protocol ?? 'TCP'} ${c.containerPort})`),
              ),
            ),
          ].sort();
          const who = direction === Direction.INGRESS ? 'the pods this policy selects' : "the pods this rule's peers select";
          out.push({
            object: policyObject(p),
            path: `${portPath(direction, index, j)}.port`,
            message:
              `named port ${port} is defined by no container of ${who} in the given ` +
              `manifests${other.length > 0 ? ` (their named ports: ${other.slice(0, 5).join(', ')})` : ' (they have no named ports)'}, ` +
              `so this entry matches nothing`,
            fix: `name a containerPort "${name}" with protocol ${port.protocol} in those pods, or write the port number`,
          });
        });
      }
    }
    return out;
  },
};

/** The cluster's workloads that the policy selects (only in a complete cluster). */
function selectedBy(ctx: LintContext, p: Policy): Workload[] {
  if (!ctx.complete) return [];
  return ctx.known.filter((w) => p.selects(w));
}

/** The cluster's workloads that some of the peers (undefined: every peer) match; ipBlocks match none here. */
function peersMatch(ctx: LintContext, p: Policy, peers: readonly Peer[] | undefined): Workload[] {
  if (!ctx.complete) return [];
  const ws = ctx.known;
  if (peers === undefined) return [...ws];
  return ws.filter((w) =>
    peers.some(
      (peer) => peerMatchesPod(peer, 'destination', p.namespace, w, ctx.namespace(w.namespace), { ipBlockPods: 'ignore' }) === true,
    ),
  );
}
