/**
 * Every example allows exactly its documented flows: checked on the charts themselves (no
 * YAML) and on the manifests they synthesize, for every environment.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { buildExamples, EXAMPLES } from '../../examples';
import { clusterAdmin } from '../../examples/cluster-admin';
import { Environment } from '../../lib';
import { synthEnvironments } from '../../lib/api/synth';
import { modelOf } from '../../lib/testing';
import '../../lib/testing/setup';

const ENVS = ['dev', 'staging', 'prod'];
const env = (name: string) => Environment.load(`examples/environments/${name}.yaml`);
const ORDERS: Record<string, string> = { dev: '10.10.10.10/32', staging: '10.11.0.5/32', prod: '10.20.0.0/24' };

/** The example alone in its own App, as a user tests a chart. */
function example(name: keyof typeof EXAMPLES, envName = 'prod'): Chart {
  return EXAMPLES[name](new App(), env(envName));
}

/** The documented flows of each example in an environment. */
const FLOWS: Record<keyof typeof EXAMPLES, (envName: string) => string[]> = {
  wordpress: () => [
    'wordpress -> mysql TCP 3306',
    'wordpress -> wordpress TCP 80,443',
    // every IPv4 address, and the pods of other namespaces whose IP is one (pod IPs are unknown)
    'outside -> wordpress TCP 80,443 if source IP in 0.0.0.0/0',
    '* -> kube-system/kube-dns UDP 53, TCP 53',
  ],
  shop: (envName) => [
    'outside -> frontend TCP 80,443',
    'frontend -> backend TCP 8080',
    // the orders database, and any pod of another namespace whose IP lies in its range
    `backend -> outside TCP 5432 if destination IP in ${ORDERS[envName]}`,
    '* -> kube-system/kube-dns UDP 53, TCP 53',
  ],
  'three-tier': () => ['outside -> web TCP 80', 'web -> app TCP 8080', 'app -> db TCP 3306', '* -> kube-system/kube-dns UDP 53, TCP 53'],
  'docs-example': () => [
    // db: the policy of the Kubernetes documentation
    'project=myproject/* -> db TCP 6379',
    'frontend -> db TCP 6379',
    // what the chart cannot know: pod IPs, and the labels of docs-demo
    'outside -> db TCP 6379 if source IP in 172.17.0.0/16 except 172.17.1.0/24',
    'docs-demo/(others) -> db TCP 6379 if source IP in 172.17.0.0/16 except 172.17.1.0/24',
    'docs-demo/(others) -> db TCP 6379 if source namespace matches project=myproject',
    'db -> outside TCP 5978, 32000-32768 if destination IP in 10.0.0.0/24',
    'db -> frontend TCP 5978, 32000-32768 if destination IP in 10.0.0.0/24',
    'db -> docs-demo/(others) TCP 5978, 32000-32768 if destination IP in 10.0.0.0/24',
    // no default deny: the other pods of docs-demo are open both ways
    'frontend -> frontend All',
    'frontend -> docs-demo/(others) All',
    'docs-demo/(others) -> frontend All',
    'docs-demo/(others) -> docs-demo/(others) All',
    'outside -> frontend All',
    'outside -> docs-demo/(others) All',
    'frontend -> outside All',
    'docs-demo/(others) -> outside All',
  ],
  'team-isolation': () => ['team-a/* -> team-a/* All', 'team-b/* -> team-b/* All', 'client -> api TCP 8443', '* -> outside All'],
};

