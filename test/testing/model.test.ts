import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { AllowDns, DefaultDeny, Environment, LabelSelector, Peer, Port, SelectorOperator, Tier } from '../../lib';
import { synthEnvironments } from '../../lib/api/synth';
import { FlowModel, modelOf } from '../../lib/testing';
import '../../lib/testing/setup';
import { caught } from '../model/caught';

function shopChart(app: App = Testing.app()): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  const web = new Tier(chart, 'web', { pods: { app: 'web' } });
  const db = new Tier(chart, 'db', { pods: { app: 'db' } });
  web.allowFrom(Peer.anyIpv4(), Port.tcp(443));
  web.allowTo(db, Port.tcp(5432));
  return chart;
}

const names = (m: FlowModel) => m.groups.map((g) => `${g.name}${g.underTest ? '' : ' (outside)'}`);
const resolved = (m: FlowModel, name: string) => {
  const s = m.resolve(name);
  return [...s.groups.map((g) => g.id), ...s.addresses.map(String)];
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-testing-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('modelOf a construct', () => {
  test("names tiers by construct id and the DNS pods kube-system/kube-dns, and tests the chart's namespaces", () => {
    const m = modelOf(shopChart());
    expect(m.namespaces).toEqual(['shop']);
    expect(m.inferred).toBe(true);
    expect(m.source).toBe('shop');
    expect(names(m)).toEqual([
      'kube-system/kube-dns (outside)',
      'kube-system/(others) (outside)',
      'web',
      'db',
      'shop/(others)',
      '(others)/(others) (outside)',
    ]);
    expect(m.policies.map((p) => p.id)).toEqual(['shop/default-deny', 'shop/allow-dns', 'shop/web', 'shop/db']);
  });

  test("analyses the whole App but tests only the namespaces of the target's policy constructs", () => {
    const app = Testing.app();
    const shop = shopChart(app);
    const other = new Chart(app, 'other', { namespace: 'other' });
    new Tier(other, 'client', { pods: { app: 'client' } }).allowTo(Peer.podsInNamespace('shop', { app: 'web' }), Port.tcp(443));
    const m = modelOf(shop);
    expect(m.namespaces).toEqual(['shop']);
    expect(m.policies.map((p) => p.id)).toContain('other/client');
    expect(names(m)).toContain('other/client (outside)');
    expect(modelOf(app).namespaces).toEqual(['other', 'shop']);
    expect(names(modelOf(app))).toContain('client');
  });

  test('a tier id used in two namespaces must be written namespace/id', () => {
    const app = Testing.app();
    for (const ns of ['a', 'b'])
      new Tier(new Chart(app, ns, { namespace: ns }), 'db', { pods: { app: 'db' } }).allowFrom(Peer.pods({ app: 'api' }), Port.tcp(5432));
    const m = modelOf(app);
    expect(caught(() => m.resolve('db')).message).toBe('"db" is ambiguous: it names a/db and b/db; write one of those');
    expect(resolved(m, 'b/db')).toEqual(['b/db']);
    expect(names(m)).toContain('a/db');
  });

  test('a tier that selects every pod of its namespace stands for namespace/*', () => {
    const chart = new Chart(Testing.app(), 'team', { namespace: 'team-a' });
    new Tier(chart, 'internal', { pods: {} }).allowFrom(Peer.pods({}));
    new Tier(chart, 'client', { pods: { app: 'client' } }).allowTo(Peer.namespace('team-b'), Port.tcp(8443));
    const m = modelOf(chart);
    expect(resolved(m, 'internal')).toEqual(['team-a/client', 'team-a/(others)']);
    expect(resolved(m, 'team-a/*')).toEqual(['team-a/client', 'team-a/(others)']);
  });

  test('a tier whose selector names several values has a group per value and stands for all of them, in assertions and printed flows', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new DefaultDeny(chart, 'default-deny');
    new AllowDns(chart, 'allow-dns');
    const frontend = new Tier(chart, 'frontend', {
      pods: LabelSelector.of({}, [{ key: 'tier', operator: SelectorOperator.IN, values: ['web', 'api'] }]),
    });
    const db = new Tier(chart, 'db', { pods: { app: 'db' } });
    frontend.allowTo(db, Port.tcp(5432));
    const m = modelOf(chart);
    expect(names(m)).toEqual([
      'kube-system/kube-dns (outside)',
      'kube-system/(others) (outside)',
      'shop/frontend (tier=web)',
      'shop/frontend (tier=api)',
      'db',
      'shop/(others)',
      '(others)/(others) (outside)',
    ]);
    expect(resolved(m, 'frontend')).toEqual(['shop/frontend (tier=web)', 'shop/frontend (tier=api)']);
    expect(resolved(m, 'shop/frontend (tier=api)')).toEqual(['shop/frontend (tier=api)']);
    expect(m.flows()).toEqual(['frontend -> db TCP 5432', '* -> kube-system/kube-dns TCP 53, UDP 53']);
    expect(m.compare(['frontend -> db TCP 5432', '* -> kube-system/kube-dns TCP 53, UDP 53']).pass).toBe(true);
    expect(m.compare(['shop/frontend (tier=web) -> db TCP 5432', '* -> kube-system/kube-dns TCP 53, UDP 53']).missing).toEqual([]);
    expect(m.compare(['shop/frontend (tier=web) -> db TCP 5432', '* -> kube-system/kube-dns TCP 53, UDP 53']).extra).toEqual([
      'shop/frontend (tier=api) -> db TCP 5432',
    ]);
  });

  test('a DNS namespace selected by labels carries them, so that the DNS group is reachable', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'app' });
    new DefaultDeny(chart, 'deny');
    new AllowDns(chart, 'dns', { dns: { namespace: 'dns-system', namespaceLabels: { role: 'dns' }, pods: { app: 'coredns' } } });
    const m = modelOf(chart);
    expect(names(m)).toEqual([
      'app/(others)',
      'dns-system/kube-dns (outside)',
      'dns-system/(others) (outside)',
      '(others)/(others) (outside)',
    ]);
    expect(m.flows()).toEqual(['* -> dns-system/kube-dns TCP 53, UDP 53']);
  });

  test('throws when the App does not validate, listing every problem', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new DefaultDeny(chart, 'deny');
    new DefaultDeny(chart, 'deny-again', { policyName: 'deny' });
    expect(caught(() => modelOf(chart)).message).toBe(
      'the App of c does not validate; fix it first: [c/deny-again] NetworkPolicy "shop/deny" is also defined by c/deny; give one of them another id or a `policyName`',
    );
  });

  test('throws for a construct without policy constructs, and for something that is not a target', () => {
    const app = Testing.app();
    expect(caught(() => modelOf(new Chart(app, 'empty'))).message).toBe(
      'empty holds no policy construct (Tier, DefaultDeny, AllowDns); there is nothing to test',
    );
    expect(caught(() => modelOf(42 as never)).message).toBe(
      'expected a cdk8s construct (an App or a Chart), a manifest path or a list of paths, got number 42',
    );
    expect(caught(() => modelOf({ node: 1 } as never)).message).toBe(
      'expected a cdk8s construct (an App or a Chart), a manifest path or a list of paths, got an object (Object)',
    );
  });

  test('a model passed to modelOf is used as it is', () => {
    const m = modelOf(shopChart());
    expect(modelOf(m)).toBe(m);
  });
});

