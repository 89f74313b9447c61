import { lint } from '../../../lib/check/lint';
import { Direction, Peer, Port } from '../../../lib';
import { Policy, Rule } from '../../../lib/api/analysis';

const egress = (rule: Rule) => Policy.of({ name: 'worker', namespace: 'jobs', policyTypes: [Direction.EGRESS], egress: [rule] });
const ingress = (rule: Rule) => Policy.of({ name: 'db', namespace: 'data', policyTypes: [Direction.INGRESS], ingress: [rule] });
const ids = (policy: Policy, rule: string) =>
  lint([policy])
    .filter((f) => f.ruleId === rule)
    .map((f) => f.message);

describe('"everything" written in pieces', () => {
  test('non-compliant NP009: two halves of IPv4 on every port written as two UDP and one TCP range', () => {
    const rule = Rule.of(
      [Peer.cidr('0.0.0.0/1'), Peer.cidr('128.0.0.0/1')],
      [Port.udpRange(1, 32767), Port.udpRange(32768, 65535), Port.allTcp()],
    );
    expect(ids(egress(rule), 'NP009')).toEqual([
      'this egress rule allows every address (0.0.0.0/1, 128.0.0.0/1) on every port, so the egress isolation of pods * has no effect',
    ]);
  });

  test('compliant NP009: halves that leave a gap, or ports that leave one', () => {
    expect(ids(egress(Rule.of([Peer.cidr('0.0.0.0/1'), Peer.cidr('128.0.0.0/2')], [])), 'NP009')).toEqual([]);
    expect(ids(egress(Rule.of([], [Port.udpRange(1, 32767), Port.allTcp()])), 'NP009')).toEqual([]);
  });

  test('non-compliant NP008: a database port open to IPv4 written as two halves', () => {
    const rule = Rule.of([Peer.cidr('0.0.0.0/1'), Peer.cidr('128.0.0.0/1')], [Port.tcp(5432)]);
    expect(ids(ingress(rule), 'NP008')).toEqual([
      'this ingress rule admits 0.0.0.0/1 and 128.0.0.0/1 on TCP 5432, which is the database port 5432 (PostgreSQL)',
    ]);
  });
});
