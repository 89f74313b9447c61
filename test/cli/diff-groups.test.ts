import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol, writeFiles } from '../report/diff/cli-fixtures';

jest.setTimeout(60_000);

/** The backend admits the web tier on these ports; everything else in the namespace is denied. */
function policies(ports: number[]): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: { name: default-deny, namespace: shop }',
    'spec: { podSelector: {}, policyTypes: [Ingress] }',
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: { name: backend, namespace: shop }',
    'spec:',
    '  podSelector: { matchLabels: { app: backend } }',
    '  policyTypes: [Ingress]',
    '  ingress:',
    '    - from: [{ podSelector: { matchLabels: { app: web } } }]',
    `      ports: [${ports.map((p) => `{ port: ${p} }`).join(', ')}]`,
    '',
  ].join('\n');
}

/** Three web Deployments alike, and the backend. */
const CLUSTER = ['web-1', 'web-2', 'web-3', 'backend']
  .map((name) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      `metadata: { name: ${name}, namespace: shop }`,
      'spec:',
      `  selector: { matchLabels: { app: ${name.startsWith('web') ? 'web' : 'backend'} } }`,
      '  template:',
      `    metadata: { labels: { app: ${name.startsWith('web') ? 'web' : 'backend'} } }`,
      '    spec: { containers: [{ name: c, image: x }] }',
    ].join('\n'),
  )
  .join('\n---\n');

let dir: string;
let args: string[];
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-groups-'));
  writeFiles(dir, { 'before/p.yaml': policies([8080]), 'after/p.yaml': policies([8080, 8443]), 'cluster/c.yaml': CLUSTER });
  args = [path.join(dir, 'before'), path.join(dir, 'after'), '--cluster', path.join(dir, 'cluster')];
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LINE = '3 changed flows shown as 1 between 2 workload groups and address ranges; --detail workloads lists every flow';

test('netpol diff --detail groups prints one row per pair of groups with PAIRS and says so', () => {
  const run = netpol('diff', ...args, '--detail', 'groups');
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  const before = path.join(dir, 'before');
  const after = path.join(dir, 'after');
  expect(run.stdout).toBe(
    [
      `${before} → ${after}: 0 flows added, 0 removed, 3 changed`,
      LINE,
      '',
      'Changed ports',
      '  FROM             TO            PAIRS  BEFORE    AFTER',
      '  shop/web-1 (+2)  shop/backend      3  TCP 8080  TCP 8080,8443',
      '',
      'Workload groups',
      '  GROUP            WORKLOADS',
      '  shop/web-1 (+2)  shop/web-1, shop/web-2, shop/web-3',
      '',
      'Policies changed',
      '  shop/backend (changed; 3 flows of its pods changed)',
      '    + ingress from pods app=web: TCP 8443',
      '',
    ].join('\n'),
  );
});

test('netpol diff lists every flow below 10,000 changed flows, and -o json --detail groups says so on stderr', () => {
  const plain = netpol('diff', ...args);
  expect(plain.stdout).toContain('  shop/web-3  shop/backend  TCP 8080  TCP 8080,8443\n');
  expect(plain.stdout).not.toContain('PAIRS');
  expect(netpol('diff', ...args, '--detail', 'workloads')).toEqual(plain);
  const json = netpol('diff', ...args, '-o', 'json', '--detail', 'groups');
  expect(json.stderr).toBe(`netpol: ${LINE}\n`);
  expect(JSON.parse(json.stdout)).toMatchObject({ grouped: LINE, flows: [{ pairs: 3, from: { name: 'shop/web-1 (+2)' } }] });
});

test('netpol diff rejects an unknown --detail with exit code 2', () => {
  const run = netpol('diff', ...args, '--detail', 'pods');
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("error: option '--detail <level>' argument 'pods' is invalid. Allowed choices are auto, groups, workloads.");
});
