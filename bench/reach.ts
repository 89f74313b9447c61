/**
 * Benchmark of the reachability analysis: a synthetic cluster (namespaces, pods, policies with
 * mixed selectors, matchExpressions, ipBlocks with excepts, port ranges and named ports) is
 * analysed for all pairs, and compared with a straightforward pods × pods reference evaluator
 * that lives only in this file.
 *
 *   node --import tsx bench/reach.ts            # scaling figures and the 5,000-pod comparison (about a minute)
 *   node --import tsx bench/reach.ts --quick    # smaller sizes only
 *   node --import tsx bench/reach.ts --distinct 20000,40000
 *                                               # N pods with labels of their own and a platform
 *                                               # team's policies, each size in a child process
 *                                               # (8 GB heap): time, CPU and peak memory of the
 *                                               # all-pairs analysis next to the reference's
 *   node --import tsx bench/reach.ts --distinct 20000,40000 --cluster-policies
 *                                               # the same with a platform team's
 *                                               # ClusterNetworkPolicies (Deny, Accept and Pass in
 *                                               # the Admin tier, a Baseline tier that decides in
 *                                               # the staging namespaces, which have no default
 *                                               # deny); sampled pairs are checked against each
 *                                               # pair evaluated on its own
 */
import { spawnSync } from 'child_process';
import { analyze, Analysis } from '../lib/analysis';
import { ClusterPeer, ClusterPolicy, ClusterRule, ClusterSubject, ClusterTier } from '../lib/model';
import { ConnectionSet } from '../lib/model/connection-set';
import { Cluster, ContainerPort, namespace, Namespace, Workload } from '../lib/model/cluster';
import { IpBlock } from '../lib/model/cidr';
import { Peer, PeerKind } from '../lib/model/peer';
import { Policy } from '../lib/model/policy';
import { Port, Protocol } from '../lib/model/port';
import { Direction, Rule } from '../lib/model/rule';
import { LabelSelector, Labels, SelectorExpression, SelectorOperator } from '../lib/model/selector';
import { random as rng } from './private/cluster-fixture';
import { printTable, sizesFromArgs } from './private/timing';

// ---------------------------------------------------------------- synthetic input

interface Synthetic {
  readonly policies: Policy[];
  readonly cluster: Cluster;
}

const TEAMS = ['payments', 'search', 'identity', 'media', 'ads', 'infra', 'data', 'ml'];
const ENVS = ['prod', 'staging', 'dev'];
const TIERS = ['web', 'api', 'worker', 'db', 'cache'];
const VERSIONS = ['v1', 'v2', 'v3'];
const APPS_PER_NS = 12;

