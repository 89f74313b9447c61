/**
 * Verbs that answer for NetworkPolicies only say so when the input holds ClusterNetworkPolicies,
 * so that no answer passes for the whole truth silently.
 */
import { netpol } from './run';

const FIXTURES = 'test/fixtures/cnp-conformance';

jest.setTimeout(60_000);

const policies = `${FIXTURES}/admin-tier-priority-field/policies-1.yaml`;
const cluster = `${FIXTURES}/cluster`;

test('reach and explain warn that the ClusterNetworkPolicies they read are not part of the answer', () => {
  const reach = netpol('reach', '--policies', policies, '--cluster', cluster, '--ports', '80/TCP');
  expect([reach.code, reach.stderr]).toEqual([
    0,
    'netpol: warning: 3 ClusterNetworkPolicies are not part of the analysis, which covers NetworkPolicies only\n',
  ]);
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
  expect([explain.code, explain.stderr]).toEqual([
    0,
    'netpol: warning: 3 ClusterNetworkPolicies are not part of the explanation, which covers NetworkPolicies only\n',
  ]);
});

test('diff warns once, for the side with more ClusterNetworkPolicies; nothing without any', () => {
  const withCnps = netpol(
    'diff',
    `${FIXTURES}/admin-tier-integration/policies-1.yaml`,
    `${FIXTURES}/admin-tier-integration/policies-4.yaml`,
  );
  expect(withCnps.stderr).toBe('netpol: warning: 2 ClusterNetworkPolicies are not part of the diff, which covers NetworkPolicies only\n');
  const without = netpol('diff', 'test/fixtures/analysis/cli-shop/policies.yaml', 'test/fixtures/analysis/cli-shop/policies.yaml');
  expect(without.stderr).toBe('');
});
