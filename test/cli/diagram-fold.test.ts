import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol, SHOP_WORKLOADS, shopPolicies, writeFiles } from '../report/diff/cli-fixtures';

jest.setTimeout(60_000);

let dir: string;
let policies: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diagram-fold-'));
  writeFiles(dir, { 'policies/shop.yaml': shopPolicies('10.20.0.0/24'), 'cluster/shop.yaml': SHOP_WORKLOADS });
  policies = path.join(dir, 'policies');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CAPTION =
  'folded: 2 namespaces, 4 pod groups, one box per namespace (more than 3 pod groups). ' +
  'Use --fold none to draw every pod group, or --namespace for some namespaces';

test('netpol diagram past --max-groups pod groups draws one box per namespace and says so in the picture and on stderr', () => {
  // the inferred cluster has four pod groups: the shop's frontend, backend and others, and the other namespaces
  const run = netpol('diagram', '--policies', policies, '--max-groups', '3');
  expect(run.code).toBe(0);
  expect(run.stderr).toBe(`netpol: ${CAPTION}\n`);
  expect(run.stdout.split('\n')).toEqual([
    '---',
    `title: "${CAPTION}"`,
    '---',
    'flowchart LR',
    '  ns_others["other namespaces<br/>1 pod group<br/>among them: 1 flow: All Connections"]',
    '  ns_shop["namespace shop<br/>3 pod groups<br/>among them: 1 flow: TCP 8080"]',
    '  src1(["0.0.0.0/0<br/>::/0"])',
    '  dst1(["0.0.0.0/0 except 10.20.0.0/24<br/>+ ::/0"])',
    '  dst2(["10.20.0.0/24"])',
    '  src1 -->|"1 flow: All Connections"| ns_others',
    '  ns_others -->|"1 flow: All Connections"| dst1',
    '  ns_others -->|"1 flow: All Connections"| dst2',
    // the backend reaches the other namespaces' pods only if their IPs lie in the database's range
    '  ns_shop -.->|"1 flow, 1 depends: TCP 5432 if destination IP in 10.20.0.0/24"| ns_others',
    '  ns_shop -->|"1 flow: TCP 5432"| dst2',
    '  classDef external fill:#f4f4f4,stroke:#888888,stroke-dasharray:4 3',
    '  class src1,dst1,dst2 external',
    '  classDef folded fill:#eef3f9,stroke:#9db3cc',
    '  class ns_others,ns_shop folded',
    '',
  ]);
});

test('netpol diagram up to --max-groups pod groups, or with --fold none, draws every pod group as before', () => {
  const plain = netpol('diagram', '--policies', policies);
  expect(plain.code).toBe(0);
  expect(plain.stderr).toBe('');
  expect(plain.stdout.startsWith('flowchart LR\n  subgraph ns_others["other namespaces"]\n')).toBe(true);
  expect(netpol('diagram', '--policies', policies, '--max-groups', '4')).toEqual(plain);
  expect(netpol('diagram', '--policies', policies, '--fold', 'none', '--max-groups', '0')).toEqual(plain);
});

test('netpol diagram --fold namespaces folds whatever the size, in DOT with the caption as the graph label', () => {
  const run = netpol('diagram', '--policies', policies, '--cluster', path.join(dir, 'cluster'), '--fold', 'namespaces', '-o', 'dot');
  expect(run.code).toBe(0);
  const caption =
    'folded: 1 namespace, 2 pod groups, one box per namespace (asked for). ' +
    'Use --fold none to draw every pod group, or --namespace for some namespaces';
  expect(run.stderr).toBe(`netpol: ${caption}\n`);
  expect(run.stdout).toContain(`  label="${caption}"; labelloc=t; labeljust=l; mclimit=0.2; nslimit=2; nslimit1=2;\n`);
  expect(run.stdout).toContain('  "ns_shop" [label="namespace shop\\n2 pod groups\\namong them: 1 flow: TCP 8080", ');
});

test('netpol diagram --out-file writes the folded page and prints both lines', () => {
  const out = path.join(dir, 'folded.html');
  const run = netpol('diagram', '--policies', policies, '--max-groups', '3', '--out-file', out);
  expect(run).toMatchObject({ code: 0, stdout: '', stderr: `netpol: ${CAPTION}\nnetpol: wrote html diagram to ${out}\n` });
  expect(fs.readFileSync(out, 'utf8')).toContain(`<p class="folded">${CAPTION}</p>`);
});

test('netpol diagram rejects a --max-groups that is no count with exit code 2 and one line', () => {
  const run = netpol('diagram', '--policies', policies, '--max-groups', 'many');
  expect(run).toMatchObject({
    code: 2,
    stdout: '',
    stderr: 'netpol: --max-groups: "many" is not a number of pod groups; give a whole number, e.g. --max-groups 200\n',
  });
});