describe('wordpress', () => {
  const chart = example('wordpress');

  test('allows exactly its documented flows', () => {
    expect(chart).toAllowExactly(FLOWS.wordpress('prod'));
  });

  test('nothing but wordpress reaches mysql, and wordpress reaches nothing outside but the DNS', () => {
    for (const from of ['mysql', 'default/(others)', 'outside']) expect(chart).toDeny({ from, to: 'mysql' });
    expect(chart).toDeny({ from: 'wordpress', to: 'mysql', port: 5432 });
    for (const to of ['0.0.0.0/0', '::/0', 'kube-system/(others)', '(others)/*']) expect(chart).toDeny({ from: 'wordpress', to });
    expect(chart).toDeny({ from: 'wordpress', to: 'kube-system/kube-dns', port: 80 });
  });

  test('is open on 80 and 443 to every IPv4 address and the corporate range, not to IPv6', () => {
    expect(chart).toAllow({ from: '0.0.0.0/0', to: 'wordpress', port: 443 });
    expect(chart).toAllow({ from: '172.20.0.0/16', to: 'wordpress', port: 80 });
    expect(chart).toDeny({ from: '0.0.0.0/0', to: 'wordpress', port: 8080 });
    expect(chart).toDeny({ from: '::/0', to: 'wordpress' });
  });

  test('admits the corporate range of each environment through its own peer', () => {
    const corporatePeers = (envName: string, address: string) => {
      const e = modelOf(example('wordpress', envName)).analysis.explain(address, 'default/wordpress', 443);
      const rule = e.ingress.rules.find((r) => r.policy.name === 'wordpress')!;
      return rule.matchingPeers === 'any' ? ['*'] : rule.matchingPeers.map((i) => rule.rule.peers[i].toString());
    };
    expect(corporatePeers('dev', '172.16.5.5')).toEqual(['0.0.0.0/0', '172.16.0.0/16']);
    expect(corporatePeers('prod', '172.16.5.5')).toEqual(['0.0.0.0/0']);
    expect(corporatePeers('prod', '172.20.5.5')).toEqual(['0.0.0.0/0', '172.20.0.0/16']);
  });

  test('dev allows the same flows as prod', () => {
    expect(example('wordpress', 'dev')).toAllowExactly(FLOWS.wordpress('prod'));
  });
});

describe('shop', () => {
  test.each(ENVS)('in %s, allows exactly its documented flows, the orders database of the environment included', (envName) => {
    expect(example('shop', envName)).toAllowExactly(FLOWS.shop(envName));
  });

  test('the frontend is open to anyone on 80 and 443; the backend only to the frontend on 8080', () => {
    const chart = example('shop');
    for (const from of ['0.0.0.0/0', '::/0', 'kube-system/kube-dns']) expect(chart).toAllow({ from, to: 'frontend', port: 443 });
    expect(chart).toAllow({ from: 'frontend', to: 'backend', port: 8080 });
    for (const from of ['outside', 'backend', 'shop/(others)']) expect(chart).toDeny({ from, to: 'backend' });
  });

  test('only the backend reaches the orders database, and only on 5432', () => {
    const prod = example('shop');
    expect(prod).toAllow({ from: 'backend', to: '10.20.0.0/24', port: 5432 });
    expect(prod).toDeny({ from: 'backend', to: '10.20.0.0/24', port: 5433 });
    expect(prod).toDeny({ from: 'frontend', to: '10.20.0.0/24' });
    expect(prod).toDeny({ from: 'backend', to: '10.10.10.10', port: 5432 });
    expect(example('shop', 'dev')).toAllow({ from: 'backend', to: '10.10.10.10', port: 5432 });
    expect(example('shop', 'dev')).toDeny({ from: 'backend', to: '10.20.0.0/24' });
  });
});

describe('three-tier', () => {
  const chart = example('three-tier');

  test('allows exactly its documented flows', () => {
    expect(chart).toAllowExactly(FLOWS['three-tier']('prod'));
  });

  test('web never reaches db, and nothing but app does', () => {
    expect(chart).toDeny({ from: 'web', to: 'db' });
    for (const from of ['web', 'db', 'hollow/(others)', 'outside']) expect(chart).toDeny({ from, to: 'db' });
    expect(chart).toAllow({ from: 'app', to: 'db', port: 3306 });
  });
});

