/**
 * The cdk8s validation plugin: loaded by the cdk8s CLI's own loader from the path that goes
 * into `cdk8s.yaml`, run on manifests, its report read back as the CLI writes it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetpolLintValidation } from '../../../lib/check/plugin';
import { fixture } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'node_modules/cdk8s-cli/lib');
/** The `validations:` entry of this repository's cdk8s.yaml. */
const ENTRY = { package: './lib/check/plugin/cdk8s-plugin.js', version: '0.1.0', class: 'NetpolLintValidation' };

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-plugin-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * Runs the CLI's `validateApp` (what `cdk8s synth` calls after synthesis) in a plain Node.js
 * process from the project root, as the CLI does, and returns its exit code and JSON reports.
 */
function cdk8sValidate(manifests: string[], properties: Record<string, unknown> = {}) {
  const reports = path.join(work, 'reports.json');
  const script = `
    const { PluginManager } = require(${JSON.stringify(path.join(CLI, 'plugins/_manager.js'))});
    const { validateApp } = require(${JSON.stringify(path.join(CLI, 'util.js'))});
    const [manifests, validation, pluginsDir, reports] = JSON.parse(process.argv[1]);
    validateApp({ manifests }, false, [validation], new PluginManager(pluginsDir), reports)
      .catch((e) => { console.error(e.stack); process.exit(3); });
  `;
  const args = JSON.stringify([manifests, { ...ENTRY, properties }, path.join(work, 'plugins'), reports]);
  const r = spawnSync(process.execPath, ['-e', script, args], { cwd: ROOT, encoding: 'utf8' });
  const json = fs.existsSync(reports) ? JSON.parse(fs.readFileSync(reports, 'utf8')) : undefined;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, report: json?.reports?.[0] };
}

