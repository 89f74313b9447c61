import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

import { netpolWith, ROOT } from '../cli/run';
const ENVS = ['dev', 'staging', 'prod'];
const CHARTS = ['docs-example', 'shop', 'team-isolation', 'three-tier', 'wordpress'];
const CLUSTER_CHARTS = ['cluster-admin'];
const ALL_CHARTS = [...CHARTS, ...CLUSTER_CHARTS].sort();

function synth(outdir: string, ...args: string[]) {
  const environments = args.length > 0 ? args : ['examples/environments'];
  return netpolWith({ env: { ...process.env, CDK8S_OUTDIR: outdir } }, 'synth', 'examples/index.ts', ...environments);
}

function load(outdir: string, env: string, chart: string): Record<string, any> {
  const text = fs.readFileSync(path.join(outdir, env, `${chart}.k8s.yaml`), 'utf8');
  return Object.fromEntries(
    parseAllDocuments(text)
      .map((d) => d.toJS())
      .map((o: any) => [o.metadata.namespace === undefined ? o.metadata.name : `${o.metadata.namespace}/${o.metadata.name}`, o]),
  );
}

function tree(dir: string): Record<string, string> {
  // environments are folders; anything else in dist/ is not ours to compare
  const out: Record<string, string> = {};
  for (const env of fs.readdirSync(dir).sort()) {
    if (env.startsWith('.')) continue;
    for (const f of fs.readdirSync(path.join(dir, env)).sort()) out[`${env}/${f}`] = fs.readFileSync(path.join(dir, env, f), 'utf8');
  }
  return out;
}