function generate(
  namespaces: number,
  pods: number,
  policies: number,
  replicas = 1,
  seed = 42,
  platform: Platform = Platform.NONE,
): Synthetic {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

  const nss: Namespace[] = [];
  for (let i = 0; i < namespaces; i++) {
    nss.push(namespace(`ns-${String(i).padStart(2, '0')}`, { team: TEAMS[i % TEAMS.length], env: ENVS[i % ENVS.length] }));
  }
  const workloads: Workload[] = [];
  for (let i = 0; i < pods; i++) {
    if (replicas > 1 && i % replicas !== 0) {
      // another pod of the same controller: same labels and ports, its own name and IP
      const first = workloads[i - (i % replicas)];
      workloads.push({ ...first, name: `pod-${i}`, ips: [{ family: 4, value: (10n << 24n) + BigInt(i + 1) }] });
      continue;
    }
    const ns = nss[Math.floor(i / replicas) % namespaces].name;
    const app = `app-${int(0, APPS_PER_NS - 1)}`;
    const labels: Labels = {
      app,
      tier: pick(TIERS),
      version: pick(VERSIONS),
      'pod-template-hash': Math.floor(r() * 1e9).toString(36),
      ...(r() < 0.3 ? { canary: 'true' } : {}),
    };
    const ports: ContainerPort[] = [
      { name: 'http', containerPort: pick([80, 8080, 8000]), protocol: Protocol.TCP },
      { name: 'metrics', containerPort: 9090, protocol: Protocol.TCP },
      ...(r() < 0.2 ? [{ name: 'dns', containerPort: 53, protocol: 'UDP' as Protocol }] : []),
    ];
    workloads.push({
      namespace: ns,
      name: `pod-${i}`,
      kind: 'Pod',
      labels,
      ports,
      ips: [{ family: 4, value: (10n << 24n) + BigInt(i + 1) }],
    });
  }

  const podSelector = (): LabelSelector => {
    const x = r();
    if (x < 0.1) return LabelSelector.all();
    if (x < 0.55) return LabelSelector.of({ app: `app-${int(0, APPS_PER_NS - 1)}` });
    if (x < 0.75) return LabelSelector.of({ app: `app-${int(0, APPS_PER_NS - 1)}`, tier: pick(TIERS) });
    const exprs: SelectorExpression[] = [
      pick<SelectorExpression>([
        { key: 'tier', operator: SelectorOperator.IN, values: [pick(TIERS), pick(TIERS)] },
        { key: 'version', operator: SelectorOperator.NOT_IN, values: ['v1'] },
        { key: 'canary', operator: SelectorOperator.EXISTS },
        { key: 'canary', operator: SelectorOperator.DOES_NOT_EXIST },
      ]),
    ];
    return LabelSelector.of({}, exprs);
  };
  const nsSelector = (): LabelSelector => {
    const x = r();
    if (x < 0.15) return LabelSelector.all();
    if (x < 0.6) return LabelSelector.of({ team: pick(TEAMS) });
    if (x < 0.8) return LabelSelector.of({}, [{ key: 'env', operator: SelectorOperator.NOT_IN, values: ['dev'] }]);
    return LabelSelector.namespaceName(pick(nss).name);
  };
  const ipBlock = (): IpBlock => {
    const x = r();
    if (x < 0.3) return IpBlock.of('0.0.0.0/0', ['10.0.0.0/8', '172.16.0.0/12']);
    if (x < 0.6) return IpBlock.of(`203.0.${int(0, 255)}.0/24`);
    if (x < 0.8) return IpBlock.of('10.0.0.0/8', [`10.0.${int(0, 15) * 16}.0/20`]);
    return IpBlock.of('2001:db8::/32', [`2001:db8:${int(1, 255).toString(16)}::/48`]);
  };
  const peer = (): Peer => {
    const x = r();
    if (x < 0.4) return Peer.pods(podSelector());
    if (x < 0.6) return Peer.namespaces(nsSelector());
    if (x < 0.85) return Peer.podsInNamespace(nsSelector(), podSelector());
    return Peer.ipBlock(ipBlock());
  };
  const port = (): Port => {
    const x = r();
    if (x < 0.4) return Port.tcp(pick([80, 443, 5432, 6379, 8080, 9090]));
    if (x < 0.55) return Port.udp(53);
    if (x < 0.7) {
      const first = 30000 + int(0, 100) * 10;
      return Port.tcpRange(first, first + int(1, 200));
    }
    if (x < 0.85) return Port.named(pick(['http', 'metrics']));
    if (x < 0.92) return Port.sctp(int(3000, 3010));
    return Port.allUdp();
  };
  const rule = (): Rule => {
    const peers = r() < 0.1 ? [] : Array.from({ length: int(1, 3) }, peer);
    const ports = r() < 0.15 ? [] : Array.from({ length: int(1, 3) }, port);
    return Rule.of(peers, ports);
  };
  const out: Policy[] = platform === Platform.NONE ? [] : platformPolicies(nss, platform === Platform.WITH_TIERS);
  for (let i = 0; i < policies; i++) {
    const ns = nss[i % namespaces].name;
    const x = r();
    const types: Direction[] = x < 0.5 ? [Direction.INGRESS] : x < 0.7 ? [Direction.EGRESS] : [Direction.INGRESS, Direction.EGRESS];
    out.push(
      Policy.of({
        name: `policy-${i}`,
        namespace: ns,
        podSelector: podSelector(),
        policyTypes: types,
        ingress: types.includes(Direction.INGRESS) ? Array.from({ length: int(0, 3) }, rule) : [],
        egress: types.includes(Direction.EGRESS) ? Array.from({ length: int(0, 3) }, rule) : [],
      }),
    );
  }
  return { policies: out, cluster: { namespaces: nss, workloads } };
}

/** What a platform team adds: nothing, NetworkPolicies per namespace, or those and ClusterNetworkPolicies. */
enum Platform {
  NONE,
  NETWORK_POLICIES,
  WITH_TIERS,
}

/**
 * What a platform team adds to every namespace: a default deny of both directions (left out of
 * the staging namespaces when ClusterNetworkPolicies take part, so that the Baseline tier
 * decides there), DNS to kube-system, and a chain of tiers (web to api to db, on the named port
 * `http`).
 */
