/**
 * How `netpol diff` output grows with the number of changed flows when it groups them. N
 * workloads of one namespace (pod range 192.168.0.0/16, so flows between them stay denied) lose
 * one egress range: N changed flows, one per workload, that group into one row. Prints, per N, the time of the diff itself (the analyses), of writing
 * every flow (`detail: 'workloads'`) and of writing them grouped (`detail: 'groups'`), each the
 * median of three in this process, and the grouped output's time per flow, which stays level
 * when grouping is linear in the flows.
 *
 *   node --import tsx bench/diff-groups.ts [N ...]      default: 2500 10000 40000
 */
import { diffPolicies } from '../lib/analysis/diff';
import { manifestsFromDocuments } from '../lib/io/manifests';
import { Cidr } from '../lib/model/cidr';
import { diffChunks } from '../lib/report/diff';

function world(n: number, ranges: readonly string[]) {
  const objects: Record<string, unknown>[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }];
  for (let i = 0; i < n; i++) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `w-${i}`, namespace: 'shop', labels: { app: `w-${i}` } },
      spec: { containers: [] },
    });
  }
  objects.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'egress', namespace: 'shop' },
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: ranges.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ port: 443 }] }],
    },
  });
  return manifestsFromDocuments(objects.map((object, doc) => ({ file: 'bench.yaml', doc, object })));
}

function median(f: () => void): number {
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t = process.cpuUsage();
    f();
    const u = process.cpuUsage(t);
    times.push((u.user + u.system) / 1000);
  }
  return times.sort((a, b) => a - b)[1];
}

const sizes = process.argv.slice(2).map(Number);
console.log('| changed flows | diff (ms cpu) | every flow (ms) | grouped (ms) | grouped rows | grouped µs per flow |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const n of sizes.length > 0 ? sizes : [2500, 10000, 40000]) {
  const before = world(n, ['10.0.0.0/8', '11.0.0.0/8']);
  const after = world(n, ['10.0.0.0/8']);
  const options = { cluster: { ...before.cluster, complete: true }, podCidrs: [Cidr.parse('192.168.0.0/16')] };
  let diff = diffPolicies(before.policies, after.policies, options);
  const tDiff = median(() => {
    diff = diffPolicies(before.policies, after.policies, options);
  });
  let text = '';
  const write = (detail: 'workloads' | 'groups') => () => {
    text = '';
    for (const piece of diffChunks(diff, { output: 'json', detail })) text += piece;
  };
  const tEvery = median(write('workloads'));
  const tGrouped = median(write('groups'));
  const rows = (JSON.parse(text) as { flows: unknown[] }).flows.length;
  const flows = diff.flows.length;
  console.log(
    `| ${flows} | ${tDiff.toFixed(0)} | ${tEvery.toFixed(0)} | ${tGrouped.toFixed(0)} | ${rows} | ${((tGrouped * 1000) / flows).toFixed(1)} |`,
  );
}
