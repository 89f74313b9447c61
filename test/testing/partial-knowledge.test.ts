/**
 * Chart tests where the analysis knows only part of the cluster: a named port whose number no
 * known container gives, pods whose IPs are unknown, workloads the App defines and cluster
 * folders beside a chart, and exact lists scoped to some namespaces.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AllowDns, DefaultDeny, Peer, Port, Tier } from '../../lib';
import { modelOf } from '../../lib/testing';
import '../../lib/testing/setup';

/** The message of the assertion error `fn` throws. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the assertion to fail, but it passed');
}

/** web takes 443 and its `metrics` port from the internet; which number `metrics` is, the chart does not say. */
function metricsChart(workload?: (chart: Chart) => kplus.Deployment): Chart {
  const chart = new Chart(Testing.app(), 'site', { namespace: 'default' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  const web = new Tier(chart, 'web', workload ? { workload: workload(chart) } : { pods: { app: 'web' } });
  web.allowFrom(Peer.anyIpv4(), Port.tcp(443));
  web.allowFrom(Peer.anyIpv4(), Port.named('metrics'));
  return chart;
}

const DNS = '* -> kube-system/kube-dns UDP 53, TCP 53';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-partial-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('a named port opened to the internet, with no container known to name it', () => {
  const chart = metricsChart();

  test('toAllowExactly fails until the flow on the named port is listed, and prints it with its name', () => {
    const message = failure(() => expect(chart).toAllowExactly(['0.0.0.0/0 -> web TCP 443', DNS]));
    expect(message.split('\n').slice(0, 6)).toEqual([
      'expected exactly the listed flows to be allowed (namespaces under test: default), but',
      'allowed but not listed:',
      '  kube-system/* -> web TCP 443,metrics if source IP in 0.0.0.0/0',
      '  (others)/* -> web TCP 443,metrics if source IP in 0.0.0.0/0',
      'allowed on other connections than listed:',
      '  0.0.0.0/0 -> web: listed TCP 443, allowed TCP 443,metrics',
    ]);
    expect(message).toContain(
      [
        'the flows allowed in default, to copy into the test:',
        "  'kube-system/* -> web TCP 443,metrics if source IP in 0.0.0.0/0',",
        "  '(others)/* -> web TCP 443,metrics if source IP in 0.0.0.0/0',",
        "  '* -> kube-system/kube-dns TCP 53, UDP 53',",
        "  '0.0.0.0/0 -> web TCP 443,metrics',",
      ].join('\n'),
    );
    // pods of other namespaces reach web too if their IPs lie in 0.0.0.0/0, which no one said they do not
    const podsByIp = [
      'kube-system/* -> web TCP 443,metrics if source IP in 0.0.0.0/0',
      '(others)/* -> web TCP 443,metrics if source IP in 0.0.0.0/0',
    ];
    expect(chart).toAllowExactly(['0.0.0.0/0 -> web TCP 443', '0.0.0.0/0 -> web TCP metrics', DNS, ...podsByIp]);
    expect(chart).toAllowExactly(['0.0.0.0/0 -> web TCP 443,metrics', DNS, ...podsByIp]);
    expect(chart).not.toAllowExactly(['0.0.0.0/0 -> web TCP 443,9090', DNS, ...podsByIp]);
  });

  test('what pod IPs decide is settled by the pod range, or by ipBlocks not matching pods', () => {
    const pods = ['kube-system/* -> web TCP 443,metrics', '(others)/* -> web TCP 443,metrics'];
    expect(modelOf(chart, { podCidrs: ['10.244.0.0/16'] })).toAllowExactly(['0.0.0.0/0 -> web TCP 443,metrics', DNS, ...pods]);
    expect(modelOf(chart, { ipBlockPods: 'ignore' })).toAllowExactly(['0.0.0.0/0 -> web TCP 443,metrics', DNS]);
  });

  test('toDeny on port 9090 fails with the condition under which it is allowed', () => {
    expect(failure(() => expect(chart).toDeny({ from: '0.0.0.0/0', to: 'web', port: 9090 })).split('\n\n')[0]).toBe(
      'expected 0.0.0.0/0 -> web on TCP 9090 to be denied, but it depends on what the analysis does not know: allowed if default/web declares a TCP port named metrics as 9090',
    );
    expect(failure(() => expect(chart).toDeny({ from: '0.0.0.0/0', to: 'web', port: 9090 })).split('\n\n')[1]).toBe(
      "what the analysis needs to settle it: the pods' container ports (a workload of the App that the tier selects, or its manifest: modelOf(target, { cluster: 'path' }))",
    );
    expect(chart).toDeny({ from: '0.0.0.0/0', to: 'web', port: '443/UDP' });
  });

  test('a verdict that turns on a pod IP says the pod range settles it, and the pod range does', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new DefaultDeny(chart, 'default-deny');
    const api = new Tier(chart, 'api', { pods: { app: 'api' } });
    const db = new Tier(chart, 'db', { pods: { app: 'db' } });
    api.allowTo(Peer.cidr('10.0.0.0/8'), Port.tcp(5432));
    db.allowFrom(Peer.pods({ app: 'api' }), Port.tcp(5432));
    const message = failure(() => expect(chart).toDeny({ from: 'api', to: 'db', port: 5432 })).split('\n\n');
    expect(message.slice(0, 2)).toEqual([
      'expected api -> db on TCP 5432 to be denied, but it depends on what the analysis does not know: allowed if the IP of shop/db lies in 10.0.0.0/8',
      "what the analysis needs to settle it: the range pod IPs are taken from (modelOf(target, { podCidrs: ['10.244.0.0/16'] }))",
    ]);
    expect(modelOf(chart, { podCidrs: ['10.244.0.0/16'] })).toAllow({ from: 'api', to: 'db', port: 5432 });
    expect(modelOf(chart, { podCidrs: ['192.168.0.0/16'] })).toDeny({ from: 'api', to: 'db', port: 5432 });
  });

  test('toAllow on the named port fails unless asked to accept what depends on it', () => {
    const query = { from: '0.0.0.0/0', to: 'web', port: Port.named('metrics') };
    expect(failure(() => expect(chart).toAllow(query)).split('\n\n')[0]).toBe(
      'expected 0.0.0.0/0 -> web on TCP metrics to be allowed, but it depends on what the analysis does not know: allowed if default/web declares a TCP port named metrics (pass acceptDepends: true to accept that)',
    );
    expect(chart).toAllow({ ...query, acceptDepends: true });
    expect(failure(() => expect(chart).toAllow({ from: '0.0.0.0/0', to: 'web', port: 9090 })).split('\n\n')[0]).toBe(
      'expected 0.0.0.0/0 -> web on TCP 9090 to be allowed, but it depends on what the analysis does not know: allowed if default/web declares a TCP port named metrics as 9090 (pass acceptDepends: true to accept that)',
    );
    expect(chart).toAllow({ from: '0.0.0.0/0', to: 'web', port: 443 });
  });
});

describe('workloads of the App are part of the picture, with their container ports', () => {
  const deployment = (chart: Chart) =>
    new kplus.Deployment(chart, 'web-deployment', {
      containers: [
        {
          image: 'web',
          ports: [
            { number: 443, name: 'https' },
            { number: 9090, name: 'metrics' },
          ],
          securityContext: { ensureNonRoot: false },
        },
      ],
    });

  test('a cdk8s-plus Deployment naming metrics 9090 settles the verdicts: 9090 is open, 9091 is not', () => {
    const chart = metricsChart(deployment);
    const m = modelOf(chart);
    // named by the workload, as in the manifests; the tier's id stands for it too
    expect(m.groups.map((g) => g.name)).toEqual([
      'site-web-deployment-c87880c0',
      'default/(others)',
      'kube-system/kube-dns',
      'kube-system/(others)',
      '(others)/(others)',
    ]);
    expect(m.resolve('web').groups.map((g) => g.id)).toEqual(['default/site-web-deployment-c87880c0']);
    expect(chart).toAllow({ from: '0.0.0.0/0', to: 'web', port: 9090 });
    expect(chart).toAllow({ from: '0.0.0.0/0', to: 'web', port: Port.named('metrics') });
    expect(chart).toDeny({ from: '0.0.0.0/0', to: 'web', port: 9091 });
    expect(failure(() => expect(chart).toDeny({ from: '0.0.0.0/0', to: 'web', port: 9090 })).split('\n')).toEqual([
      'expected 0.0.0.0/0 -> web on TCP 9090 to be denied, but it is allowed',
      '',
      '0.0.0.0 -> default/site-web-deployment-c87880c0 on TCP 9090: allowed',
      '  egress from 0.0.0.0: outside the cluster, so no policy restricts it',
      '  ingress to default/site-web-deployment-c87880c0: isolated by default/default-deny, default/web',
      '    allowed by default/web, ingress rule 1: peer 0 (0.0.0.0/0) and port entry 0 (TCP metrics = 9090 on default/site-web-deployment-c87880c0)',
    ]);
    expect(modelOf(chart, { ipBlockPods: 'ignore' })).toAllowExactly(['0.0.0.0/0 -> web TCP 443,9090', DNS]);
  });

  test('a chart with a cluster folder: the Deployment there gives the port its number', () => {
    fs.writeFileSync(
      path.join(tmp, 'web.yaml'),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web, namespace: default}',
        'spec:',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec: {containers: [{name: web, image: web, ports: [{name: metrics, containerPort: 8125, protocol: TCP}]}]}',
        '',
      ].join('\n'),
    );
    const m = modelOf(metricsChart(), { cluster: tmp, ipBlockPods: 'ignore' });
    expect(m.groups.map((g) => g.id)).toContain('default/web');
    expect(m).toAllowExactly(['0.0.0.0/0 -> web TCP 443,8125', DNS]);
    expect(m).toAllow({ from: '0.0.0.0/0', to: 'web', port: 8125 });
    expect(m).toDeny({ from: '0.0.0.0/0', to: 'web', port: 9090 });
  });
});