describe('docs-example', () => {
  const chart = example('docs-example');

  test('allows exactly its documented flows', () => {
    expect(chart).toAllowExactly(FLOWS['docs-example']('prod'));
  });

  test('db admits 172.17.0.0/16 except 172.17.1.0/24, project=myproject namespaces and role=frontend pods on 6379', () => {
    expect(chart).toAllow({ from: '172.17.0.0/16 except 172.17.1.0/24', to: 'db', port: 6379 });
    expect(chart).toDeny({ from: '172.17.1.0/24', to: 'db' });
    expect(chart).toAllow({ from: 'project=myproject/*', to: 'db', port: 6379 });
    expect(chart).toAllow({ from: 'frontend', to: 'db', port: 6379 });
    expect(chart).toDeny({ from: 'frontend', to: 'db', port: 6380 });
  });

  test('the other pods of docs-demo reach db only if their IP or their namespace says so, and are denied once both are known', () => {
    expect(() => expect(chart).toDeny({ from: 'docs-demo/(others)', to: 'db' })).toThrow(
      'expected docs-demo/(others) -> db to be denied, but it depends on what the analysis does not know: allowed if the IP of docs-demo/(others) lies in 172.17.0.0/16 except 172.17.1.0/24; or the labels of namespace docs-demo match project=myproject',
    );
    expect(chart).toAllow({ from: 'docs-demo/(others)', to: 'db', port: 6379, acceptDepends: true });
    // the Namespace object of the example cluster, and pod addresses outside 172.17.0.0/16
    const known = modelOf(chart, { cluster: 'examples/cluster/docs-example.yaml', podCidrs: ['10.244.0.0/16'] });
    expect(known).toDeny({ from: 'docs-demo/(others)', to: 'db' });
  });

  test('db reaches 10.0.0.0/24 on 5978 and 32000-32768 only', () => {
    expect(chart).toAllow({ from: 'db', to: '10.0.0.0/24', port: '32000-32768/TCP' });
    expect(chart).toAllow({ from: 'db', to: '10.0.0.7', port: 5978 });
    expect(chart).toDeny({ from: 'db', to: '10.0.0.0/24', port: 32769 });
    expect(chart).toDeny({ from: 'db', to: '10.0.1.0/24' });
  });
});

describe('team-isolation', () => {
  const chart = example('team-isolation');

  test('allows exactly its documented flows', () => {
    expect(chart).toAllowExactly(FLOWS['team-isolation']('prod'));
  });

  test('each team admits only its own namespace, except team-a clients to team-b api on 8443', () => {
    expect(chart).toDeny({ from: 'team-b/*', to: 'team-a/*' });
    expect(chart).toDeny({ from: 'outside', to: 'team-b/*' });
    expect(chart).toAllow({ from: 'client', to: 'api', port: 8443 });
    expect(chart).toDeny({ from: 'client', to: 'api', port: 8080 });
    expect(chart).toDeny({ from: 'team-a/(others)', to: 'api' });
    expect(chart).toDeny({ from: 'client', to: 'team-b/(others)' });
  });
});

describe('the synthesized manifests', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-flows-'));
    synthEnvironments(ENVS.map(env), buildExamples, { outdir });
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test.each(ENVS.flatMap((e) => Object.keys(EXAMPLES).map((c) => [e, c] as const)))(
    'of %s/%s allow the same flows as the chart',
    (envName, chart) => {
      const file = path.join(outdir, envName, `${chart}.k8s.yaml`);
      expect(file).toAllowExactly(FLOWS[chart as keyof typeof EXAMPLES](envName));
    },
  );
});

