/**
 * `netpol lint` as users run it: output on stdout, the summary on stderr, and the exit code
 * that `--fail-on` decides (2 for usage and input errors).
 */
import * as fs from 'fs';
import * as path from 'path';
import { netpol as run, ROOT, Run } from '../../cli/run';

const SEEDS = 'test/fixtures/lint/seeds';

/** Runs `netpol lint <args>` from the repository root. */
function netpol(...args: string[]): Run {
  return run('lint', ...args);
}

describe('netpol lint', () => {
  test('prints one line per finding for the seed mistakes and exits 1 on errors', () => {
    const r = netpol(SEEDS, '--cluster', SEEDS);
    expect(r.stdout.split('\n')).toEqual([
      "test/fixtures/lint/seeds/policies.yaml#4 shop/web spec.egress[1].to[0]: NP002 error: this egress rule allows connections that the destination's ingress does not admit, so they are dropped: shop/web -> data/db on TCP 5432 (data/db is isolated for ingress by data/db, data/default-deny). Fix: admit the source in an ingress rule of a policy that selects the destination (Tier.allowTo writes both ends), or remove this peer.",
      'test/fixtures/lint/seeds/policies.yaml#5 shop/api spec.ingress[1].from[1].podSelector: NP006 warning: podSelector app=prometheus selects no pod of namespace shop in the given manifests (the pods there have app=api and app=web), so this peer matches nothing. Fix: correct the labels; to select pods of another namespace, add a namespaceSelector to the same peer.',
      'test/fixtures/lint/seeds/policies.yaml#5 shop/api spec.ingress[1].from[1]: NP010 error: from[1] (pods app=prometheus) and from[0] (namespace monitoring) are separate peers, so the rule matches all pods of namespace monitoring OR pods app=prometheus of namespace shop; for pods app=prometheus in namespace monitoring, write one peer with both selectors. Fix: merge from[0] and from[1] into one peer that has both namespaceSelector and podSelector (no dash before podSelector), or suppress NP010 with the reason both are meant.',
      '',
    ]);
    expect(r.stderr).toBe('netpol lint: 3 findings (2 errors, 1 warning)\n');
    expect(r.code).toBe(1);
  });

  test('without --cluster, the workloads beside the policies are not the whole cluster: no NP006, and the pods they may not show count', () => {
    const r = netpol(SEEDS, '-o', 'json');
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { ruleId: string; object: { name: string } }) => `${f.ruleId} ${f.object.name}`)).toEqual([
      'NP001 default-deny',
      'NP002 web',
      'NP002 api',
      'NP010 api',
    ]);
    expect(json.findings[2].message).toBe(
      "this ingress rule admits connections that the source's egress does not allow, so they are never made: pods app=prometheus of shop -> shop/api on TCP 9090 (pods app=prometheus of shop is isolated for egress by shop/allow-dns, shop/default-deny)",
    );
  });

  test('--fail-on decides the exit code: never passes, warning fails on warnings', () => {
    expect(netpol(SEEDS, '--fail-on', 'never').code).toBe(0);
    const warningsOnly = 'test/fixtures/lint/np006/noncompliant.yaml';
    expect(netpol(warningsOnly, '--cluster', warningsOnly).code).toBe(0);
    expect(netpol(warningsOnly, '--cluster', warningsOnly, '--fail-on', 'warning').code).toBe(1);
  });

  test('--cluster reads the workloads from other paths than the policies', () => {
    const r = netpol(`${SEEDS}/policies.yaml`, '--cluster', `${SEEDS}/cluster.yaml`, '-o', 'json');
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['NP002', 'NP006', 'NP010']);
    expect(json.summary).toEqual({ error: 2, warning: 1, info: 0, suppressed: 0 });
    expect(r.code).toBe(1);
  });

  test('--output sarif writes a SARIF 2.1.0 log with suppressed results marked', () => {
    const r = netpol('test/fixtures/lint/suppression/suppressed.yaml', '-o', 'sarif', '--fail-on', 'never');
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results as Array<{
      ruleId: string;
      suppressions?: unknown[];
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
    }>;
    expect(results.map((x) => [x.ruleId, x.suppressions !== undefined])).toEqual([
      ['NP003', true],
      ['NP004', true],
      ['NP012', false],
      ['NP008', true],
      ['NP009', false],
    ]);
    expect(results[2].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'test/fixtures/lint/suppression/suppressed.yaml' },
      region: { startLine: 23 },
    });
    expect(r.code).toBe(0);
  });

  test('--pod-cidr and --dns-port feed NP005 and NP001', () => {
    const r = netpol('test/fixtures/lint/np005/noncompliant.yaml', '--pod-cidr', '10.244.0.0/16', '--dns-port', '5353/UDP', '-o', 'json');
    const json = JSON.parse(r.stdout);
    const messages = json.findings
      .filter((f: { ruleId: string }) => ['NP001', 'NP005'].includes(f.ruleId))
      .map((f: { message: string }) => f.message);
    expect(messages).toEqual([
      'this policy isolates the egress of pods app=web of shop, and no policy allows it DNS (UDP 5353), so name lookups fail',
      'ipBlock 10.0.0.0/8 overlaps the pod CIDR 10.244.0.0/16; ipBlock is for addresses outside the cluster, and pod and service addresses are not matched reliably',
    ]);
  });

  test('rejects a bad --pod-cidr with exit 2 and one line naming the option', () => {
    const r = netpol(SEEDS, '--pod-cidr', '10.244.0.0');
    expect(r.stderr).toBe('netpol: --pod-cidr: CIDR mask is missing in "10.244.0.0". Did you mean "10.244.0.0/32"?\n');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  test('rejects a missing path and a call without paths with exit 2', () => {
    const missing = netpol('no/such/dir');
    expect(missing.stderr).toBe('netpol: no/such/dir: no such file or folder\n');
    expect(missing.code).toBe(2);
    const none = netpol();
    expect(none.stderr).toBe('netpol: give at least one file or folder of NetworkPolicy manifests, e.g. "netpol lint deploy/"\n');
    expect(none.code).toBe(2);
  });

  test('--list-rules prints the rules reference that docs/lint-rules.md holds', () => {
    const r = netpol('--list-rules');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(ROOT, 'docs/lint-rules.md'), 'utf8'));
  });
});
