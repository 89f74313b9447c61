/**
 * What do ClusterNetworkPolicies cost to read and to validate, next to NetworkPolicies of the
 * same size? N policies of each kind, each with six rules of two peers and two ports, go from
 * their objects to the model (the reader) and through `netpol validate`'s checks; YAML parsing,
 * the same for both, is left out. Prints the CPU time of each, median of several runs with the
 * two kinds in turns, and the ratio ClusterNetworkPolicy / NetworkPolicy.
 *
 *   node --import tsx bench/cluster-policies.ts          # N = 1000 5000
 *   node --import tsx bench/cluster-policies.ts 20000    # any sizes
 */
import { validateClusterNetworkPolicy } from '../lib/check/validate/cluster-network-policy';
import { validateNetworkPolicy } from '../lib/check/validate/network-policy';
import { clusterPolicyFromObject } from '../lib/io/cluster-policy-reader';
import { policyFromObject } from '../lib/io/policy-reader';
import { median } from './private/timing';

function clusterPolicies(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const peers = (k: number) => [
      { namespaces: { matchLabels: { team: `t${(i + k) % 20}` } } },
      { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: `a${(i + k) % 50}` } } } },
    ];
    const protocols = (k: number) => [
      { tcp: { destinationPort: { number: 1000 + k } } },
      { udp: { destinationPort: { range: { start: 2000, end: 2000 + k + 1 } } } },
    ];
    const rules = (key: 'from' | 'to') =>
      [0, 1, 2].map((k) => ({ name: `r${k}`, action: ['Accept', 'Deny', 'Pass'][k], [key]: peers(k), protocols: protocols(k) }));
    return {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: `p${i}` },
      spec: {
        tier: i % 2 ? 'Admin' : 'Baseline',
        priority: i % 1001,
        subject: { namespaces: { matchLabels: { team: `t${i % 20}` } } },
        ingress: rules('from'),
        egress: rules('to'),
      },
    };
  });
}

function networkPolicies(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const peers = (k: number) => [
      { namespaceSelector: { matchLabels: { team: `t${(i + k) % 20}` } } },
      { namespaceSelector: {}, podSelector: { matchLabels: { app: `a${(i + k) % 50}` } } },
    ];
    const ports = (k: number) => [
      { protocol: 'TCP', port: 1000 + k },
      { protocol: 'UDP', port: 2000, endPort: 2000 + k + 1 },
    ];
    const rules = (key: 'from' | 'to') => [0, 1, 2].map((k) => ({ [key]: peers(k), ports: ports(k) }));
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace: `ns${i % 20}` },
      spec: {
        podSelector: { matchLabels: { app: `a${i % 50}` } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: rules('from'),
        egress: rules('to'),
      },
    };
  });
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const RUNS = Number(process.env.RUNS ?? 7);
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const rows = ['| N | step | NetworkPolicy CPU ms | ClusterNetworkPolicy CPU ms | ratio |', '| ---: | --- | ---: | ---: | ---: |'];
for (const n of sizes.length > 0 ? sizes : [1000, 5000]) {
  const cnps = clusterPolicies(n);
  const nps = networkPolicies(n);
  const steps: Array<[string, () => void, () => void]> = [
    ['read into the model', () => nps.forEach((o) => policyFromObject(o)), () => cnps.forEach((o) => clusterPolicyFromObject(o))],
    [
      'validate',
      () =>
        nps.forEach((o) => {
          if (validateNetworkPolicy(o).length > 0) throw new Error('the NetworkPolicies are meant to be valid');
        }),
      () =>
        cnps.forEach((o) => {
          if (validateClusterNetworkPolicy(o).length > 0) throw new Error('the ClusterNetworkPolicies are meant to be valid');
        }),
    ],
  ];
  for (const [name, np, cnp] of steps) {
    np(); // warm-up
    cnp();
    const times: [number[], number[]] = [[], []];
    for (let r = 0; r < RUNS; r++) {
      times[r % 2].push(cpuMs(r % 2 ? cnp : np));
      times[(r + 1) % 2].push(cpuMs((r + 1) % 2 ? cnp : np));
    }
    const [a, b] = times.map(median);
    rows.push(`| ${n.toLocaleString('en-US')} | ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)}x |`);
  }
}
process.stdout.write(
  `${rows.join('\n')}\n\nCPU time, median of ${RUNS} runs per kind, the kinds in turns; six rules of two peers and two ports a policy.\n`,
);
