/**
 * NP009: an egress rule that allows every destination on every port.
 */
import { Rule, Direction } from '../../../model/rule';
import { coversEveryPort, wholeFamilies } from '../private/coverage';
import { policyObject, rulePath } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';
import { Protocol } from '../../../model/port';
import { PeerKind } from '../../../model/peer';

/** NP009 egress-anywhere. */
export const NP009: LintRule = {
  id: 'NP009',
  name: 'egress-anywhere',
  severity: 'warning',
  cause: 'An egress rule allows every destination on every port.',
  explanation:
    'An egress rule without a to list, or with 0.0.0.0/0 or ::/0, and without a ports list (or with ' +
    'every port of TCP and UDP) lets the selected pods connect to any address on any port: ' +
    'the internet, the cloud metadata service, every pod of the cluster. It undoes the egress isolation of the policy for those pods. ' +
    'If that is intended, say so with a suppression.',
  fix: 'Name the destinations (pods, namespaces or address ranges) and the ports the pods need.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      p.egress.forEach((rule, i) => {
        const where = anywhere(rule);
        if (where === undefined || !everyPort(rule)) return;
        out.push({
          object: policyObject(p),
          path: rulePath(Direction.EGRESS, i),
          message: `this egress rule allows ${where} on every port, so the egress isolation of pods ${p.podSelector} has no effect`,
          fix: 'list the destinations and the ports the pods need instead',
        });
      });
    }
    return out;
  },
};

function anywhere(rule: Rule): string | undefined {
  if (rule.anyPeer) return 'every destination (no to list)';
  const families = wholeFamilies(rule);
  if (families.length === 0) return undefined;
  const blocks = rule.peers.filter((peer) => peer.kind === PeerKind.IP_BLOCK && families.includes(peer.ipBlock!.cidr.family));
  return `every address (${blocks.map(String).join(', ')})`;
}

function everyPort(rule: Rule): boolean {
  return coversEveryPort(rule, Protocol.TCP) && coversEveryPort(rule, Protocol.UDP);
}
