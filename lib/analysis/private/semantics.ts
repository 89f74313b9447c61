/**
 * The Kubernetes rules for one peer and one port entry, applied to a single workload or
 * address. The analyzer applies the same rules to many workloads at once (with bitsets); the
 * explainer applies them here, one pair at a time, so that it can say which entry matched.
 */
import { IpAddress } from '../../model/cidr';
import { Workload } from '../../model/cluster';
import { Peer } from '../../model/peer';
import { Port, Protocol } from '../../model/port';
import { Rule } from '../../model/rule';
import { Labels } from '../../model/selector';
import { ConnectionSet } from '../connection-set';

/** How ipBlock peers treat pods: match their known IPs (Kubernetes) or never match them (np-guard). */
export type IpBlockPods = 'match' | 'ignore';

/**
 * The port a named container port resolves to on the destination workload: the first
 * container port with that name and the same protocol, or undefined.
 */
export function resolveNamedPort(destination: Workload, name: string, protocol: Protocol): number | undefined {
  return destination.ports.find((c) => c.name === name && (c.protocol ?? 'TCP') === protocol)?.containerPort;
}

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

/**
 * True if the peer of a policy in `policyNamespace` matches the workload, whose namespace has
 * the labels `namespaceLabels`.
 */
export function peerMatchesWorkload(peer: Peer, policyNamespace: string, workload: Workload, namespaceLabels: Labels, ipBlockPods: IpBlockPods): boolean {
  switch (peer.kind) {
    case 'any':
      return true;
    case 'pods':
      return workload.namespace === policyNamespace && peer.podSelector!.matches(workload.labels);
    case 'namespaces':
      return peer.namespaceSelector!.matches(namespaceLabels) && (peer.podSelector?.matches(workload.labels) ?? true);
    case 'ipBlock':
      return ipBlockPods === 'match' && (workload.ips ?? []).some((ip) => peer.ipBlock!.containsIp(ip));
  }
}

/** True if the peer matches an address outside the cluster: an empty peer list, or an ipBlock holding it. */
export function peerMatchesAddress(peer: Peer, address: IpAddress): boolean {
  if (peer.kind === 'any') return true;
  return peer.kind === 'ipBlock' && peer.ipBlock!.containsIp(address);
}
