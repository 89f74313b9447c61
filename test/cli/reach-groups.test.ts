import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol, ROOT } from './run';

const F = path.join(ROOT, 'test/fixtures/analysis/reach-groups');
const args = ['--policies', path.join(F, 'policies.yaml'), '--cluster', path.join(F, 'cluster.yaml')];

test('--detail groups prints flows between groups with their pairs, a depends flow with its condition, then the groups', () => {
  expect(netpol('reach', ...args, '--detail', 'groups')).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      '26 flows shown as 10 between 3 workload groups and address ranges; --detail workloads lists every flow',
      '',
      'FROM                      TO              PAIRS  ALLOWED',
      '0.0.0.0-9.255.255.255     ops/debug (+1)      2  All Connections',
      '10.0.0.0/8                ops/debug (+1)      2  All Connections',
      '10.0.0.0/8                shop/api (+2)       3  TCP 8080',
      '11.0.0.0-255.255.255.255  ops/debug (+1)      2  All Connections',
      '::/0                      ops/debug (+1)      2  All Connections',
      'ops/debug (+1)            0.0.0.0/0           2  All Connections',
      'ops/debug (+1)            ::/0                2  All Connections',
      'ops/debug (+1)            ops/debug (+1)      2  All Connections',
      'ops/debug (+1)            shop/api (+2)       6  TCP 8080 if source IP in 10.0.0.0/8',
      'shop/api (+2)             shop/db             3  TCP 5432',
      '',
      'GROUP           WORKLOADS',
      'ops/debug (+1)  ops/debug, ops/shell',
      'shop/api (+2)   shop/api, shop/api-canary, shop/api-v2',
      '',
    ].join('\n'),
  });
});

test('the small input is listed pair by pair by default, as with --detail workloads', () => {
  const r = netpol('reach', ...args);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')[0]).toBe('FROM                      TO               ALLOWED');
  expect(r.stdout.split('\n')).toHaveLength(28);
  expect(r.stdout).toContain('\nops/shell                 shop/api-canary  TCP 8080 if source IP in 10.0.0.0/8\n');
  expect(netpol('reach', ...args, '--detail', 'workloads')).toEqual(r);
});

test('-o json --detail groups keeps stdout a JSON document and says it is grouped on stderr', () => {
  const r = netpol('reach', ...args, '--detail', 'groups', '-o', 'json', '--ports', '8080');
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('netpol: 30 pairs of workloads shown as 8 pairs of 3 workload groups; --detail workloads lists every pair\n');
  const json = JSON.parse(r.stdout);
  expect(json.detail).toBe('groups');
  expect(json.flows).toBe(30);
  expect(json.groups).toContainEqual({ name: 'shop/api (+2)', workloads: ['shop/api', 'shop/api-canary', 'shop/api-v2'] });
  expect(json.connections).toContainEqual({
    from: 'ops/debug (+1)',
    to: 'shop/api (+2)',
    port: 8080,
    protocol: 'TCP',
    allowed: false,
    verdict: 'depends',
    depends: [{ if: 'source IP in 10.0.0.0/8', portNames: [] }],
    pairs: 6,
  });
});

test('--detail groups with np-guard is refused before reading, naming the flag', () => {
  const r = netpol('reach', '--policies', 'missing.yaml', '--cluster', 'missing.yaml', '--detail', 'groups', '-o', 'np-guard');
  expect(r).toEqual({
    code: 2,
    stdout: '',
    stderr:
      'netpol: --detail: the np-guard format lists one line per pair of owners and has no groups; leave out the detail, ' +
      'or use the table or json output\n',
  });
});

describe('a cluster with more than 10000 flows', () => {
  let dir: string;
  let cluster: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-reach-big-'));
    cluster = path.join(dir, 'cluster.yaml');
    // 120 pods no policy tells apart: 120 × 119 pairs, and 4 × 120 with the outside
    const pods = Array.from({ length: 120 }, (_, i) => `kind: Pod\nmetadata: {name: p${String(i).padStart(3, '0')}, namespace: big}`);
    fs.writeFileSync(cluster, ['kind: Namespace\nmetadata: {name: big}', ...pods].join('\n---\n'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is grouped by default and says so in its first line', () => {
    const r = netpol('reach', '--policies', cluster, '--cluster', cluster);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 8)).toEqual([
      '14760 flows shown as 5 between 1 workload group and address ranges; --detail workloads lists every flow',
      '',
      'FROM             TO               PAIRS  ALLOWED',
      '0.0.0.0/0        big/p000 (+119)    120  All Connections',
      '::/0             big/p000 (+119)    120  All Connections',
      'big/p000 (+119)  0.0.0.0/0          120  All Connections',
      'big/p000 (+119)  ::/0               120  All Connections',
      'big/p000 (+119)  big/p000 (+119)  14280  All Connections',
    ]);
  });

  test('--detail workloads lists every flow, through --out-file as well', () => {
    const out = path.join(dir, 'reach.txt');
    const r = netpol('reach', '--policies', cluster, '--cluster', cluster, '--detail', 'workloads', '--out-file', out);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const lines = fs.readFileSync(out, 'utf8').split('\n');
    expect(lines).toHaveLength(14760 + 2);
    expect(lines[1]).toBe('0.0.0.0/0  big/p000   All Connections');
    expect(fs.readdirSync(dir).sort()).toEqual(['cluster.yaml', 'reach.txt']);
  });
});
