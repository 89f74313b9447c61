/**
 * NP009: an egress rule that allows every destination on every port.
 */
import { Port } from '../../../model/port';
import { Rule } from '../../../model/rule';
import { policyObject, rulePath } from '../private/policy-paths';
import { LintRule, RuleFinding } from '../rule';

/** NP009 egress-anywhere. */
export const NP009: LintRule = {
  id: 'NP009',
  name: 'egress-anywhere',
  severity: 'warning',
  cause: 'An egress rule allows every destination on every port.',
  explanation:
    'An egress rule without a to list, or with 0.0.0.0/0 or ::/0, and without a ports list (or with every port of TCP and UDP) lets the selected pods connect to any address on any port: '
    + 'the internet, the cloud metadata service, every pod of the cluster. It undoes the egress isolation of the policy for those pods. '
    + 'If that is intended, say so with a suppression.',
  fix: 'Name the destinations (pods, namespaces or address ranges) and the ports the pods need.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      p.egress.forEach((rule, i) => {
        const where = anywhere(rule);
        if (where === undefined || !everyPort(rule)) return;
        out.push({
          object: policyObject(p),
          path: rulePath('Egress', i),
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
  const open = rule.peers.filter((peer) => peer.kind === 'ipBlock' && peer.ipBlock!.cidr.prefix === 0 && peer.ipBlock!.except.length === 0);
  return open.length > 0 ? `every address (${open.map(String).join(', ')})` : undefined;
}

function everyPort(rule: Rule): boolean {
  if (rule.anyPort) return true;
  const all = (protocol: Port['protocol']) => rule.ports.some((e) => e.protocol === protocol && (e.port === undefined || (e.port === 1 && e.endPort === 65535)));
  return all('TCP') && all('UDP');
}
