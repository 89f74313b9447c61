/**
 * One group, one name: a cdk8s-plus StatefulSet selected by a tier is called by its workload
 * name in chart tests, in the manifests synthesized from the chart, in diagrams and in diffs;
 * the tier's id stands for it in assertions.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AllowDns, DefaultDeny, Port, Tier } from '../../lib';
import { modelOf } from '../../lib/testing';
import '../../lib/testing/setup';
import { netpol } from '../report/diff/cli-fixtures';

jest.setTimeout(60_000);

const REDIS = 'boutique-redis-sts-c8dff8f9';

/** The boutique: cart reaches the redis StatefulSet on `port`. */
function boutique(outdir: string, port = 6379): { app: App; chart: Chart } {
  const app = new App({ outdir });
  const chart = new Chart(app, 'boutique', { namespace: 'boutique' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  const sts = new kplus.StatefulSet(chart, 'redis-sts', {
    containers: [{ image: 'redis', portNumber: 6379, securityContext: { ensureNonRoot: false } }],
  });
  const redis = new Tier(chart, 'redis', { workload: sts });
  const cart = new Tier(chart, 'cart', { pods: { 'app.kubernetes.io/name': 'cart', 'app.kubernetes.io/part-of': 'boutique' } });
  cart.allowTo(redis, Port.tcp(port));
  return { app, chart };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-names-'));
  boutique(path.join(tmp, 'before')).app.synth();
  boutique(path.join(tmp, 'after'), 6380).app.synth();
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FLOWS = [`cart -> ${REDIS} TCP 6379`, '* -> kube-system/kube-dns TCP 53, UDP 53'];

test('the chart test and the synthesized manifests name the groups alike', () => {
  const { chart } = boutique(path.join(tmp, 'unused'));
  const fromChart = modelOf(chart);
  const fromManifests = modelOf(path.join(tmp, 'before'));
  const names = (m: typeof fromChart) => m.groups.filter((g) => g.namespace === 'boutique').map((g) => g.name);
  expect(names(fromChart)).toEqual([REDIS, 'cart', 'boutique/(others)']);
  expect(names(fromManifests)).toEqual(names(fromChart));
  expect(fromChart.flows()).toEqual(expect.arrayContaining(FLOWS));
  expect(fromManifests.flows()).toEqual(fromChart.flows());
  // the tier id reads as the workload's group in the chart test
  expect(chart).toAllow({ from: 'cart', to: 'redis', port: 6379 });
  expect(chart).toAllow({ from: 'cart', to: REDIS, port: 6379 });
});

test('diagrams and diffs of the manifests use the same names', () => {
  const diagram = netpol('diagram', '--policies', path.join(tmp, 'before'));
  expect(diagram.code).toBe(0);
  expect(diagram.stdout).toContain(`["${REDIS}"]`);
  expect(diagram.stdout).toContain('["cart"]');
  const diff = netpol('diff', '--pod-cidr', '10.244.0.0/16', path.join(tmp, 'before'), path.join(tmp, 'after'));
  expect(diff.stderr).toBe('');
  expect(diff.stdout.split('\n').slice(2, 6)).toEqual([
    'Changed ports',
    '  FROM           TO                                    BEFORE    AFTER',
    `  boutique/cart  boutique/${REDIS}  TCP 6379  TCP 6380`,
    '',
  ]);
});