test('netpol diagram rejects an unknown --fold with exit code 2', () => {
  const run = netpol('diagram', '--policies', policies, '--fold', 'all');
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    "error: option '--fold <mode>' argument 'all' is invalid. Allowed choices are auto, none, namespaces, merge.",
  );
});

describe('merging namespaces with the same connections', () => {
  let teams: string;
  beforeAll(() => {
    const files: Record<string, string> = {};
    for (const t of ['t1', 't2', 't3']) {
      files[`teams/${t}.yaml`] = [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: from-gw',
        `  namespace: ${t}`,
        'spec:',
        '  podSelector: {}',
        '  policyTypes: [Ingress]',
        '  ingress:',
        '    - from:',
        '        - namespaceSelector:',
        '            matchLabels:',
        '              kubernetes.io/metadata.name: gw',
        '      ports:',
        '        - port: 8080',
        '',
      ].join('\n');
    }
    writeFiles(dir, files);
    teams = path.join(dir, 'teams');
  });

  const MERGED =
    'folded: 5 namespaces, 5 pod groups, one box per namespace (more than 1 pod group), then 3 namespaces with the same ' +
    'connections in 1 shared box (more than 10 arrows): 3 boxes, 10 arrows. Use --fold none to draw every pod group, ' +
    'or --namespace for some namespaces';

  test('netpol diagram past --max-edges arrows puts namespaces with the same connections in one box and says so', () => {
    const run = netpol('diagram', '--policies', teams, '--max-groups', '1', '--max-edges', '10');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`netpol: ${MERGED}\n`);
    expect(run.stdout.split('\n')).toEqual([
      '---',
      `title: "${MERGED}"`,
      '---',
      'flowchart LR',
      '  ns_others["other namespaces<br/>1 pod group<br/>among them: 1 flow: All Connections"]',
      '  ns_gw["namespace gw<br/>1 pod group<br/>among them: 1 flow: All Connections"]',
      '  nss_t1["3 namespaces: t1, t2, t3<br/>3 pod groups"]',
      '  %% nss_t1: t1, t2, t3',
      '  src1(["0.0.0.0/0<br/>::/0"])',
      '  dst1(["0.0.0.0/0<br/>::/0"])',
      '  src1 -->|"1 flow: All Connections"| ns_others',
      '  src1 -->|"1 flow: All Connections"| ns_gw',
      '  ns_others -->|"1 flow: All Connections"| ns_gw',
      '  ns_others -->|"1 flow: All Connections"| dst1',
      '  ns_gw -->|"1 flow: All Connections"| ns_others',
      '  ns_gw -->|"3 flows: TCP 8080"| nss_t1',
      '  ns_gw -->|"1 flow: All Connections"| dst1',
      '  nss_t1 -->|"3 flows: All Connections"| ns_others',
      '  nss_t1 -->|"3 flows: All Connections"| ns_gw',
      '  nss_t1 -->|"3 flows: All Connections"| dst1',
      '  classDef external fill:#f4f4f4,stroke:#888888,stroke-dasharray:4 3',
      '  class src1,dst1 external',
      '  classDef folded fill:#eef3f9,stroke:#9db3cc',
      '  class ns_others,ns_gw,nss_t1 folded',
      '',
    ]);
    // 18 arrows with one box per namespace: up to --max-edges 18 nothing is merged
    const unmerged = netpol('diagram', '--policies', teams, '--max-groups', '1', '--max-edges', '18');
    expect(unmerged.stderr).toBe(
      'netpol: folded: 5 namespaces, 5 pod groups, one box per namespace (more than 1 pod group). ' +
        'Use --fold none to draw every pod group, or --namespace for some namespaces\n',
    );
    expect(unmerged.stdout.match(/-->/g)).toHaveLength(18);
  });

  test('netpol diagram --fold merge merges whatever the size, in DOT with the names in a tooltip', () => {
    const run = netpol('diagram', '--policies', teams, '--fold', 'merge', '-o', 'dot');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^netpol: folded: .*then 3 namespaces with the same connections in 1 shared box \(asked for\)/);
    expect(run.stdout).toContain('tooltip="t1, t2, t3"];\n');
  });

  test('netpol diagram rejects a --max-edges that is no count with exit code 2 and one line', () => {
    expect(netpol('diagram', '--policies', teams, '--max-edges', '-3')).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'netpol: --max-edges: "-3" is not a number of arrows; give a whole number, e.g. --max-edges 400\n',
    });
  });
});
