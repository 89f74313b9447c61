/**
 * The example cluster (`examples/cluster/`) under the policies synthesized for prod: the flows
 * each example documents, through the library (`readManifests` + `analyze`) and through
 * `netpol reach` and `netpol explain`, which must agree.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { threeTier } from '../../examples/three-tier';
import { Environment, Protocol } from '../../lib';
import { analyze, Analysis, constructModel, inferCluster, readManifests } from '../../lib/api/analysis';
import { netpol, netpolWith, ROOT } from '../cli/run';

const CLUSTER = path.join(ROOT, 'examples/cluster');
const PROBES = '80/TCP,3306/TCP,8080/TCP,5432/TCP,53/UDP';
const DNS = 'kube-system/coredns';
/** Namespaces whose example chart has an `AllowDns`. */
const WITH_DNS = ['default', 'shop', 'hollow'];

interface ProbeRow {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: string;
  readonly allowed: boolean;
}

interface ConnectionRow {
  readonly from: string;
  readonly to: string;
  readonly connections: string;
  readonly depends?: ReadonlyArray<{ readonly connections: string; readonly if: string }>;
}

const POD_CIDR = '10.244.0.0/16';
let outdir: string;
let prod: string;
/** Every chart of prod: the NetworkPolicies and the cluster-admin chart's ClusterNetworkPolicies. */
let prodPolicies: string[];
let analysis: Analysis;
let probeRows: ProbeRow[];
let connectionRows: ConnectionRow[];

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-reach-'));
  const synth = netpolWith({ env: { ...process.env, CDK8S_OUTDIR: outdir } }, 'synth', 'examples/index.ts', 'examples/environments');
  if (synth.code !== 0) throw new Error(`synth failed: ${synth.stderr}`);
  prod = path.join(outdir, 'prod');
  prodPolicies = fs
    .readdirSync(prod)
    .filter((f) => f.endsWith('.k8s.yaml'))
    .map((f) => path.join(prod, f));
  const { policies, clusterPolicies, cluster, warnings } = readManifests([prod, CLUSTER]);
  if (warnings.length > 0) throw new Error(`reading the manifests warned: ${warnings.join('; ')}`);
  // --cluster is the whole cluster, as netpol reach takes it
  // the pods' own range: no pod has a cloud metadata address or one of the databases' ranges
  analysis = analyze(policies, { ...cluster, complete: true }, { clusterPolicies, podCidrs: [POD_CIDR] });

  const probes = netpol(
    'reach',
    '--policies',
    ...prodPolicies,
    '--cluster',
    'examples/cluster',
    '--pod-cidr',
    POD_CIDR,
    '--ports',
    PROBES,
    '--output',
    'json',
  );
  if (probes.code !== 0 || probes.stderr !== '') throw new Error(`netpol reach --ports failed (${probes.code}): ${probes.stderr}`);
  probeRows = JSON.parse(probes.stdout).connections;
  const connections = netpol(
    'reach',
    '--policies',
    ...prodPolicies,
    '--cluster',
    'examples/cluster',
    '--pod-cidr',
    POD_CIDR,
    '--output',
    'json',
  );
  if (connections.code !== 0 || connections.stderr !== '')
    throw new Error(`netpol reach failed (${connections.code}): ${connections.stderr}`);
  connectionRows = JSON.parse(connections.stdout).connections;
}, 120_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** What `netpol reach --ports` answered for one probe. */
function probe(from: string, to: string, port: number, protocol = 'TCP'): boolean {
  const rows = probeRows.filter((r) => r.from === from && r.to === to && r.port === port && r.protocol === protocol);
  if (rows.length !== 1) throw new Error(`expected one probe row for ${from} -> ${to} ${port}/${protocol}, got ${rows.length}`);
  return rows[0].allowed;
}

/** What a row allows: for sure, then each part that depends on something unknown. */
function opens(r: ConnectionRow): string {
  const parts = r.connections === 'No Connections' ? [] : [r.connections];
  for (const d of r.depends ?? []) parts.push(`${d.connections} if ${d.if}`);
  return parts.join('; ');
}