function platformPolicies(nss: readonly Namespace[], tiers: boolean): Policy[] {
  const out: Policy[] = [];
  const both = [Direction.INGRESS, Direction.EGRESS];
  const tier = (t: string) => LabelSelector.of({ tier: t });
  for (const ns of nss) {
    const n = ns.name;
    if (!tiers || ns.labels.env !== 'staging') {
      out.push(
        Policy.of({ name: 'default-deny', namespace: n, podSelector: LabelSelector.all(), policyTypes: both, ingress: [], egress: [] }),
      );
    }
    const dns = Peer.podsInNamespace(LabelSelector.namespaceName('kube-system'), LabelSelector.of({ 'k8s-app': 'kube-dns' }));
    out.push(
      Policy.of({
        name: 'allow-dns',
        namespace: n,
        podSelector: LabelSelector.all(),
        policyTypes: [Direction.EGRESS],
        egress: [Rule.of([dns], [Port.udp(53), Port.tcp(53)])],
      }),
    );
    for (const [from, to] of [
      ['web', 'api'],
      ['api', 'db'],
    ]) {
      const port = [Port.named('http')];
      out.push(
        Policy.of({
          name: `${from}-to-${to}`,
          namespace: n,
          podSelector: tier(from),
          policyTypes: [Direction.EGRESS],
          egress: [Rule.of([Peer.pods(tier(to))], port)],
        }),
        Policy.of({
          name: `${to}-from-${from}`,
          namespace: n,
          podSelector: tier(to),
          policyTypes: [Direction.INGRESS],
          ingress: [Rule.of([Peer.pods(tier(from))], port)],
        }),
      );
    }
  }
  return out;
}

/**
 * A platform team's ClusterNetworkPolicies: the Admin tier denies the metadata address, accepts
 * scraping from the infra team on the named port `metrics`, passes the data team's namespaces
 * on to their own NetworkPolicies and denies dev namespaces' egress to prod ones; the Baseline
 * tier denies ingress from other namespaces into staging and keeps DNS open there.
 */
function platformClusterPolicies(): ClusterPolicy[] {
  return [
    ClusterPolicy.of({
      name: 'deny-metadata',
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.allPods(),
      egress: [ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32'])])],
    }),
    ClusterPolicy.of({
      name: 'scrape',
      tier: ClusterTier.ADMIN,
      priority: 20,
      subject: ClusterSubject.allPods(),
      ingress: [ClusterRule.accept([ClusterPeer.namespaces({ team: 'infra' })], { namedPorts: ['metrics'] })],
    }),
    ClusterPolicy.of({
      name: 'delegate-data',
      tier: ClusterTier.ADMIN,
      priority: 30,
      subject: ClusterSubject.namespaces({ team: 'data' }),
      ingress: [ClusterRule.pass([ClusterPeer.allPods()])],
      egress: [ClusterRule.pass([ClusterPeer.allPods()])],
    }),
    ClusterPolicy.of({
      name: 'dev-not-prod',
      tier: ClusterTier.ADMIN,
      priority: 40,
      subject: ClusterSubject.namespaces({ env: 'dev' }),
      egress: [ClusterRule.deny([ClusterPeer.namespaces({ env: 'prod' })])],
    }),
    ClusterPolicy.of({
      name: 'staging-baseline',
      tier: ClusterTier.BASELINE,
      priority: 0,
      subject: ClusterSubject.namespaces({ env: 'staging' }),
      ingress: [ClusterRule.accept([ClusterPeer.namespaces({ env: 'staging' })]), ClusterRule.deny([ClusterPeer.allPods()])],
      egress: [
        ClusterRule.accept([ClusterPeer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' })], {
          ports: [Port.udp(53), Port.tcp(53)],
        }),
      ],
    }),
  ];
}

// ---------------------------------------------------------------- reference evaluator

/**
 * The straightforward evaluator: for one pair of pods, walk the policies that select each end
 * and every rule's peers and ports. Written from the Kubernetes documentation, independently of
 * lib/analysis (it shares only the model values and ConnectionSet arithmetic).
 */
class Reference {
  private readonly nsLabels = new Map<string, Labels>();
  private readonly selecting = new Map<Workload, { Ingress: Policy[]; Egress: Policy[] }>();

  constructor(policies: readonly Policy[], cluster: Cluster) {
    for (const ns of cluster.namespaces) this.nsLabels.set(ns.name, ns.labels);
    for (const w of cluster.workloads) {
      const mine = policies.filter((p) => p.namespace === w.namespace && p.podSelector.matches(w.labels));
      this.selecting.set(w, {
        Ingress: mine.filter((p) => p.isolates(Direction.INGRESS)),
        Egress: mine.filter((p) => p.isolates(Direction.EGRESS)),
      });
    }
  }

  public connectionSet(src: Workload, dst: Workload): ConnectionSet {
    return this.side(src, dst, Direction.EGRESS, dst).intersect(this.side(dst, src, Direction.INGRESS, dst));
  }

  private side(subject: Workload, other: Workload, direction: Direction, destination: Workload): ConnectionSet {
    const ps = this.selecting.get(subject)![direction];
    if (ps.length === 0) return ConnectionSet.all();
    let out = ConnectionSet.none();
    for (const p of ps) {
      for (const rule of p.rules(direction)) {
        if (rule.peers.length > 0 && !rule.peers.some((peer) => this.peerMatches(peer, p.namespace, other))) continue;
        if (rule.ports.length === 0) return ConnectionSet.all();
        for (const port of rule.ports) out = out.union(this.portSet(port, destination));
      }
    }
    return out;
  }

  private peerMatches(peer: Peer, policyNs: string, w: Workload): boolean {
    if (peer.kind === PeerKind.IP_BLOCK) return (w.ips ?? []).some((ip) => peer.ipBlock!.containsIp(ip));
    if (peer.kind === PeerKind.PODS) return w.namespace === policyNs && peer.podSelector!.matches(w.labels);
    if (peer.kind === PeerKind.NAMESPACES) {
      return (
        peer.namespaceSelector!.matches(this.nsLabels.get(w.namespace) ?? {}) &&
        (peer.podSelector ? peer.podSelector.matches(w.labels) : true)
      );
    }
    return true;
  }

  private portSet(port: Port, destination: Workload): ConnectionSet {
    if (port.port === undefined) return ConnectionSet.protocol(port.protocol);
    if (typeof port.port === 'number') return ConnectionSet.range(port.protocol, port.port, port.endPort ?? port.port);
    const c = destination.ports.find((cp) => cp.name === port.port && cp.protocol === port.protocol);
    return c ? ConnectionSet.port(port.protocol, c.containerPort) : ConnectionSet.none();
  }
}

// ---------------------------------------------------------------- measurement

function time<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const v = fn();
  return [v, Number(process.hrtime.bigint() - t0) / 1e6];
}

