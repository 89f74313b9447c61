/**
 * The Kubernetes rules for one peer and one port entry, applied to a single workload or
 * address. The analyzer applies the same rules to many workloads at once (with bitsets); the
 * explainer applies them here, one pair at a time, so that it can say which entry matched.
 * Which pods a peer selects, and named ports, are public in `../peer-matching.ts`, shared with
 * the linter.
 */
import { IpAddress } from '../../model/cidr';
import { Workload } from '../../model/cluster';
import { Peer, PeerKind } from '../../model/peer';
import { Port } from '../../model/port';
import { Rule } from '../../model/rule';
import { ConnectionSet } from '../connection-set';
import { resolveNamedPort } from '../peer-matching';

/**
 * What one port entry allows toward a destination: every port of its protocol, a number, a
 * range, or a name resolved on the destination workload (nothing toward an external address
 * or a workload without that port).
 */
export function portEntrySet(port: Port, destination: Workload | undefined): ConnectionSet {
  if (port.port === undefined) return ConnectionSet.protocol(port.protocol);
  if (typeof port.port === 'number') return ConnectionSet.range(port.protocol, port.port, port.endPort ?? port.port);
  const n = destination ? resolveNamedPort(destination, port.port, port.protocol) : undefined;
  return n === undefined ? ConnectionSet.none() : ConnectionSet.port(port.protocol, n);
}

/** What a rule's port list allows toward a destination; an empty list allows everything. */
export function rulePortSet(rule: Rule, destination: Workload | undefined): ConnectionSet {
  if (rule.anyPort) return ConnectionSet.all();
  let out = ConnectionSet.none();
  for (const p of rule.ports) out = out.union(portEntrySet(p, destination));
  return out;
}

/** True if the peer matches an address outside the cluster: an empty peer list, or an ipBlock holding it. */
export function peerMatchesAddress(peer: Peer, address: IpAddress): boolean {
  if (peer.kind === PeerKind.ANY) return true;
  return peer.kind === PeerKind.IP_BLOCK && peer.ipBlock!.containsIp(address);
}