describe('names in flow assertions', () => {
  const m = modelOf(shopChart());

  test('*, outside, namespace/*, group ids and addresses stand for their groups and addresses', () => {
    expect(resolved(m, '*')).toEqual([
      'kube-system/kube-dns',
      'kube-system/(others)',
      'shop/web',
      'shop/db',
      'shop/(others)',
      '(others)/(others)',
    ]);
    expect(resolved(m, 'outside')).toEqual(['kube-system/kube-dns', 'kube-system/(others)', '(others)/(others)', '0.0.0.0/0', '::/0']);
    expect(resolved(m, 'kube-system/*')).toEqual(['kube-system/kube-dns', 'kube-system/(others)']);
    expect(resolved(m, 'kube-dns')).toEqual(['kube-system/kube-dns']);
    expect(resolved(m, ' shop/web ')).toEqual(['shop/web']);
    expect(resolved(m, '10.0.0.0/8 except 10.1.0.0/16')).toEqual(['10.0.0.0/16', '10.2.0.0-10.255.255.255']);
  });

  test('throws for unknown names, unknown namespaces and ambiguous names', () => {
    expect(caught(() => m.resolve('wbe')).message).toBe(
      'no pod group "wbe"; name a tier or group (kube-system/kube-dns, kube-system/(others), web, db, shop/(others), (others)/(others)), a namespace\'s groups as "namespace/*", "*" for every group, "outside", or an IP address or CIDR',
    );
    expect(caught(() => m.resolve('prod/*')).message).toBe(
      'no namespace "prod" in "prod/*"; the namespaces are kube-system, shop, (others)',
    );
    expect(caught(() => m.resolve('(others)')).message).toBe(
      '"(others)" is ambiguous: it names kube-system/(others) and shop/(others) and (others)/(others); write one of those',
    );
    expect(caught(() => m.resolve('10.0.0.1/8')).message).toBe(
      'CIDR "10.0.0.1/8" has bits set beyond its /8 prefix; write the network address "10.0.0.0/8" (or "10.0.0.1/32" for the single address)',
    );
  });
});

