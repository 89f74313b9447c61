import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { DefaultDeny, Direction, Environment, Peer, Port, Tier } from '../../lib';
import { synthEnvironments } from '../../lib/api/synth';

const env = (name: string) => Environment.fromObject({ name, cidrs: { office: '192.0.2.0/24' } }, `${name}.yaml`);

function build(app: App, e: Environment) {
  const chart = new Chart(app, 'web', { namespace: 'web' });
  new DefaultDeny(chart, 'default-deny', { directions: [Direction.INGRESS] });
  new Tier(chart, 'web', { pods: { app: 'web' } }).allowFrom(e.cidr('office'), Port.tcp(443));
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-synth-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('synthEnvironments', () => {
  test('writes one folder per environment with one file per chart and a kustomization', () => {
    const result = synthEnvironments([env('dev'), env('prod')], build, { outdir: dir });
    expect(result.files).toEqual([
      path.join(dir, 'dev', 'kustomization.yaml'),
      path.join(dir, 'dev', 'web.k8s.yaml'),
      path.join(dir, 'prod', 'kustomization.yaml'),
      path.join(dir, 'prod', 'web.k8s.yaml'),
    ]);
    expect(fs.readFileSync(path.join(dir, 'prod', 'web.k8s.yaml'), 'utf8')).toContain('cidr: 192.0.2.0/24');
    expect(fs.readdirSync(dir).sort()).toEqual(['.netpol', 'dev', 'prod']);
    expect(fs.lstatSync(path.join(dir, 'prod')).isSymbolicLink()).toBe(true);
  });

  test('replaces an environment folder as a whole, dropping files of charts that are gone', () => {
    fs.mkdirSync(path.join(dir, 'dev'));
    fs.writeFileSync(path.join(dir, 'dev', 'old-chart.k8s.yaml'), 'stale');
    synthEnvironments([env('dev')], build, { outdir: dir, kustomization: false });
    expect(fs.readdirSync(path.join(dir, 'dev'))).toEqual(['web.k8s.yaml']);
  });

  test('throws with every validation error of every environment and writes nothing', () => {
    fs.mkdirSync(path.join(dir, 'dev'));
    fs.writeFileSync(path.join(dir, 'dev', 'web.k8s.yaml'), 'previous');
    const bad = (app: App) => {
      const chart = new Chart(app, 'web', { namespace: 'web' });
      new Tier(chart, 'web', { pods: { 'a/b/c': 'x' } }).allowFrom(Peer.any());
    };
    expect(() => synthEnvironments([env('dev'), env('prod')], bad, { outdir: dir })).toThrow(
      [
        "dev: [web/web] pods.matchLabels: label key \"a/b/c\" is invalid: a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        "prod: [web/web] pods.matchLabels: label key \"a/b/c\" is invalid: a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ].join('\n'),
    );
    expect(fs.readdirSync(dir)).toEqual(['dev']);
    expect(fs.readFileSync(path.join(dir, 'dev', 'web.k8s.yaml'), 'utf8')).toBe('previous');
  });

  test('throws when two environments share a name', () => {
    expect(() => synthEnvironments([env('dev'), Environment.fromObject({ name: 'dev' }, 'other.yaml')], build, { outdir: dir })).toThrow(
      'other.yaml: environment name "dev" is also used by dev.yaml; each environment needs its own name (it is the output folder)',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a check finding of severity error stops the synth; lower ones are returned', () => {
    const check = (_app: App, e: Environment) =>
      e.name === 'prod'
        ? [{ severity: 'error' as const, message: 'web/web: NP001 error: no DNS' }]
        : [{ severity: 'warning' as const, message: 'web: NP004 warning: no egress deny' }];
    expect(() => synthEnvironments([env('dev'), env('prod')], build, { outdir: dir, check })).toThrow('prod: web/web: NP001 error: no DNS');
    expect(fs.readdirSync(dir)).toEqual([]);
    const ok = synthEnvironments([env('dev')], build, { outdir: dir, check });
    expect(ok.findings).toEqual([{ severity: 'warning', message: 'dev: web: NP004 warning: no egress deny' }]);
  });
});

describe('synthEnvironments and the build function', () => {
  test('throws when build returns a Promise, and writes nothing', () => {
    const asyncBuild = async (app: App, e: Environment) => {
      await Promise.resolve();
      build(app, e);
    };
    expect(() => synthEnvironments([env('dev')], asyncBuild, { outdir: dir })).toThrow(
      'dev: build returned a Promise; build must add its charts before it returns (load what it needs first, then synthesize)',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('throws with the environment when build throws something that is not an Error', () => {
    expect(() =>
      synthEnvironments(
        [env('dev')],
        () => {
          throw null;
        },
        { outdir: dir },
      ),
    ).toThrow('dev: null');
  });
});

test('throws when a chart id cannot be a file name, and writes nothing', () => {
  expect(() =>
    synthEnvironments(
      [env('dev')],
      (app) => {
        new Chart(app, 'Web App', { namespace: 'web' });
      },
      { outdir: dir },
    ),
  ).toThrow(`dev: Web App: chart id "Web App" is used as the file name; use lower-case letters, digits, '-' and '.'`);
  expect(fs.readdirSync(dir)).toEqual([]);
});