/** The fastest of `runs` timings after one warm-up run: the figure least disturbed by other load. */
function best<T>(fn: () => T, runs = 3): [T, number] {
  fn();
  let out = time(fn);
  for (let i = 1; i < runs; i++) {
    const t = time(fn);
    if (t[1] < out[1]) out = t;
  }
  return out;
}

/** The full all-pairs analysis: build, then the connection set of every pair of classes and every external range. */
function fullAnalysis(s: Synthetic): { analysis: Analysis; allowedPairs: number; classes: number } {
  const analysis = analyze(s.policies, s.cluster);
  const { workloadPairs, externalPairs } = analysis.matrix().countAllowed();
  return { analysis, allowedPairs: workloadPairs + externalPairs, classes: analysis.classes.length };
}

/** Reference over `sources` × every pod; returns the time per source. */
function referenceTime(s: Synthetic, sources: number): number {
  const ref = new Reference(s.policies, s.cluster);
  const ws = s.cluster.workloads;
  const step = Math.max(1, Math.floor(ws.length / sources));
  let n = 0;
  const [, ms] = time(() => {
    for (let i = 0; i < ws.length && n < sources; i += step, n++) {
      for (const b of ws) if (b !== ws[i]) ref.connectionSet(ws[i], b);
    }
  });
  return ms / n;
}

function agreement(s: Synthetic, analysis: Analysis, samples: number): number {
  const ref = new Reference(s.policies, s.cluster);
  const ws = s.cluster.workloads;
  const r = rng(7);
  let mismatches = 0;
  for (let k = 0; k < samples; k++) {
    const a = ws[Math.floor(r() * ws.length)];
    const b = ws[Math.floor(r() * ws.length)];
    const want = ref.connectionSet(a, b);
    const got = analysis.connectionSet({ type: 'workload', workload: a }, { type: 'workload', workload: b });
    if (!want.equals(got)) {
      mismatches++;
      if (mismatches <= 3)
        console.log(`  MISMATCH ${a.namespace}/${a.name} -> ${b.namespace}/${b.name}: reference ${want}, analysis ${got}`);
    }
  }
  return mismatches;
}