describe('exact lists scoped to namespaces', () => {
  test('only the flows to or from the namespaces named are compared; the rest is outside', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new DefaultDeny(shop, 'default-deny');
    const api = new Tier(shop, 'api', { pods: { app: 'api' } });
    const billing = new Chart(app, 'billing', { namespace: 'billing' });
    new DefaultDeny(billing, 'default-deny');
    const invoices = new Tier(billing, 'invoices', { pods: { app: 'invoices' } });
    const ledger = new Tier(billing, 'ledger', { pods: { app: 'ledger' } });
    invoices.allowTo(api, Port.tcp(8080));
    invoices.allowTo(ledger, Port.tcp(5432));
    // the whole App: both namespaces are under test
    expect(app).toAllowExactly(['invoices -> api TCP 8080', 'invoices -> ledger TCP 5432']);
    // the shop's view: the flows of billing that do not touch shop are not its concern
    expect(app).toAllowExactly(['billing/invoices -> api TCP 8080'], { namespaces: ['shop'] });
    expect(shop).toAllowExactly(['billing/invoices -> api TCP 8080']);
    expect(
      failure(() => expect(app).toAllowExactly([], { namespaces: ['shop'] }))
        .split('\n')
        .slice(0, 3),
    ).toEqual([
      'expected exactly the listed flows to be allowed (namespaces under test: shop), but',
      'allowed but not listed:',
      '  billing/invoices -> api TCP 8080',
    ]);
    expect(() => expect(app).toAllowExactly([], { namespaces: ['shops'] })).toThrow(
      'no pod group in namespace "shops"; the namespaces are billing, shop',
    );
  });
});
