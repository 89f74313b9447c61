/**
 * Verbs that evaluate ClusterNetworkPolicies answer with them silently; those that answer for
 * NetworkPolicies only say so when the input holds ClusterNetworkPolicies, so that no answer
 * passes for the whole truth silently.
 */
import { netpol } from './run';

const FIXTURES = 'test/fixtures/cnp-conformance';

jest.setTimeout(60_000);

const policies = `${FIXTURES}/admin-tier-priority-field/policies-1.yaml`;
const cluster = `${FIXTURES}/cluster`;

test('reach evaluates the ClusterNetworkPolicies it reads, without a warning', () => {
  const reach = netpol('reach', '--policies', policies, '--cluster', cluster, '--ports', '80/TCP', '-o', 'json');
  expect([reach.code, reach.stderr]).toEqual([0, '']);
  const probe = JSON.parse(reach.stdout).connections.find(
    (c: { from: string; to: string }) =>
      c.from === 'network-policy-conformance-slytherin/draco-malfoy-0' && c.to === 'network-policy-conformance-gryffindor/harry-potter-0',
  );
  expect(probe).toEqual({
    from: 'network-policy-conformance-slytherin/draco-malfoy-0',
    to: 'network-policy-conformance-gryffindor/harry-potter-0',
    port: 80,
    protocol: 'TCP',
    allowed: false,
    verdict: 'denied',
  });
});

test('explain names the tier, policy and rule that decide each direction, without a warning', () => {
  const explain = netpol(
    'explain',
    '--policies',
    policies,
    '--cluster',
    cluster,
    '--from',
    'network-policy-conformance-slytherin/draco-malfoy-0',
    '--to',
    'network-policy-conformance-gryffindor/harry-potter-0',
    '--port',
    '80/TCP',
  );
  expect(explain).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      'network-policy-conformance-slytherin/draco-malfoy-0 -> network-policy-conformance-gryffindor/harry-potter-0 on TCP 80: denied',
      '  egress from network-policy-conformance-slytherin/draco-malfoy-0: not isolated (no policy selecting it covers Egress), so all traffic out is allowed',
      '  ingress to network-policy-conformance-gryffindor/harry-potter-0: denied by Admin policy priority-50-example, ingress rule 0 (deny-all-ingress-from-slytherin)',
      '',
    ].join('\n'),
  });
});

test('diff evaluates both sides with their ClusterNetworkPolicies and lists a changed action as a policy change', () => {
  const r = netpol(
    'diff',
    `${FIXTURES}/admin-tier-integration/policies-1.yaml`,
    `${FIXTURES}/admin-tier-integration/policies-4.yaml`,
    '--cluster',
    cluster,
    '-o',
    'json',
  );
  expect([r.code, r.stderr]).toEqual([0, '']);
  const diff = JSON.parse(r.stdout);
  expect(diff.policies.find((p: { id: string }) => p.id === 'ClusterNetworkPolicy pass-example')).toEqual({
    id: 'ClusterNetworkPolicy pass-example',
    change: 'changed',
    details: [
      '- ingress rule 0 (deny-all-ingress-from-slytherin): Deny namespaces conformance-house=slytherin: all ports',
      '- egress rule 0 (deny-all-egress-to-slytherin): Deny namespaces conformance-house=slytherin: all ports',
      '+ ingress rule 0 (deny-all-ingress-from-slytherin): Pass namespaces conformance-house=slytherin: all ports',
      '+ egress rule 0 (deny-all-egress-to-slytherin): Pass namespaces conformance-house=slytherin: all ports',
    ],
    flows: 32,
  });
});

test('diagram draws what the tiers allow, without a warning', () => {
  const withTiers = netpol('diagram', '--policies', policies, '--cluster', cluster);
  const without = netpol('diagram', '--policies', `${FIXTURES}/cluster/namespaces.yaml`, '--cluster', cluster);
  expect([withTiers.code, withTiers.stderr]).toEqual([0, '']);
  expect(withTiers.stdout).not.toEqual(without.stdout);
});
