import * as path from 'path';
import { netpol, ROOT } from './run';

const SHOP = path.join(ROOT, 'test/fixtures/analysis/cli-shop');

const shop = ['--policies', path.join(SHOP, 'policies.yaml'), '--cluster', path.join(SHOP, 'cluster.yaml')];

test('netpol explain names the rules that allow a connection', () => {
  expect(netpol('explain', ...shop, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432/TCP')).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      'shop/web -> shop/db on TCP 5432: allowed',
      '  egress from shop/web: isolated by shop/deny-all, shop/web',
      '    allowed by shop/web, egress rule 0: peer 0 (pods app=db) and port entry 0 (TCP 5432)',
      '  ingress to shop/db: isolated by shop/db, shop/deny-all',
      '    allowed by shop/db, ingress rule 0: peer 0 (pods app=web) and port entry 0 (TCP pg = 5432 on shop/db)',
      '',
    ].join('\n'),
  });
});

test('netpol explain says why a connection is denied, and still exits 0', () => {
  expect(netpol('explain', ...shop, '--from', 'ops/debug', '--to', 'shop/db', '--port', '5432')).toEqual({
    code: 0,
    stderr: '',
    stdout: [
      'ops/debug -> shop/db on TCP 5432: denied',
      '  egress from ops/debug: not isolated (no policy selecting it covers Egress), so all traffic out is allowed',
      '  ingress to shop/db: isolated by shop/db, shop/deny-all; no rule allows the connection',
      '    shop/db, ingress rule 0: no peer matches ops/debug (pods app=web)',
      '    shop/deny-all has no ingress rules',
      '',
    ].join('\n'),
  });
});

test('netpol explain -o json gives the verdict per direction', () => {
  const r = netpol('explain', ...shop, '--from', 'shop/web', '--to', '8.8.8.8', '--port', '53/udp', '-o', 'json');
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout);
  expect(json).toMatchObject({ from: 'shop/web', to: '8.8.8.8', port: 53, protocol: 'UDP', allowed: true, verdict: 'allowed' });
  expect(json.egress.rules).toEqual([
    { policy: 'shop/web', rule: 0, matchingPeers: [], matchingPorts: [], allows: false, verdict: 'denied' },
    { policy: 'shop/web', rule: 1, matchingPeers: 'any', matchingPorts: [0], allows: true, verdict: 'allowed' },
  ]);
  expect(json.ingress).toMatchObject({ applies: false, allowed: true });
});

test('rejects an unknown workload, naming the option', () => {
  expect(netpol('explain', ...shop, '--from', 'shop/cache', '--to', 'shop/db', '--port', '5432')).toEqual({
    code: 2,
    stdout: '',
    stderr: 'netpol: --from: no workload "shop/cache" in the cluster; workloads in namespace "shop": db, web\n',
  });
});

test('rejects a bad port, more than one port, and two external ends', () => {
  expect(netpol('explain', ...shop, '--from', 'shop/web', '--to', 'shop/db', '--port', '70000')).toEqual({
    code: 2,
    stdout: '',
    stderr: 'netpol: --port: port 70000 in "70000" is out of range; a port number is an integer from 1 to 65535\n',
  });
  expect(netpol('explain', ...shop, '--from', 'shop/web', '--to', 'shop/db', '--port', '80,81').stderr).toBe(
    'netpol: --port: give one port, such as 5432/TCP, not "80,81"\n',
  );
  expect(netpol('explain', ...shop, '--from', '1.1.1.1', '--to', '8.8.8.8', '--port', '80').stderr).toBe(
    'netpol: --to: both ends (1.1.1.1 and 8.8.8.8) are outside the cluster; NetworkPolicy governs only traffic to or from pods\n',
  );
});

test('netpol explain takes a CIDR and explains each part the policies tell apart', () => {
  const dir = require('fs').mkdtempSync(path.join(require('os').tmpdir(), 'netpol-explain-'));
  try {
    require('fs').writeFileSync(
      path.join(dir, 'all.yaml'),
      [
        '{kind: Pod, metadata: {name: db, namespace: docs, labels: {role: db}}}',
        '---',
        '{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: db, namespace: docs}, spec: {podSelector: {matchLabels: {role: db}}, ingress: [{from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]}]}}',
      ].join('\n'),
    );
    const r = netpol('explain', '--policies', dir, '--cluster', dir, '--from', '172.17.0.0/23', '--to', 'docs/db', '--port', '6379');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('#') || l.includes(': allowed') || l.includes(': denied'))).toEqual([
      '# for 172.17.0.0/24 of 172.17.0.0/23 (the policies treat these addresses alike)',
      '172.17.0.0 -> docs/db on TCP 6379: allowed',
      '# for 172.17.1.0/24 of 172.17.0.0/23 (the policies treat these addresses alike)',
      '172.17.1.0 -> docs/db on TCP 6379: denied',
    ]);
    const one = netpol('explain', '--policies', dir, '--cluster', dir, '--from', '172.17.1.0/25', '--to', 'docs/db', '--port', '6379');
    expect(one.stdout.startsWith('172.17.1.0 -> docs/db on TCP 6379: denied\n')).toBe(true);
  } finally {
    require('fs').rmSync(dir, { recursive: true, force: true });
  }
});