function fmt(ms: number): string {
  return ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

// ---------------------------------------------------------------- distinct-label pods at scale

/** What one child process measured for one size. */
interface DistinctFigures {
  readonly pods: number;
  readonly policies: number;
  readonly clusterPolicies: number;
  readonly classes: number;
  readonly allowedPairs: number;
  readonly analyzeMs: number;
  readonly allPairsMs: number;
  readonly analyzeCpuMs: number;
  readonly allPairsCpuMs: number;
  readonly peakRssMb: number;
  /** Without ClusterNetworkPolicies: the reference evaluator's extrapolated time. */
  readonly referenceMs?: number;
  readonly mismatches: number;
}

const DISTINCT_NAMESPACES = 50;
const DISTINCT_POLICIES = 1000;
const SAMPLES = 2000;

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Sampled pairs of pods, as pairs of classes. */
function samplePairs(s: Synthetic, analysis: Analysis): Array<[number, number]> {
  const ws = s.cluster.workloads;
  const r = rng(7);
  const cls = (w: Workload) => analysis.classOfWorkload(w).index;
  return Array.from({ length: SAMPLES }, () => [cls(ws[Math.floor(r() * ws.length)]), cls(ws[Math.floor(r() * ws.length)])]);
}

/** In the child: one size, measured, as one JSON line. */
function distinctChild(pods: number, tiers: boolean): void {
  const s = generate(DISTINCT_NAMESPACES, pods, DISTINCT_POLICIES, 1, 42, tiers ? Platform.WITH_TIERS : Platform.NETWORK_POLICIES);
  const clusterPolicies = tiers ? platformClusterPolicies() : [];
  const cpu0 = process.cpuUsage();
  const [analysis, analyzeMs] = time(() => analyze(s.policies, s.cluster, { clusterPolicies }));
  const analyzeCpuMs = cpuSince(cpu0);
  // With tiers, the reference is each sampled pair evaluated on its own, before the all-pairs analysis exists.
  const pairs = tiers ? samplePairs(s, analysis) : [];
  const alone = pairs.map(([a, b]) => analysis.classReach(a, b).key);
  const cpu1 = process.cpuUsage();
  const [counts, allPairsMs] = time(() => analysis.matrix().countAllowed());
  const allPairsCpuMs = cpuSince(cpu1);
  // The peak so far: the analysis's, before the reference evaluator allocates anything.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const matrix = analysis.matrix();
  const referenceMs = tiers ? undefined : referenceTime(s, 20) * pods;
  const mismatches = tiers ? pairs.filter(([a, b], k) => matrix.reach(a, b).key !== alone[k]).length : agreement(s, analysis, SAMPLES);
  const figures: DistinctFigures = {
    pods,
    policies: s.policies.length,
    clusterPolicies: clusterPolicies.length,
    classes: analysis.classes.length,
    allowedPairs: counts.workloadPairs + counts.externalPairs,
    analyzeMs,
    allPairsMs,
    analyzeCpuMs,
    allPairsCpuMs,
    peakRssMb,
    ...(referenceMs === undefined ? {} : { referenceMs }),
    mismatches,
  };
  console.log(JSON.stringify(figures));
}

/** Runs each size in a process of its own (an 8 GB heap) and prints the figures. */
function distinct(sizes: readonly number[], tiers: boolean): void {
  const n = (x: number) => x.toLocaleString('en');
  console.log(
    `node ${process.version}; ${DISTINCT_NAMESPACES} namespaces, ${n(DISTINCT_POLICIES)} random policies plus a default deny, DNS and a tier chain per namespace;`,
  );
  if (tiers) console.log(`with ${platformClusterPolicies().length} ClusterNetworkPolicies; no default deny in the staging namespaces;`);
  console.log('every pod has labels of its own; each size in a child process with --max-old-space-size=7680\n');
  const rows: string[][] = [];
  for (const pods of sizes) {
    const args = ['--max-old-space-size=7680', '--import', 'tsx', __filename, '--distinct-child', String(pods)];
    const r = spawnSync(process.execPath, tiers ? [...args, '--cluster-policies'] : args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !last.startsWith('{')) {
      process.stdout.write(r.stdout);
      rows.push([n(pods), '-', `failed (exit ${r.status ?? r.signal})`, '', '', '', '', '', '', '', '', '']);
      process.exitCode = 1;
      continue;
    }
    process.stdout.write(r.stdout.slice(0, r.stdout.length - last.length - 1));
    const f = JSON.parse(last) as DistinctFigures;
    const total = f.analyzeMs + f.allPairsMs;
    rows.push([
      n(f.pods),
      n(f.classes),
      fmt(f.analyzeMs),
      fmt(f.allPairsMs),
      fmt(total),
      `${fmt(f.analyzeCpuMs)} + ${fmt(f.allPairsCpuMs)}`,
      fmt(f.analyzeCpuMs + f.allPairsCpuMs),
      `${n(Math.round(f.peakRssMb))} MB`,
      n(f.allowedPairs),
      f.referenceMs === undefined ? '-' : fmt(f.referenceMs),
      f.referenceMs === undefined ? '-' : `${(f.referenceMs / total).toFixed(0)}×`,
      `${n(SAMPLES - f.mismatches)}/${n(SAMPLES)}`,
    ]);
    if (f.mismatches > 0) process.exitCode = 1;
  }
  printTable(
    [
      'pods',
      'classes',
      'analyze',
      'all pairs',
      'total',
      'cpu (analyze + all pairs)',
      'cpu',
      'peak RSS',
      'allowed pairs',
      'reference',
      'vs ref',
      'agreement',
    ],
    rows,
  );
  console.log(
    tiers
      ? '\nagreement: sampled pairs of pods, each evaluated on its own before the all-pairs analysis, against the all-pairs answers'
      : '\nreference: the pods × pods evaluator, timed on 20 sources × every destination and extrapolated to all sources',
  );
}

function main(): void {
  const child = process.argv.indexOf('--distinct-child');
  const tiers = process.argv.includes('--cluster-policies');
  if (child >= 0) return distinctChild(Number(process.argv[child + 1]), tiers);
  const sizes = process.argv.indexOf('--distinct');
  if (sizes >= 0)
    return distinct(
      sizesFromArgs(
        (process.argv[sizes + 1] ?? '').split(',').filter((x) => x !== ''),
        [20000, 40000],
      ),
      tiers,
    );
  const quick = process.argv.includes('--quick');
  const pods = quick ? [250, 500, 1000] : [1000, 2500, 5000];
  const policies = quick ? [50, 100, 200] : [250, 500, 1000];
  const maxPods = pods[pods.length - 1];
  const maxPolicies = policies[policies.length - 1];
  const n = (x: number) => x.toLocaleString('en');
  console.log(`node ${process.version}, one thread, best of 3 runs; every pod has its own random labels (the worst case for grouping)\n`);

  console.log(`Scaling with pods (50 namespaces, ${n(maxPolicies)} policies):`);
  for (const count of pods) {
    const s = generate(50, count, maxPolicies);
    const [r, ms] = best(() => fullAnalysis(s));
    console.log(`  ${n(count).padStart(5)} pods: ${fmt(ms).padStart(8)}  (${n(r.classes)} classes, ${n(r.allowedPairs)} allowed pairs)`);
  }
  console.log(`\nScaling with policies (50 namespaces, ${n(maxPods)} pods):`);
  for (const count of policies) {
    const s = generate(50, maxPods, count);
    const [r, ms] = best(() => fullAnalysis(s));
    console.log(`  ${n(count).padStart(5)} policies: ${fmt(ms).padStart(8)}  (${n(r.classes)} classes)`);
  }
  {
    const s = generate(50, maxPods, maxPolicies, 5);
    const [r, ms] = best(() => fullAnalysis(s));
    console.log(`\nSame size, pods of ${n(maxPods / 5)} controllers with 5 replicas each: ${fmt(ms)} (${n(r.classes)} classes)`);
  }

  const s = generate(50, maxPods, maxPolicies);
  const [full, ms] = best(() => fullAnalysis(s));
  const sources = quick ? 50 : 200;
  const perSource = referenceTime(s, sources);
  const refMs = perSource * maxPods;
  console.log(`\nAll pairs of ${n(maxPods)} pods, ${n(maxPolicies)} policies:`);
  console.log(`  analysis:  ${fmt(ms)}`);
  console.log(
    `  reference: ${fmt(refMs)} (pods × pods; timed on ${sources} sources × ${n(maxPods)} destinations, ${perSource.toFixed(1)} ms per source, × ${n(maxPods)} sources)`,
  );
  console.log(`  ratio:     ${(refMs / ms).toFixed(0)}× faster`);
  const samples = 20000;
  const mismatches = agreement(s, full.analysis, samples);
  console.log(`  agreement: ${n(samples - mismatches)}/${n(samples)} sampled pairs give equal connection sets`);
  if (mismatches > 0) process.exitCode = 1;
}

main();