/** Every source that `netpol reach` lists toward `to`, with what it may open. */
function sourcesOf(to: string): string[] {
  return connectionRows.filter((r) => r.to === to).map((r) => `${r.from}: ${opens(r)}`);
}

/** Every destination that `netpol reach` lists from `from`, with what it may open. */
function destinationsOf(from: string): string[] {
  return connectionRows.filter((r) => r.from === from).map((r) => `${r.to}: ${opens(r)}`);
}

const workloads = () => analysis.workloads.map((w) => `${w.namespace}/${w.name}`);

describe('the example cluster', () => {
  test('holds a Deployment for every tier of the examples and the cluster DNS, and no policies', () => {
    const { policies, cluster, warnings } = readManifests([CLUSTER]);
    expect(warnings).toEqual([]);
    expect(policies).toEqual([]);
    expect(cluster.namespaces.map((n) => n.name).sort()).toEqual([
      'default',
      'docs-demo',
      'hollow',
      'kube-system',
      'myproject',
      'shop',
      'team-a',
      'team-b',
    ]);
    expect(cluster.namespaces.find((n) => n.name === 'myproject')?.labels).toEqual({
      project: 'myproject',
      'kubernetes.io/metadata.name': 'myproject',
    });
    expect(cluster.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`).sort()).toEqual([
      'Deployment default/mysql',
      'Deployment default/wordpress',
      'Deployment docs-demo/db',
      'Deployment docs-demo/frontend',
      'Deployment hollow/app',
      'Deployment hollow/db',
      'Deployment hollow/web',
      'Deployment kube-system/coredns',
      'Deployment myproject/client',
      'Deployment shop/backend',
      'Deployment shop/frontend',
      'Deployment team-a/client',
      'Deployment team-a/reports',
      'Deployment team-b/api',
      'Deployment team-b/worker',
    ]);
    expect(cluster.workloads.find((w) => w.name === 'coredns')?.ports).toEqual([
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
    ]);
  });

  test('is not read by synthesis: the synthesized folder holds NetworkPolicies only', () => {
    const { cluster } = readManifests([prod]);
    expect(cluster).toEqual({ namespaces: [], workloads: [] });
  });
});

describe('netpol reach and the library agree', () => {
  test('netpol reach --ports answers every probe for every ordered pair, as analysis.allows does', () => {
    const n = workloads().length;
    expect(probeRows).toHaveLength(n * (n - 1) * 5);
    const disagreements = probeRows.filter(
      (r) => analysis.allows(r.from, r.to, r.port, r.protocol as Protocol.TCP | Protocol.UDP) !== r.allowed,
    );
    expect(disagreements).toEqual([]);
  });

  test('netpol reach lists every connection of analysis.connections(), with the same ports', () => {
    expect(connectionRows.map((r) => `${r.from} -> ${r.to}: ${r.connections}`).sort()).toEqual(
      analysis
        .connections()
        .map((c) => `${analysis.nameOf(c.from)} -> ${analysis.nameOf(c.to)}: ${c.allowed.toString()}`)
        .sort(),
    );
  });
});

describe('an App analysed directly, without YAML', () => {
  test('constructModel gives the policies, inferCluster or the example cluster the workloads', () => {
    const app = new App();
    threeTier(app, Environment.load(path.join(ROOT, 'examples/environments/prod.yaml')));
    const { policies } = constructModel(app);
    const inferred = analyze(policies, inferCluster(policies));
    expect(inferred.connectionSet('hollow/web', 'hollow/app').toString()).toBe('TCP 8080');
    expect(inferred.allows('hollow/web', 'hollow/db', 3306)).toBe(false);
    const real = analyze(policies, readManifests([CLUSTER]).cluster);
    expect(real.allows('hollow/app', 'hollow/db', 3306)).toBe(true);
    expect(real.explain('hollow/web', 'hollow/db', 3306).format()).toBe(analysis.explain('hollow/web', 'hollow/db', 3306).format());
    expect(
      real
        .connections()
        .filter((c) => real.nameOf(c.from) === 'hollow/app')
        .map((c) => `${real.nameOf(c.to)}: ${c.allowed}`),
    ).toEqual(['kube-system/coredns: TCP 53,UDP 53', 'hollow/db: TCP 3306']);
  });
});

describe('wordpress', () => {
  test('wordpress reaches mysql on TCP 3306', () => {
    expect(probe('default/wordpress', 'default/mysql', 3306)).toBe(true);
    expect(analysis.connectionSet('default/wordpress', 'default/mysql').toString()).toBe('TCP 3306');
  });

  test('nothing else reaches mysql, from inside the cluster or outside', () => {
    expect(sourcesOf('default/mysql')).toEqual(['default/wordpress: TCP 3306']);
    expect(probeRows.filter((r) => r.to === 'default/mysql' && r.allowed).map((r) => `${r.from} ${r.port}/${r.protocol}`)).toEqual([
      'default/wordpress 3306/TCP',
    ]);
    expect(analysis.allows('172.20.1.1', 'default/mysql', 3306)).toBe(false);
  });
});

describe('shop', () => {
  test('the frontend reaches the backend on TCP 8080, and nothing else does', () => {
    expect(probe('shop/frontend', 'shop/backend', 8080)).toBe(true);
    expect(sourcesOf('shop/backend')).toEqual(['shop/frontend: TCP 8080']);
  });

  test('the backend reaches the orders database (10.20.0.0/24) on TCP 5432, and besides it only the cluster DNS: no pod lies in that range', () => {
    expect(destinationsOf('shop/backend')).toEqual(['10.20.0.0/24: TCP 5432', `${DNS}: TCP 53,UDP 53`]);
    expect(analysis.allows('shop/backend', '10.20.0.42', 5432)).toBe(true);
    expect(analysis.allows('shop/backend', '10.20.1.42', 5432)).toBe(false);
    expect(analysis.allows('shop/frontend', '10.20.0.42', 5432)).toBe(false);
  });
});

describe('three-tier', () => {
  test('web reaches app on TCP 8080 and app reaches db on TCP 3306', () => {
    expect(probe('hollow/web', 'hollow/app', 8080)).toBe(true);
    expect(probe('hollow/app', 'hollow/db', 3306)).toBe(true);
    expect(sourcesOf('hollow/app')).toEqual(['hollow/web: TCP 8080']);
    expect(sourcesOf('hollow/db')).toEqual(['hollow/app: TCP 3306']);
  });

  test('web cannot reach db on any port', () => {
    expect(probe('hollow/web', 'hollow/db', 3306)).toBe(false);
    expect(analysis.connectionSet('hollow/web', 'hollow/db').isEmpty).toBe(true);
  });

  test("netpol explain says why web cannot reach db: neither web's egress nor db's ingress allows it", () => {
    const r = netpol(
      'explain',
      '--policies',
      ...prodPolicies,
      '--cluster',
      'examples/cluster',
      '--pod-cidr',
      POD_CIDR,
      '--from',
      'hollow/web',
      '--to',
      'hollow/db',
      '--port',
      '3306/TCP',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('hollow/web -> hollow/db on TCP 3306: denied');
    expect(lines).toContain(
      '  egress from hollow/web: isolated by hollow/allow-dns, hollow/default-deny, hollow/web; no rule allows the connection',
    );
    expect(lines).toContain('    hollow/web, egress rule 0: no peer matches hollow/db (pods tier=app)');
    expect(lines).toContain('  ingress to hollow/db: isolated by hollow/db, hollow/default-deny; no rule allows the connection');
    expect(lines).toContain('    hollow/db, ingress rule 0: no peer matches hollow/web (pods tier=app)');
    expect(r.stdout).toBe(`${analysis.explain('hollow/web', 'hollow/db', 3306).format()}\n`);
  }, 30_000);

  test('netpol explain names the rules that let app reach db', () => {
    const r = netpol(
      'explain',
      '--policies',
      ...prodPolicies,
      '--cluster',
      'examples/cluster',
      '--pod-cidr',
      POD_CIDR,
      '--from',
      'hollow/app',
      '--to',
      'hollow/db',
      '--port',
      '3306/TCP',
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'hollow/app -> hollow/db on TCP 3306: allowed',
      '  egress from hollow/app: isolated by hollow/allow-dns, hollow/app, hollow/default-deny',
      '    allowed by hollow/app, egress rule 0: peer 0 (pods tier=db) and port entry 0 (TCP 3306)',
      '  ingress to hollow/db: isolated by hollow/db, hollow/default-deny',
      '    allowed by hollow/db, ingress rule 0: peer 0 (pods tier=app) and port entry 0 (TCP 3306)',
      '',
    ]);
  }, 30_000);
});

describe('docs-example', () => {
  test('the role=frontend pods and the pods of namespaces project=myproject reach db on TCP 6379', () => {
    expect(analysis.allows('docs-demo/frontend', 'docs-demo/db', 6379)).toBe(true);
    expect(analysis.allows('myproject/client', 'docs-demo/db', 6379)).toBe(true);
  });

  test('besides them only the docsClients range except 172.17.1.0/24 reaches db, on TCP 6379 alone', () => {
    expect(sourcesOf('docs-demo/db')).toEqual([
      '172.17.0.0/24: TCP 6379',
      '172.17.2.0-172.17.255.255: TCP 6379',
      'docs-demo/frontend: TCP 6379',
      // the pods' own range (10.244.0.0/16) is given: no pod lies in the docsClients range
      'myproject/client: TCP 6379',
    ]);
    // with the pods' own range (10.244.0.0/16) given, no pod lies in it
    const r = netpol('reach', '--policies', prod, '--cluster', 'examples/cluster', '--pod-cidr', '10.244.0.0/16', '--output', 'json');
    const rows: ConnectionRow[] = JSON.parse(r.stdout).connections;
    expect(rows.filter((x) => x.to === 'docs-demo/db').map((x) => `${x.from}: ${opens(x)}`)).toEqual([
      '172.17.0.0/24: TCP 6379',
      '172.17.2.0-172.17.255.255: TCP 6379',
      'docs-demo/frontend: TCP 6379',
      'myproject/client: TCP 6379',
    ]);
    expect(analysis.allows('team-a/client', 'docs-demo/db', 6379)).toBe(false);
    expect(analysis.allows('172.17.1.9', 'docs-demo/db', 6379)).toBe(false);
  });
});

describe('team-isolation', () => {
  test("team-a's client reaches team-b's api on TCP 8443", () => {
    expect(analysis.connectionSet('team-a/client', 'team-b/api').toString()).toBe('TCP 8443');
  });

  test("other team-a pods, and clients of other namespaces, cannot reach the api; team-b's own pods can", () => {
    expect(analysis.connectionSet('team-a/reports', 'team-b/api').isEmpty).toBe(true);
    expect(analysis.allows('myproject/client', 'team-b/api', 8443)).toBe(false);
    expect(sourcesOf('team-b/api')).toEqual(['team-a/client: TCP 8443', 'team-b/worker: All Connections']);
  });
});

describe('cluster DNS', () => {
  const dnsClients = () => workloads().filter((w) => WITH_DNS.includes(w.split('/')[0]));

  test('every pod of a namespace with AllowDns reaches kube-dns on UDP 53 (and TCP 53)', () => {
    expect(dnsClients()).toHaveLength(7);
    for (const w of dnsClients()) {
      expect([w, probe(w, DNS, 53, 'UDP')]).toEqual([w, true]);
      expect([w, analysis.connectionSet(w, DNS).toString()]).toEqual([w, 'TCP 53,UDP 53']);
    }
  });

  test('those pods send UDP 53 to no other workload', () => {
    const elsewhere = probeRows.filter((r) => dnsClients().includes(r.from) && r.to !== DNS && r.port === 53 && r.allowed);
    expect(elsewhere).toEqual([]);
  });
});