describe('cluster-admin, with the other charts in one App', () => {
  /** Every example and the cluster-admin chart in one App, as examples/index.ts builds them. */
  function all(): Record<string, Chart> {
    const app = new App();
    const charts: Record<string, Chart> = {};
    for (const [name, build] of Object.entries(EXAMPLES)) charts[name] = build(app, env('prod'));
    charts['cluster-admin'] = clusterAdmin(app, env('prod'));
    return charts;
  }
  const charts = all();
  const shop = modelOf(charts.shop, { podCidrs: ['10.244.0.0/16'] });

  test('no pod reaches the cloud metadata addresses, whatever its NetworkPolicies allow', () => {
    expect(shop).toDeny({ from: 'frontend', to: '169.254.169.254' });
    expect(shop).toDeny({ from: 'backend', to: 'fd00:ec2::254' });
    expect(modelOf(charts.wordpress, { podCidrs: ['10.244.0.0/16'] })).toDeny({ from: 'wordpress', to: '169.254.169.254', port: 80 });
    expect(shop.analysis.explain('shop/frontend', '169.254.169.254', 80).format().split('\n')[1]).toBe(
      '  egress from shop/frontend: denied by Admin policy deny-cloud-metadata, egress rule 0 (deny-cloud-metadata)',
    );
  });

  test('the backend reaches Stripe by name on TCP 443, though its NetworkPolicy allows only the orders database', () => {
    // unless the name resolves to a metadata address, which the Admin deny before it would catch
    const stripe = shop.analysis.verdict('shop/backend', 'api.stripe.com', 443);
    expect([stripe.value, stripe.alternatives.map((a) => a.condition.toString())]).toEqual([
      'depends',
      ['api.stripe.com resolves outside 169.254.169.254/32, fd00:ec2::254/128'],
    ]);
    expect(shop.analysis.verdict('shop/backend', 'api.stripe.com', 80).value).toBe('denied');
    expect(shop.analysis.verdict('shop/frontend', 'api.stripe.com', 443).value).toBe('denied');
  });

  test('the matchers say the same: Stripe on TCP 443 for the backend if the name does not resolve to a metadata address', () => {
    expect(shop).toAllow({ from: 'backend', to: 'api.stripe.com', port: 443, acceptDepends: true });
    expect(() => expect(shop).toAllow({ from: 'backend', to: 'api.stripe.com', port: 443 })).toThrow(
      'expected backend -> api.stripe.com on TCP 443 to be allowed, but it depends on what the analysis does not know: allowed if api.stripe.com resolves outside 169.254.169.254/32, fd00:ec2::254/128 (pass acceptDepends: true to accept that)',
    );
    expect(() => expect(shop).toDeny({ from: 'backend', to: 'api.stripe.com', port: 443 })).toThrow(
      'expected backend -> api.stripe.com on TCP 443 to be denied, but it depends on what the analysis does not know: allowed if api.stripe.com resolves outside 169.254.169.254/32, fd00:ec2::254/128',
    );
    expect(shop).toDeny({ from: 'backend', to: 'api.stripe.com', port: 80 });
    // pods AllowDomains does not select: the frontend's NetworkPolicies isolate its egress
    expect(shop).toDeny({ from: 'frontend', to: 'api.stripe.com' });
    expect(modelOf(charts.wordpress, { podCidrs: ['10.244.0.0/16'] })).toDeny({ from: 'wordpress', to: 'api.stripe.com' });
  });

  test('where no NetworkPolicy isolates a pod, its egress to Stripe depends on its namespace opting into the baseline deny', () => {
    const docs = modelOf(charts['docs-example'], { podCidrs: ['10.244.0.0/16'] });
    expect(() => expect(docs).toDeny({ from: 'docs-demo/frontend', to: 'api.stripe.com', port: 443 })).toThrow(
      "expected docs-demo/frontend -> api.stripe.com on TCP 443 to be denied, but it depends on what the analysis does not know: allowed if api.stripe.com resolves outside 169.254.169.254/32, fd00:ec2::254/128 and the source's namespace labels do not match netpol.dev/baseline=deny",
    );
    expect(docs).toDeny({ from: 'docs-demo/db', to: 'api.stripe.com', port: 443 });
  });

  test("the shop's exact flows include the backend's egress to Stripe, on the condition the analysis states", () => {
    expect(shop).toAllowExactly([
      'shop/frontend -> backend TCP 8080',
      'backend -> 10.20.0.0/24 TCP 5432',
      // the database rule holds for the name too, should it resolve into the database subnet
      'backend -> api.stripe.com TCP 443 if api.stripe.com resolves outside 169.254.169.254/32, fd00:ec2::254/128',
      'backend -> api.stripe.com TCP 5432 if api.stripe.com resolves inside 10.20.0.0/24 and api.stripe.com resolves outside 169.254.169.254/32, fd00:ec2::254/128',
      // the frontend is open on 80 and 443, except from namespaces that opt into the baseline deny
      'project=myproject/* -> shop/frontend TCP 80,443',
      '(others)/* -> shop/frontend TCP 80,443',
      '0.0.0.0/0 -> shop/frontend TCP 80,443',
      '::/0 -> shop/frontend TCP 80,443',
      ...['docs-demo/frontend', 'docs-demo/(others)', 'kube-system/*', 'team-a/*', 'team-b/*'].map(
        (from) => `${from} -> shop/frontend TCP 80,443 if the source's namespace labels do not match netpol.dev/baseline=deny`,
      ),
      "monitoring/* -> shop/frontend TCP 80,443 if the destination's port metrics is not the port asked about and the source's namespace labels do not match netpol.dev/baseline=deny",
      "monitoring/* -> * All if the destination's port metrics is the port asked about",
      "* -> kube-system/kube-dns TCP 53, UDP 53 if the destination's namespace labels do not match netpol.dev/baseline=deny",
    ]);
  });

  test('the flows the NetworkPolicies document still hold, the tiers taken into account', () => {
    expect(shop).toAllow({ from: 'frontend', to: 'backend', port: 8080 });
    expect(shop).toAllow({ from: 'backend', to: '10.20.0.7', port: 5432 });
    expect(shop).toDeny({ from: 'frontend', to: 'backend', port: 5432 });
  });
});