describe('NetpolLintValidation through the cdk8s CLI loader', () => {
  test('reports the seed mistakes as violations and fails the synth (exit 2)', () => {
    const r = cdk8sValidate([fixture('seeds/policies.yaml'), fixture('seeds/cluster.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Validation failed');
    expect(r.report.title).toBe(`Validation Report (${path.join(ROOT, 'lib/check/plugin/cdk8s-plugin.js')}@0.1.0)`);
    expect(r.report.summary).toEqual({
      status: 'failure',
      plugin: path.join(ROOT, 'lib/check/plugin/cdk8s-plugin.js'),
      version: '0.1.0',
      metadata: { findings: '4 findings (4 errors)', failOn: 'error' },
    });
    // the synthesized folder is not the whole cluster: the pods it does not show count, NP006 waits for the cluster property
    expect(r.report.violations.map((v: { ruleName: string }) => v.ruleName)).toEqual([
      'NP001 egress-without-dns (error)',
      'NP002 one-sided-allowance (error)',
      'NP002 one-sided-allowance (error)',
      'NP010 split-peer (error)',
    ]);
    expect(r.report.violations[1]).toEqual({
      ruleName: 'NP002 one-sided-allowance (error)',
      recommendation:
        "this egress rule allows connections that the destination's ingress does not admit, so they are dropped: shop/web -> data/db on TCP 5432 (data/db is isolated for ingress by data/db, data/default-deny)",
      fix: 'admit the source in an ingress rule of a policy that selects the destination (Tier.allowTo writes both ends), or remove this peer',
      violatingConstructs: [
        {
          resourceName: 'web',
          locations: ['NetworkPolicy shop/web spec.egress[1].to[0] (line 74)'],
          manifestPath: fixture('seeds/policies.yaml'),
        },
      ],
    });
  });

  test('passes when no finding reaches failOn, still listing the findings', () => {
    const r = cdk8sValidate([fixture('np006/noncompliant.yaml')], { failOn: 'error' });
    expect(r.code).toBe(0);
    expect(r.report.summary.status).toBe('success');
    expect(r.report.violations.map((v: { ruleName: string }) => v.ruleName)).toEqual([
      'NP003 no-default-deny-ingress (warning)',
      'NP004 no-default-deny-egress (warning)',
      'NP003 no-default-deny-ingress (warning)',
      'NP004 no-default-deny-egress (warning)',
    ]);
  });

  test('takes the pod CIDRs and failOn from the properties', () => {
    const r = cdk8sValidate([fixture('np005/noncompliant.yaml')], { podCidrs: ['10.244.0.0/16'], failOn: 'warning' });
    expect(r.code).toBe(2);
    expect(
      r.report.violations
        .filter((v: { ruleName: string }) => v.ruleName.startsWith('NP005'))
        .map((v: { recommendation: string }) => v.recommendation),
    ).toEqual([
      'ipBlock 10.0.0.0/8 overlaps the pod CIDR 10.244.0.0/16; ipBlock is for addresses outside the cluster, and pod and service addresses are not matched reliably',
    ]);
  });
});

describe('NetpolLintValidation with a context built as the CLI builds it', () => {
  const { ValidationContext } = require(path.join(CLI, 'plugins/validation.js'));

  test('lints each folder of the output as one cluster, and leaves suppressed findings out', async () => {
    const a = path.join(work, 'dev');
    const b = path.join(work, 'prod');
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    fs.copyFileSync(fixture('np010/noncompliant.yaml'), path.join(a, 'shop.k8s.yaml'));
    fs.copyFileSync(fixture('np010/noncompliant.yaml'), path.join(b, 'shop.k8s.yaml'));
    fs.copyFileSync(fixture('suppression/with-reasons.yaml'), path.join(b, 'jobs.k8s.yaml'));
    const context = new ValidationContext(
      [path.join(a, 'shop.k8s.yaml'), path.join(b, 'jobs.k8s.yaml'), path.join(b, 'shop.k8s.yaml')],
      'cdk8s-netpol',
      '0.1.0',
      { api: { path: 'shop/api' } },
      false,
    );
    await new NetpolLintValidation({ failOn: 'never' }).validate(context);
    const report = context.report.toJson();
    expect(report.summary.status).toBe('success');
    expect(
      report.violations
        .filter((v: { ruleName: string }) => v.ruleName.startsWith('NP010'))
        .map((v: { violatingConstructs: unknown[] }) => v.violatingConstructs),
    ).toEqual([
      [
        {
          resourceName: 'api',
          constructPath: 'shop/api',
          locations: ['NetworkPolicy shop/api spec.ingress[0].from[1] (line 14)'],
          manifestPath: path.join(a, 'shop.k8s.yaml'),
        },
      ],
      [
        {
          resourceName: 'api',
          constructPath: 'shop/api',
          locations: ['NetworkPolicy shop/api spec.ingress[0].from[1] (line 14)'],
          manifestPath: path.join(b, 'shop.k8s.yaml'),
        },
      ],
    ]);
    expect(report.violations.some((v: { ruleName: string }) => v.ruleName.startsWith('NP009'))).toBe(false);
    expect(report.summary.metadata.findings).toBe('8 findings (2 errors, 6 warnings), 1 suppressed');
  });

  test('reports unreadable manifests as a failure', async () => {
    const bad = path.join(work, 'bad.k8s.yaml');
    fs.writeFileSync(bad, 'kind: NetworkPolicy\nmetadata: {name: x\n');
    const context = new ValidationContext([bad], 'cdk8s-netpol', '0.1.0', {}, false);
    await new NetpolLintValidation().validate(context);
    const report = context.report.toJson();
    expect(report.summary.status).toBe('failure');
    expect(report.violations.map((v: { ruleName: string }) => v.ruleName)).toEqual(['netpol-lint: unreadable input']);
  });

  test('throws for a failOn that is not a severity', () => {
    expect(() => new NetpolLintValidation({ failOn: 'fatal' as never })).toThrow(
      'properties.failOn: failOn "fatal" is not a severity; use "error", "warning", "info" or "never"',
    );
  });

  test('throws for a DNS port that is not a port', () => {
    expect(() => new NetpolLintValidation({ dnsPorts: ['dns'] })).toThrow(
      'properties.dnsPorts[0]: "dns" is not a DNS port; write a number from 1 to 65535, optionally with a protocol, e.g. 5353 or "5353/UDP"',
    );
  });
});
