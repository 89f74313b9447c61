/**
 * Lint of a cdk8s App in memory (`lintApp`) and of the manifests it synthesizes (`netpol lint
 * dist/<env>`): the App's workloads are what is known of the cluster, not all of it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AllowDns, DefaultDeny, Peer, Port, Tier } from '../../../lib';
import { lintApp } from '../../../lib/check/lint/app';
import { netpol, Run } from '../../cli/run';

/** A shop with one cdk8s-plus StatefulSet (db); web and api are tiers by labels, their pods defined elsewhere. */
function shop(outdir: string, everyPod: 'forgotten' | 'on purpose' | 'none' = 'none'): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  const sts = new kplus.StatefulSet(chart, 'db-sts', {
    containers: [{ image: 'postgres', portNumber: 5432, securityContext: { ensureNonRoot: false } }],
  });
  const db = new Tier(chart, 'db', { workload: sts });
  const web = new Tier(chart, 'web', { pods: { app: 'web' } });
  const api = new Tier(chart, 'api', { pods: { app: 'api' } });
  web.allowFrom(Peer.anyIpv4(), Port.tcp(443));
  web.allowTo(api, Port.tcp(8080));
  api.allowTo(db, Port.tcp(5432));
  if (everyPod === 'forgotten') new Tier(chart, 'scraped', { pods: {} }).allowFrom(Peer.namespace('monitoring'), Port.tcp(9090));
  if (everyPod === 'on purpose') Tier.allPods(chart, 'scraped').allowFrom(Peer.namespace('monitoring'), Port.tcp(9090));
  return app;
}

const FORGOTTEN =
  "shop/scraped spec.podSelector: NP013 warning: the podSelector is empty, so the policy's rules (1 ingress) apply to every pod of namespace shop and isolate each of them for ingress and egress; a selector was probably forgotten Fix: Give the policy the selector of the pods it is for (e.g. pods: { app: 'web' }); if it is meant for every pod of the namespace, use Tier.allPods or suppress NP013 with the reason.";

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-app-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('lintApp', () => {
  test('one cdk8s-plus workload in the App does not make the tiers without one select nothing', () => {
    expect(lintApp(shop(tmp))).toEqual([]);
  });

  test('a Tier with pods: {} is reported; Tier.allPods says it is meant', () => {
    expect(lintApp(shop(tmp, 'forgotten'))).toEqual([{ severity: 'warning', message: FORGOTTEN }]);
    expect(lintApp(shop(tmp, 'on purpose'))).toEqual([]);
  });
});

describe('netpol lint on the synthesized manifests', () => {
  function lint(...args: string[]): Run {
    return netpol('lint', ...args);
  }

  test('finds what the in-memory lint finds: no NP006 for the tiers whose pods the folder does not hold', () => {
    const app = shop(tmp, 'forgotten');
    app.synth();
    const r = lint(tmp, '-o', 'json');
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { ruleId: string; object: { name: string } }) => `${f.ruleId} ${f.object.name}`)).toEqual([
      'NP013 scraped',
    ]);
    expect(r.code).toBe(0);
    // said to be the whole cluster, the folder has no web and api pods: then NP006 is right
    const whole = JSON.parse(lint(tmp, '--cluster', tmp, '-o', 'json').stdout);
    expect(
      whole.findings.map((f: { ruleId: string; path: string; object: { name: string } }) => `${f.ruleId} ${f.object.name} ${f.path}`),
    ).toContain('NP006 web spec.podSelector');
  });
});
