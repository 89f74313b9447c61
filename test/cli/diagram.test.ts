import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol, SHOP_WORKLOADS, shopPolicies, writeFiles } from '../report/diff/cli-fixtures';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diagram-cli-'));
  writeFiles(dir, { 'policies/shop.yaml': shopPolicies('10.20.0.0/24'), 'cluster/shop.yaml': SHOP_WORKLOADS });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('netpol diagram prints a Mermaid flowchart of pod groups inferred from the policies', () => {
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'));
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  // besides the shop's groups, the inferred cluster has the pods no policy names, in the shop
  // and in the other namespaces; those are not isolated, and the backend reaches them (dotted)
  // if their IP lies in the orders database's range
  expect(run.stdout.split('\n')).toEqual([
    'flowchart LR',
    '  subgraph ns_others["other namespaces"]',
    '    w_others_others["(others)"]',
    '  end',
    '  subgraph ns_shop["namespace shop"]',
    '    w_shop_others["(others)"]',
    '    w_shop_backend["backend"]',
    '    w_shop_frontend["frontend"]',
    '  end',
    '  src1(["0.0.0.0/0<br/>::/0"])',
    '  dst1(["0.0.0.0/0 except 10.20.0.0/24<br/>+ ::/0"])',
    '  dst2(["10.20.0.0/24"])',
    '  src1 -->|"All Connections"| w_others_others',
    '  w_others_others -->|"All Connections"| w_others_others',
    '  w_others_others -->|"All Connections"| dst1',
    '  w_others_others -->|"All Connections"| dst2',
    '  w_shop_backend -.->|"TCP 5432 if destination IP in 10.20.0.0/24"| w_others_others',
    '  w_shop_backend -->|"TCP 5432"| dst2',
    '  w_shop_frontend -->|"TCP 8080"| w_shop_backend',
    '  classDef external fill:#f4f4f4,stroke:#888888,stroke-dasharray:4 3',
    '  class src1,dst1,dst2 external',
    '',
  ]);
});

test('netpol diagram --cluster draws the workloads of the manifests', () => {
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'), '--cluster', path.join(dir, 'cluster'), '--output', 'dot');
  expect(run.code).toBe(0);
  expect(run.stdout.startsWith('digraph netpol {\n')).toBe(true);
  expect(run.stdout).toContain('  "w_shop_frontend_deploy" -> "w_shop_backend_deploy" [label="TCP 8080"];');
});

test('netpol diagram --out-file writes the file in the format its extension names', () => {
  const out = path.join(dir, 'reach.html');
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'), '--out-file', out);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(`netpol: wrote html diagram to ${out}\n`);
  const html = fs.readFileSync(out, 'utf8');
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).toContain('<svg ');
  expect(html).toContain('<table class="matrix">');
});

test('netpol diagram without --cluster draws a flow on a named port no known pod declares, dotted', () => {
  writeFiles(dir, {
    'metrics/web.yaml': [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: web, namespace: default}',
      'spec:',
      '  podSelector: {matchLabels: {app: web}}',
      '  policyTypes: [Ingress]',
      '  ingress:',
      '    - {from: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{protocol: TCP, port: 443}]}',
      '    - {from: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{protocol: TCP, port: metrics}]}',
      '',
    ].join('\n'),
  });
  const run = netpol('diagram', '--policies', path.join(dir, 'metrics'), '--ipblock-pods', 'ignore');
  expect(run.code).toBe(0);
  // 443 is open for sure; the port web names metrics, whichever it is, if web declares one
  expect(run.stdout).toContain('  src1 -.->|"TCP 443#59; TCP metrics"| w_default_web\n');
  const dot = netpol('diagram', '--policies', path.join(dir, 'metrics'), '--ipblock-pods', 'ignore', '-o', 'dot');
  expect(dot.stdout).toContain('  "src1" -> "w_default_web" [label="TCP 443; TCP metrics", style=dashed];\n');
});

test('netpol diagram -o svg prints an SVG document; --format is its former name', () => {
  expect(netpol('diagram', '--policies', path.join(dir, 'policies'), '--format', 'svg').stdout).toContain('<svg ');
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'), '-o', 'svg');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('<svg ');
  expect(run.stdout).toContain('<title>w_shop_backend</title>');
});

test('netpol diagram --namespace rejects a namespace without pod groups, naming those there are', () => {
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'), '--namespace', 'nope');
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe('netpol: --namespace: no pod group in namespace "nope"; namespaces with pod groups: (others), shop\n');
});

test('netpol diagram rejects an unknown format with exit code 2', () => {
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'), '--output', 'png');
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    "error: option '-o, --output <format>' argument 'png' is invalid. Allowed choices are mermaid, dot, svg, html.",
  );
});

test('netpol diagram --out-file with a name that tells no format asks for -o instead of writing Mermaid text', () => {
  const out = path.join(dir, 'reach.pdf');
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'), '--out-file', out);
  expect(run).toMatchObject({
    code: 2,
    stdout: '',
    stderr: `netpol: --out-file: "${out}" ends in .pdf, which is no diagram format; name the file *.mmd, *.mermaid, *.dot, *.gv, *.svg, *.html, *.htm, or give -o mermaid, dot, svg or html; for PDF, write DOT and convert it (-o dot | dot -Tpdf)\n`,
  });
  expect(fs.existsSync(out)).toBe(false);
});

test('netpol diagram --out-file into a missing folder is one line and exit code 3', () => {
  const out = path.join(dir, 'no', 'such', 'reach.svg');
  const run = netpol('diagram', '--policies', path.join(dir, 'policies'), '--out-file', out);
  expect(run).toMatchObject({
    code: 3,
    stdout: '',
    stderr: `netpol: --out-file: cannot write "${out}": its folder does not exist (ENOENT); nothing was written there\n`,
  });
});

test('netpol diagram rejects a missing policy folder with exit code 2 and no stack trace', () => {
  const run = netpol('diagram', '--policies', path.join(dir, 'missing'));
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(`netpol: ${path.join(dir, 'missing')}: no such file or folder\n`);
});
