/**
 * The ClusterNetworkPolicy conformance fixtures are manifests like any other: the reader takes
 * them into the model, and the validator finds nothing the API server would refuse.
 */
import * as path from 'path';
import { validateFiles } from '../../lib/check/validate';
import { readManifests } from '../../lib/io';
import { formatIp } from '../../lib/model';
import { CONFORMANCE_DIR, conformanceScenarios } from '../analysis/cnp-conformance';

const scenarios = conformanceScenarios();
const policyFiles = [...new Set(scenarios.flatMap((s) => s.steps.flatMap((st) => st.policies)))].sort();

test('the cluster reads as five namespaces, ten pods with their addresses (two host-networked) and two nodes', () => {
  const { cluster, warnings } = readManifests([path.join(CONFORMANCE_DIR, 'cluster')]);
  expect(warnings).toEqual([]);
  expect(cluster.namespaces).toHaveLength(5);
  expect(
    cluster.workloads.map((w) => `${w.name} ${w.ips!.map((ip) => formatIp(ip.family, ip.value)).join()}${w.hostNetwork ? ' host' : ''}`),
  ).toEqual([
    'harry-potter-0 10.244.1.10',
    'harry-potter-1 10.244.1.11',
    'draco-malfoy-0 10.244.2.10',
    'draco-malfoy-1 10.244.2.11',
    'cedric-diggory-0 10.244.3.10',
    'cedric-diggory-1 10.244.3.11',
    'luna-lovegood-0 10.244.4.10',
    'luna-lovegood-1 10.244.4.11',
    'centaur-0 172.18.0.2 host',
    'centaur-1 172.18.0.3 host',
  ]);
  expect(cluster.nodes?.map((n) => `${n.name} ${n.labels['kubernetes.io/os']}`)).toEqual(['kind-worker linux', 'kind-worker2 linux']);
});

test.each(policyFiles.map((f) => [path.relative(CONFORMANCE_DIR, f), f]))('%s reads into the model', (_, file) => {
  const m = readManifests([file]);
  expect(m.warnings).toEqual([]);
  expect(m.clusterPolicies.length).toBeGreaterThan(0);
});

test('every policy file passes the validation of the experimental CRD channel', () => {
  const result = validateFiles(policyFiles);
  expect(result.results.flatMap((r) => r.issues.map((i) => `${r.location}: ${i.path}: ${i.message}`))).toEqual([]);
  expect(result.results.filter((r) => r.kind === 'NetworkPolicy')).toHaveLength(3);
});
