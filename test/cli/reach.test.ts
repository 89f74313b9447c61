import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol, ROOT } from './run';

const SHOP = path.join(ROOT, 'test/fixtures/analysis/cli-shop');
const CORPUS = path.resolve(ROOT, '../shared/conformance/np-guard');

const shop = ['--policies', path.join(SHOP, 'policies.yaml'), '--cluster', path.join(SHOP, 'cluster.yaml')];

test('netpol reach prints the allowed connections as a table by default', () => {
  const r = netpol('reach', ...shop);
  expect(r).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      'FROM       TO         ALLOWED',
      '0.0.0.0/0  ops/debug  All Connections',
      '0.0.0.0/0  shop/web   TCP 8080',
      '::/0       ops/debug  All Connections',
      '::/0       shop/web   TCP 8080',
      'ops/debug  0.0.0.0/0  All Connections',
      'ops/debug  ::/0       All Connections',
      'ops/debug  shop/web   TCP 8080',
      'shop/web   0.0.0.0/0  UDP 53',
      'shop/web   ::/0       UDP 53',
      'shop/web   ops/debug  UDP 53',
      'shop/web   shop/db    TCP 5432',
      '',
    ].join('\n'),
  });
});

test('netpol reach --ports -o json answers each probe for each ordered pair of workloads', () => {
  const r = netpol('reach', ...shop, '--ports', '5432/TCP,53/UDP', '-o', 'json');
  expect(r.code).toBe(0);
  const { connections } = JSON.parse(r.stdout);
  expect(connections).toHaveLength(12);
  expect(connections.filter((c: { allowed: boolean }) => c.allowed)).toEqual([
    { from: 'shop/web', to: 'ops/debug', port: 53, protocol: 'UDP', allowed: true, verdict: 'allowed' },
    { from: 'shop/web', to: 'shop/db', port: 5432, protocol: 'TCP', allowed: true, verdict: 'allowed' },
  ]);
  expect(connections.filter((c: { verdict: string }) => c.verdict === 'depends')).toEqual([]);
});

test('netpol reach --output np-guard with --ipblock-pods ignore reproduces an own case', () => {
  const dir = path.join(ROOT, 'test/fixtures/analysis/controllers');
  const r = netpol(
    'reach',
    '--policies',
    path.join(dir, 'input'),
    '--cluster',
    path.join(dir, 'input'),
    '--output',
    'np-guard',
    '--ipblock-pods',
    'ignore',
  );
  expect(r).toEqual({ code: 0, stderr: '', stdout: fs.readFileSync(path.join(dir, 'expected.txt'), 'utf8') });
});

if (!fs.existsSync(path.join(CORPUS, 'cases.json'))) {
  test('np-guard cases through the CLI are not run: the corpus is absent', () => {
    console.log(`skipping np-guard cases through the CLI: ${CORPUS} not found`);
    expect(fs.existsSync(CORPUS)).toBe(false);
  });
} else {
  describe('np-guard cases through the CLI', () => {
    test.each([
      'netpol-analysis-example-minimal',
      'test_with_named_ports_changed_netpol',
      'semanticDiff-different-topologies-policy-a-with-ipblock',
    ])('%s gives np-guard output on stdout', (name) => {
      const input = path.join(CORPUS, name, 'input');
      const r = netpol('reach', '--policies', input, '--cluster', input, '--output', 'np-guard', '--ipblock-pods', 'ignore');
      expect(r).toEqual({ code: 0, stderr: '', stdout: fs.readFileSync(path.join(CORPUS, name, 'expected.txt'), 'utf8') });
    });

    test('document_with_syntax_error is analysed up to the error with --skip-invalid, which warns on stderr', () => {
      const input = path.join(CORPUS, 'document_with_syntax_error', 'input');
      const r = netpol(
        'reach',
        '--policies',
        input,
        '--cluster',
        input,
        '--output',
        'np-guard',
        '--ipblock-pods',
        'ignore',
        '--skip-invalid',
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(fs.readFileSync(path.join(CORPUS, 'document_with_syntax_error', 'expected.txt'), 'utf8'));
      expect(r.stderr).toMatch(
        /^netpol: warning: .*document_with_syntax_error\.yaml:225: YAML syntax error in document 6: .*; skipped this document and the \d+ after it\n$/,
      );
    });

    test('rejects document_with_syntax_error without --skip-invalid: exit 2, one line naming file and line', () => {
      const input = path.join(CORPUS, 'document_with_syntax_error', 'input');
      const r = netpol('reach', '--policies', input, '--cluster', input, '--output', 'np-guard');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^netpol: .*document_with_syntax_error\.yaml:225: YAML syntax error in document 6: .*; fix the file, or pass --skip-invalid to analyse only the documents before it\n$/,
      );
    });
  });
}