describe('modelOf manifests', () => {
  test('a synthesized folder has the groups and flows of the chart it came from', () => {
    const env = Environment.load('examples/environments/prod.yaml');
    synthEnvironments([env], (app) => shopChart(app), { outdir: tmp });
    const folder = modelOf(path.join(tmp, 'prod'));
    const chart = modelOf(shopChart());
    expect(folder.inferred).toBe(true);
    expect(folder.namespaces).toEqual(['shop']);
    expect(names(folder)).toEqual(names(chart));
    expect(folder.flows()).toEqual(chart.flows());
    expect(modelOf([path.join(tmp, 'prod', 'shop.k8s.yaml')]).flows()).toEqual(chart.flows());
  });

  test('workloads in the manifests said to be the whole cluster are the groups; a lone pod to itself is not a flow', () => {
    fs.writeFileSync(
      path.join(tmp, 'all.yaml'),
      [
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x}]}}',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: db-0, namespace: shop, labels: {app: db}}\nspec: {containers: [{name: c, image: x}]}',
      ].join('\n---\n'),
    );
    const m = modelOf(tmp, { complete: true });
    expect(m.inferred).toBe(false);
    expect(names(m)).toEqual(['web', 'db-0']);
    expect(m.flows()).toEqual(['web -> db-0 TCP 5432', '* -> web All', '* -> outside All', 'outside -> web All']);
    // not said to be the whole cluster: the other pods of shop and of other namespaces may be there too
    const partial = modelOf(tmp);
    expect(partial.inferred).toBe(true);
    expect(names(partial)).toEqual(['web', 'db-0', 'shop/(others)', '(others)/(others) (outside)']);
    expect(partial.flows()).toEqual([
      'web -> db-0 TCP 5432',
      '* -> web All',
      '* -> shop/(others) All',
      '* -> outside All',
      'outside -> web All',
      'outside -> shop/(others) All',
    ]);
  });

  test('pods of one StatefulSet with labels of their own are groups of their own', () => {
    const F = 'test/fixtures/analysis/statefulset-pods';
    const m = modelOf(F, { complete: true });
    expect(names(m)).toEqual(['db-0', 'db-1', 'client']);
    expect(m).toAllow({ from: 'client', to: 'db-1', port: 5432 });
    expect(m).toDeny({ from: 'client', to: 'db-0' });
    expect(m.flows()).toEqual([
      'db-0 -> * All',
      'db-0 -> outside All',
      'db-1 -> * All',
      'db-1 -> outside All',
      'client -> db-1 TCP 5432',
      'outside -> * All',
    ]);
  });

  test('throws for manifests without a NetworkPolicy', () => {
    fs.writeFileSync(path.join(tmp, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(caught(() => modelOf(tmp)).message).toBe(`${tmp} holds no NetworkPolicy; there is nothing to test`);
  });
});

describe('group names read back as their group', () => {
  test('throws for an App where two tiers select the same pods', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'a' });
    new Tier(a, 'frontend', { pods: { app: 'web' } }).allowFrom(Peer.pods({ app: 'x' }), Port.tcp(80));
    new Tier(a, 'web', { pods: { app: 'web' }, policyName: 'web-again' }).allowFrom(Peer.pods({ app: 'x' }), Port.tcp(81));
    expect(caught(() => modelOf(a)).message).toBe(
      'the App of a does not validate; fix it first: [a/web] selects the same pods as a/frontend (app=web in namespace a); use one Tier for them and make all its statements on it',
    );
  });

  test('two tiers of one id and namespace with different pods are written by group', () => {
    const a = new Chart(Testing.app(), 'a', { namespace: 'a' });
    new Tier(a, 'web', { pods: { app: 'web' } }).allowFrom(Peer.pods({ app: 'x' }), Port.tcp(80));
    const other = new Chart(a.node.root as App, 'b', { namespace: 'a' });
    new Tier(other, 'web', { pods: { app: 'web2' }, policyName: 'web2' }).allowFrom(Peer.pods({ app: 'x' }), Port.tcp(81));
    const m = modelOf(a.node.root);
    expect(names(m)).toEqual(['a/web', 'web2', 'x', 'a/(others)', '(others)/(others) (outside)']);
    expect(caught(() => m.resolve('web')).message).toBe('"web" is ambiguous: it names a/web and a/web2; write one of those');
    for (const g of m.groups) expect(m.resolve(g.name).groups).toEqual([g]);
  });
});
