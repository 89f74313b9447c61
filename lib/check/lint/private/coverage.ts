/**
 * "Everything" however it is written: the addresses a rule's ipBlocks cover together
 * (0.0.0.0/1 and 128.0.0.0/1 are all of IPv4), and the ports its entries cover together
 * (UDP 1-32767 and 32768-65535 are every UDP port).
 */
import { ConnectionSet } from '../../../model/connection-set';
import { AddressSet } from '../../../model/address-set';
import { familyBits, IpFamily } from '../../../model/cidr';
import { Protocol } from '../../../model/port';
import { Rule } from '../../../model/rule';
import { PeerKind } from '../../../model/peer';

/** The address families whose whole space the rule's ipBlock peers cover between them. */
export function wholeFamilies(rule: Rule): IpFamily[] {
  const blocks = rule.peers.filter((p) => p.kind === PeerKind.IP_BLOCK).map((p) => p.ipBlock!);
  const set = AddressSet.of(blocks.flatMap((b) => b.ranges().map(([first, last]) => ({ family: b.cidr.family, first, last }))));
  return ([4, 6] as const).filter((family) =>
    set.intervals.some((r) => r.family === family && r.first === 0n && r.last === (1n << BigInt(familyBits(family))) - 1n),
  );
}

/** True if the rule's numeric and protocol-wide port entries together allow every port of `protocol`. */
export function coversEveryPort(rule: Rule, protocol: Protocol): boolean {
  if (rule.anyPort) return true;
  let set = ConnectionSet.none();
  for (const e of rule.ports) {
    if (e.protocol !== protocol) continue;
    if (e.port === undefined) set = set.union(ConnectionSet.protocol(protocol));
    else if (typeof e.port === 'number') set = set.union(ConnectionSet.range(protocol, e.port, e.endPort ?? e.port));
  }
  return set.allowsAllOf(protocol);
}
