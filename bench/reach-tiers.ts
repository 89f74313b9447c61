/**
 * What do ClusterNetworkPolicies cost the reachability analysis? A synthetic cluster (namespaces
 * with team labels, Deployments with app and tier labels and named ports, a default deny, tiers
 * and DNS per namespace) is analysed for all pairs twice in turns: with its NetworkPolicies only,
 * and with the same NetworkPolicies and a platform team's ClusterNetworkPolicies (metadata deny,
 * monitoring both ends by named port, a delegated namespace, domain egress, team isolation, a
 * baseline deny for half the namespaces with DNS kept open). Prints the CPU time of each (median),
 * the number of classes, and the ratio with / without, so scale work sees what the tiers cost.
 *
 *   node --import tsx bench/reach-tiers.ts              # 1000 and 4000 pods
 *   node --import tsx bench/reach-tiers.ts 500 8000     # any pod counts
 */
import { analyze } from '../lib/analysis';
import { Cluster, namespace, Namespace, Workload } from '../lib/model/cluster';
import {
  ClusterPeer,
  ClusterPolicy,
  ClusterRule,
  ClusterSubject,
  ClusterTier,
  LabelSelector,
  Peer,
  Policy,
  Port,
  Rule,
} from '../lib/model';
import { Protocol } from '../lib/model/protocol';
import { Direction } from '../lib/model/rule';
import { median } from './private/timing';

const TEAMS = ['payments', 'search', 'identity', 'media', 'ads', 'infra', 'data', 'ml'];
const APPS = ['web', 'api', 'worker', 'db', 'cache', 'queue'];

function input(pods: number): { cluster: Cluster; policies: Policy[]; clusterPolicies: ClusterPolicy[] } {
  const perNamespace = 24;
  const count = Math.max(1, Math.ceil(pods / perNamespace));
  const namespaces: Namespace[] = [];
  const workloads: Workload[] = [];
  const policies: Policy[] = [];
  for (let n = 0; n < count; n++) {
    const ns = `ns-${String(n).padStart(3, '0')}`;
    namespaces.push(namespace(ns, { team: TEAMS[n % TEAMS.length], 'netpol.dev/baseline': n % 2 ? 'deny' : 'open' }));
    for (let i = 0; i < perNamespace && workloads.length < pods; i++) {
      const app = APPS[i % APPS.length];
      workloads.push({
        namespace: ns,
        name: `${app}-${i}`,
        kind: 'Deployment',
        labels: { app, shard: String(i % 4) },
        ports: [
          { name: 'http', containerPort: 8080 + (i % 3), protocol: Protocol.TCP },
          { name: 'metrics', containerPort: 9090, protocol: Protocol.TCP },
        ],
      });
    }
    policies.push(Policy.of({ name: 'default-deny', namespace: ns, policyTypes: [Direction.INGRESS, Direction.EGRESS] }));
    policies.push(
      Policy.of({
        name: 'api',
        namespace: ns,
        podSelector: LabelSelector.of({ app: 'api' }),
        policyTypes: [Direction.INGRESS, Direction.EGRESS],
        ingress: [Rule.of([Peer.pods({ app: 'web' })], [Port.named('http')])],
        egress: [Rule.of([Peer.pods({ app: 'db' }), Peer.cidr('10.20.0.0/16')], [Port.tcp(5432)])],
      }),
    );
    policies.push(
      Policy.of({
        name: 'dns',
        namespace: ns,
        policyTypes: [Direction.EGRESS],
        egress: [Rule.of([Peer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' })], [Port.udp(53), Port.tcp(53)])],
      }),
    );
  }
  const clusterPolicies = [
    ClusterPolicy.of({
      name: 'deny-metadata',
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.allPods(),
      egress: [ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32', 'fd00:ec2::254/128'])])],
    }),
    ClusterPolicy.of({
      name: 'monitoring',
      tier: ClusterTier.ADMIN,
      priority: 20,
      subject: ClusterSubject.allPods(),
      ingress: [ClusterRule.accept([ClusterPeer.namespace('ns-000')], { namedPorts: ['metrics'] })],
    }),
    ClusterPolicy.of({
      name: 'delegate',
      tier: ClusterTier.ADMIN,
      priority: 30,
      subject: ClusterSubject.namespaces({ team: 'data' }),
      ingress: [ClusterRule.pass([ClusterPeer.allPods()])],
      egress: [ClusterRule.pass([ClusterPeer.allPods()])],
    }),
    ClusterPolicy.of({
      name: 'stripe',
      tier: ClusterTier.ADMIN,
      priority: 40,
      subject: ClusterSubject.pods({ team: 'payments' }, { app: 'api' }),
      egress: [ClusterRule.accept([ClusterPeer.domainNames(['api.stripe.com'])], { ports: [Port.tcp(443)] })],
    }),
    ...TEAMS.map((team, i) =>
      ClusterPolicy.of({
        name: `isolate-${team}`,
        tier: ClusterTier.ADMIN,
        priority: 100 + i,
        subject: ClusterSubject.namespaces({ team }),
        ingress: [
          ClusterRule.pass([ClusterPeer.namespaces({ team })]),
          ClusterRule.deny([ClusterPeer.pods({ team: TEAMS[(i + 1) % TEAMS.length] }, { app: 'db' })]),
        ],
      }),
    ),
    ClusterPolicy.of({
      name: 'baseline-deny',
      tier: ClusterTier.BASELINE,
      priority: 0,
      subject: ClusterSubject.namespaces({ 'netpol.dev/baseline': 'deny' }),
      ingress: [ClusterRule.deny([ClusterPeer.allPods()])],
      egress: [
        ClusterRule.accept([ClusterPeer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' })], {
          ports: [Port.udp(53), Port.tcp(53)],
        }),
        ClusterRule.deny([ClusterPeer.allPods(), ClusterPeer.anyAddress()]),
      ],
    }),
  ];
  return { cluster: { namespaces, workloads, complete: true }, policies, clusterPolicies };
}

function cpu(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
console.log('| pods | classes without | classes with | without (ms) | with (ms) | with / without |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (const pods of sizes.length > 0 ? sizes : [1000, 4000]) {
  const { cluster, policies, clusterPolicies } = input(pods);
  const runs = { without: [] as number[], with: [] as number[] };
  let classes = { without: 0, with: 0 };
  for (let r = 0; r < 5; r++) {
    runs.without.push(
      cpu(() => {
        const a = analyze(policies, cluster);
        a.matrix();
        classes.without = a.classes.length;
      }),
    );
    runs.with.push(
      cpu(() => {
        const a = analyze(policies, cluster, { clusterPolicies });
        a.matrix();
        classes.with = a.classes.length;
      }),
    );
  }
  const without = median(runs.without.slice(1));
  const withTiers = median(runs.with.slice(1));
  console.log(
    `| ${pods} | ${classes.without} | ${classes.with} | ${without.toFixed(0)} | ${withTiers.toFixed(0)} | ${(withTiers / without).toFixed(1)} |`,
  );
  classes = { without: 0, with: 0 };
}