describe('pods of one StatefulSet with labels of their own', () => {
  const F = path.join(ROOT, 'test/fixtures/analysis/statefulset-pods');
  const args = ['--policies', path.join(F, 'policies.yaml'), '--cluster', path.join(F, 'cluster.yaml')];

  test('are told apart: client reaches db-1, which its pod-name selector names, and not db-0', () => {
    const r = netpol('reach', ...args, '-o', 'json');
    expect(r.stderr).toBe('');
    const pairs = (JSON.parse(r.stdout).connections as Array<{ from: string; to: string; connections: string }>)
      .filter((c) => c.from === 'data/client')
      .map((c) => `${c.to} ${c.connections}`);
    expect(pairs).toEqual(['data/db-1 TCP 5432']);
    expect(netpol('explain', ...args, '--from', 'data/client', '--to', 'data/db-0', '--port', '5432').stdout.split('\n')[0]).toBe(
      'data/client -> data/db-0 on TCP 5432: denied',
    );
    expect(netpol('explain', ...args, '--from', 'data/client', '--to', 'data/db-1', '--port', '5432').stdout.split('\n')[0]).toBe(
      'data/client -> data/db-1 on TCP 5432: allowed',
    );
  });

  test('the StatefulSet by its name is refused, naming its pods', () => {
    const r = netpol('explain', ...args, '--from', 'data/client', '--to', 'data/db', '--port', '5432');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'netpol: --to: "data/db" is StatefulSet db, whose pods carry different labels and are told apart; write one of "data/db-0", "data/db-1"\n',
    });
  });
});

describe('bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-reach-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('rejects an invalid policy: exit 2, one line per problem naming file, document and field, no stack trace', () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      file,
      '{kind: Pod, metadata: {name: p}}\n---\n{kind: NetworkPolicy, metadata: {name: a}, spec: {ingress: [{ports: [{port: 80, endPort: 79}, {protocol: icmp}]}]}}\n',
    );
    const r = netpol('reach', '--policies', file, '--cluster', file);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: [
        `netpol: ${file}#1: spec.ingress[0].ports[0].endPort: endPort 79 is below port 80; endPort must be greater than or equal to port`,
        `netpol: ${file}#1: spec.ingress[0].ports[1].protocol: protocol "icmp" is not supported; use "TCP", "UDP" or "SCTP" (upper case)`,
        '',
      ].join('\n'),
    });
  });

  test('rejects bad probes and probes with the np-guard format', () => {
    expect(netpol('reach', ...shop, '--ports', '80/TCP,http')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'netpol: --ports: "http" is not a probe; write port/protocol, e.g. "80/TCP" or "53/UDP"\n',
    });
    expect(netpol('reach', ...shop, '--ports', '80', '-o', 'np-guard')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'netpol: --ports: the np-guard format lists connection sets and has no probes; leave out the probes, or use the table or json output\n',
    });
  });

  test('rejects a missing path and a missing --cluster with exit 2', () => {
    expect(netpol('reach', '--policies', path.join(dir, 'nope'), '--cluster', path.join(SHOP, 'cluster.yaml'))).toEqual({
      code: 2,
      stdout: '',
      stderr: `netpol: ${path.join(dir, 'nope')}: no such file or folder\n`,
    });
    const r = netpol('reach', '--policies', path.join(SHOP, 'policies.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--cluster <path...>' not specified");
  });

  test('warns on stderr about what it passes over, and still exits 0', () => {
    const file = path.join(dir, 'warn.yaml');
    fs.writeFileSync(
      file,
      '{kind: NetworkPolicy, metadata: {name: a}, spec: {policyTypes: [Egress], ingress: [{}]}}\n---\n{kind: Pod, metadata: {name: p}}\n',
    );
    const r = netpol('reach', '--policies', file, '--cluster', file, '-o', 'np-guard');
    expect(r).toEqual({
      code: 0,
      stdout: '0.0.0.0-255.255.255.255[External] => default/p[Pod] : All Connections\n',
      stderr: `netpol: warning: ${file}#0: spec.ingress: policyTypes ["Egress"] does not list Ingress, so Kubernetes ignores the 1 ingress rule(s); they are left out of the analysis\n`,
    });
  });
});