let outdir: string;
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-examples-'));
  const r = synth(outdir);
  if (r.code !== 0) throw new Error(`synth failed: ${r.stderr}`);
}, 60_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('the examples', () => {
  test('synthesize one file per chart per environment, plus a kustomization, and nothing else', () => {
    expect(Object.keys(tree(outdir))).toEqual(
      [...ENVS].sort().flatMap((e) => [...ALL_CHARTS.map((c) => `${e}/${c}.k8s.yaml`), `${e}/kustomization.yaml`].sort()),
    );
    expect(tree(outdir)['prod/kustomization.yaml']).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n' +
        ALL_CHARTS.map((c) => `  - ${c}.k8s.yaml\n`).join(''),
    );
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (kubectl.status !== 0) console.warn('skipping the kubectl kustomize test: kubectl is not installed');
  (kubectl.status === 0 ? test : test.skip)('kubectl kustomize renders every policy of an environment', () => {
    const rendered = execFileSync('kubectl', ['kustomize', path.join(outdir, 'prod')], { encoding: 'utf8' });
    const names = parseAllDocuments(rendered)
      .map((d) => d.toJS())
      .map((o: any) => `${o.kind} ${o.metadata.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata.name}`)
      .sort();
    const expected = [
      ...CHARTS.flatMap((c) => Object.keys(load(outdir, 'prod', c))).map((k) => `NetworkPolicy ${k}`),
      ...CLUSTER_CHARTS.flatMap((c) => Object.keys(load(outdir, 'prod', c))).map((k) => `ClusterNetworkPolicy ${k}`),
    ].sort();
    expect(names).toEqual(expected);
  });

  test('every object is a networking.k8s.io/v1 NetworkPolicy with explicit policyTypes', () => {
    for (const env of ENVS) {
      for (const chart of CHARTS) {
        for (const o of Object.values(load(outdir, env, chart))) {
          expect(o.apiVersion).toBe('networking.k8s.io/v1');
          expect(o.kind).toBe('NetworkPolicy');
          expect(o.spec.policyTypes.length).toBeGreaterThan(0);
        }
      }
    }
  });

  test('the cluster-admin chart holds cluster-scoped ClusterNetworkPolicies only', () => {
    for (const env of ENVS) {
      for (const o of Object.values(load(outdir, env, 'cluster-admin'))) {
        expect(o.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
        expect(o.kind).toBe('ClusterNetworkPolicy');
        expect(o.metadata.namespace).toBeUndefined();
      }
    }
  });

  test("every object passes the API server's validation, NetworkPolicies in strict and legacy mode, ClusterNetworkPolicies in the experimental channel", () => {
    const { validateFiles } = require('../../lib/check/validate');
    for (const legacyCidrs of [false, true]) {
      const result = validateFiles([outdir], { legacyCidrs });
      expect(result.checked).toBe(ENVS.length * (17 + 5));
      expect(result.results.flatMap((r: any) => r.issues.map((i: any) => `${r.location}: ${i.path}: ${i.message}`))).toEqual([]);
    }
  });

  test('wordpress: deny, DNS, wordpress open on 80/443 to the world and corporate, only wordpress reaches mysql', () => {
    const p = load(outdir, 'prod', 'wordpress');
    expect(Object.keys(p).sort()).toEqual(['default/allow-dns', 'default/default-deny', 'default/mysql', 'default/wordpress']);
    expect(p['default/default-deny'].spec).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
    const web80 = [
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ];
    expect(p['default/wordpress'].spec).toEqual({
      podSelector: { matchLabels: { app: 'wordpress' } },
      policyTypes: ['Egress', 'Ingress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: 'wordpress' } } },
            { ipBlock: { cidr: '0.0.0.0/0' } },
            { ipBlock: { cidr: '172.20.0.0/16' } },
          ],
          ports: web80,
        },
      ],
      egress: [
        { to: [{ podSelector: { matchLabels: { app: 'mysql' } } }], ports: [{ port: 3306, protocol: 'TCP' }] },
        { to: [{ podSelector: { matchLabels: { app: 'wordpress' } } }], ports: web80 },
      ],
    });
    expect(p['default/mysql'].spec).toEqual({
      podSelector: { matchLabels: { app: 'mysql' } },
      policyTypes: ['Egress', 'Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'wordpress' } } }], ports: [{ port: 3306, protocol: 'TCP' }] }],
    });
  });

  test('the corporate range and the orders database come from each environment', () => {
    const corporate = (env: string) => load(outdir, env, 'wordpress')['default/wordpress'].spec.ingress[0].from[2].ipBlock.cidr;
    expect(ENVS.map(corporate)).toEqual(['172.16.0.0/16', '172.16.0.0/16', '172.20.0.0/16']);
    const orders = (env: string) => load(outdir, env, 'shop')['shop/backend'].spec.egress;
    expect(orders('dev')).toEqual([{ to: [{ ipBlock: { cidr: '10.10.10.10/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(orders('staging')).toEqual([{ to: [{ ipBlock: { cidr: '10.11.0.5/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(orders('prod')).toEqual([{ to: [{ ipBlock: { cidr: '10.20.0.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  test('shop: frontend open on 80/443 to anyone, backend only from frontend on 8080', () => {
    const p = load(outdir, 'dev', 'shop');
    expect(p['shop/frontend'].spec).toEqual({
      podSelector: { matchLabels: { app: 'frontend' } },
      policyTypes: ['Egress', 'Ingress'],
      ingress: [
        {
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 443, protocol: 'TCP' },
          ],
        },
      ],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(p['shop/backend'].spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  test('three-tier: web → app → db, db admits only app', () => {
    const p = load(outdir, 'dev', 'three-tier');
    expect(Object.keys(p).sort()).toEqual(['hollow/allow-dns', 'hollow/app', 'hollow/db', 'hollow/default-deny', 'hollow/web']);
    expect(p['hollow/web'].spec.ingress).toEqual([{ ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(p['hollow/web'].spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { tier: 'app' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(p['hollow/app'].spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { tier: 'db' } } }], ports: [{ port: 3306, protocol: 'TCP' }] },
    ]);
    expect(p['hollow/db'].spec).toEqual({
      podSelector: { matchLabels: { tier: 'db' } },
      policyTypes: ['Egress', 'Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { tier: 'app' } } }], ports: [{ port: 3306, protocol: 'TCP' }] }],
    });
  });

  test('cluster-admin: metadata deny, monitoring both ends, Stripe by name from the environment, baseline deny for opted-in namespaces', () => {
    const p = load(outdir, 'prod', 'cluster-admin');
    expect(Object.entries(p).map(([name, o]) => `${name} ${o.spec.tier} ${o.spec.priority}`)).toEqual([
      'deny-cloud-metadata Admin 10',
      'allow-monitoring Admin 20',
      'allow-monitoring-egress Admin 30',
      'allow-stripe Admin 40',
      'baseline-deny Baseline 10',
    ]);
    expect(p['allow-stripe'].spec.egress).toEqual([
      {
        action: 'Accept',
        name: 'allow-domains',
        to: [{ domainNames: ['api.stripe.com'] }],
        protocols: [{ tcp: { destinationPort: { number: 443 } } }],
      },
    ]);
    expect(p['baseline-deny'].spec.subject).toEqual({ namespaces: { matchLabels: { 'netpol.dev/baseline': 'deny' } } });
    expect(p['baseline-deny'].spec.egress.map((r: any) => r.name)).toEqual(['allow-dns', 'deny-all-egress']);
  });

  test('docs-example: the Kubernetes documentation policy, addresses from the environment', () => {
    const p = load(outdir, 'prod', 'docs-example');
    expect(p).toEqual({
      'docs-demo/db': {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: {
          name: 'db',
          namespace: 'docs-demo',
          annotations: {
            'netpol.dev/lint-suppress':
              'NP010: the documentation example means both peers: pods role=frontend of docs-demo OR every pod of namespaces project=myproject; NP001: the documentation example allows no DNS, and db reaches its backend by address',
            'netpol.dev/lint-suppress-namespace':
              'NP003: the documentation example isolates only the db pods, not the namespace; NP004: the documentation example isolates only the db pods, not the namespace',
          },
        },
        spec: {
          podSelector: { matchLabels: { role: 'db' } },
          policyTypes: ['Egress', 'Ingress'],
          ingress: [
            {
              from: [
                { podSelector: { matchLabels: { role: 'frontend' } } },
                { namespaceSelector: { matchLabels: { project: 'myproject' } } },
                { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
              ],
              ports: [{ port: 6379, protocol: 'TCP' }],
            },
          ],
          egress: [
            {
              to: [{ ipBlock: { cidr: '10.0.0.0/24' } }],
              ports: [
                { port: 5978, protocol: 'TCP' },
                { port: 32000, endPort: 32768, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    });
  });

  test('team-isolation: each team admits its own namespace, team-b api admits team-a clients on 8443', () => {
    const p = load(outdir, 'dev', 'team-isolation');
    expect(Object.keys(p).sort()).toEqual(['team-a/team-a-internal', 'team-b/api', 'team-b/team-b-internal']);
    expect(p['team-a/team-a-internal'].spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    });
    expect(p['team-b/api'].spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } },
              podSelector: { matchLabels: { app: 'client' } },
            },
          ],
          ports: [{ port: 8443, protocol: 'TCP' }],
        },
      ],
    });
  });

  test('synthesis is byte-identical across runs', () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-examples-'));
    try {
      expect(synth(again).code).toBe(0);
      expect(tree(again)).toEqual(tree(outdir));
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  }, 60_000);

  test('rejects a bad environment file with one line per problem and leaves dist as it was', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-bad-'));
    try {
      const out = path.join(dir, 'dist');
      expect(synth(out).code).toBe(0);
      const before = tree(out);
      const bad = path.join(dir, 'prod.yaml');
      fs.writeFileSync(
        bad,
        'name: prod\ncidrs:\n  corporate: 172.20.0.0\n  docsClients: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}\n  docsBackend: 10.0.0.0/24\ndatabases:\n  orders: {cidrs: [orders.db.internal], port: 5432}\n',
      );
      const r = synth(out, 'examples/environments/dev.yaml', bad);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toContain(`${bad}: cidrs.corporate: `);
      expect(lines[0]).toContain('Did you mean "172.20.0.0/32"?');
      expect(lines[1]).toContain(`${bad}: databases.orders.cidrs[0]: `);
      expect(lines[1]).toContain('cannot match DNS names');
      expect(lines[2]).toBe('synth failed with 2 problems; nothing was written');
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
      expect(tree(out)).toEqual(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npx cdk8s synth', () => {
  test('runs the same app through cdk8s.yaml, writes the same files, and the lint plugin passes', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cdk8s-'));
    try {
      const r = spawnSync(
        process.execPath,
        [path.join(ROOT, 'node_modules/cdk8s-cli/bin/cdk8s'), 'synth', '--no-check-upgrade', '--output', out],
        { cwd: ROOT, encoding: 'utf8' },
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Validations ended succesfully');
      expect(r.stdout).toMatch(/Status\s+│ success/);
      expect(tree(out)).toEqual(tree(outdir));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
