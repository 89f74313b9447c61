import { analyze } from '../../lib/analysis';
import { manifests } from './helpers';
import { Protocol } from '../../lib/model/port';

const { policies, cluster } = manifests(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
  - from: [{podSelector: {matchLabels: {app: web}}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
    ports: [{port: 80}, {port: pg}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {metadata: {labels: {app: web}}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: ops}
`);
const a = analyze(policies, cluster);

test('explains an allowed connection by the rule, peer and port entry of each end', () => {
  const e = a.explain('shop/web', 'shop/db', 5432);
  expect(e.allowed).toBe(true);
  expect(e.format()).toBe(
    [
      'shop/web -> shop/db on TCP 5432: allowed',
      '  egress from shop/web: isolated by shop/deny-all, shop/web',
      '    allowed by shop/web, egress rule 0: peer 0 (pods app=db) and port entry 0 (TCP 5432)',
      '  ingress to shop/db: isolated by shop/db, shop/deny-all',
      '    allowed by shop/db, ingress rule 1: peer 0 (pods app=web) and port entry 1 (TCP pg = 5432 on shop/db)',
    ].join('\n'),
  );
  expect(e.ingress.rules.map((r) => [r.policy.id, r.ruleIndex, r.matchingPeers, r.matchingPorts, r.resolvedPorts, r.allows])).toEqual([
    ['shop/db', 0, [], 'any', [], false],
    ['shop/db', 1, [0], [1], [undefined, 5432], true],
  ]);
});

test('explains a denied connection with what each rule lacks', () => {
  const e = a.explain('shop/web', 'shop/db', 80);
  expect(e.allowed).toBe(false);
  expect(String(e)).toBe(
    [
      'shop/web -> shop/db on TCP 80: denied',
      '  egress from shop/web: isolated by shop/deny-all, shop/web; no rule allows the connection',
      '    shop/deny-all has no egress rules',
      '    shop/web, egress rule 0: peer 0 (pods app=db) matches, but no port entry allows TCP 80 (TCP 5432)',
      '  ingress to shop/db: isolated by shop/db, shop/deny-all',
      '    allowed by shop/db, ingress rule 1: peer 0 (pods app=web) and port entry 0 (TCP 80)',
    ].join('\n'),
  );
});

test('explains that a non-isolated end allows everything and an outside address has no policy', () => {
  expect(a.explain('shop/db', 'ops/tool', 80).format()).toBe(
    [
      'shop/db -> ops/tool on TCP 80: denied',
      '  egress from shop/db: isolated by shop/deny-all; no rule allows the connection',
      '    shop/deny-all has no egress rules',
      '  ingress to ops/tool: not isolated (no policy selecting it covers Ingress), so all traffic in is allowed',
    ].join('\n'),
  );
  expect(a.explain('10.1.0.7', 'shop/db', 5432, Protocol.TCP).format()).toBe(
    [
      '10.1.0.7 -> shop/db on TCP 5432: denied',
      '  egress from 10.1.0.7: outside the cluster, so no policy restricts it',
      '  ingress to shop/db: isolated by shop/db, shop/deny-all; no rule allows the connection',
      '    shop/db, ingress rule 0: no peer matches 10.1.0.7 (pods app=api)',
      '    shop/db, ingress rule 1: no peer matches 10.1.0.7 (pods app=web; 10.0.0.0/8 except 10.1.0.0/16)',
      '    shop/deny-all has no ingress rules',
    ].join('\n'),
  );
  expect(a.explain('10.2.0.7', 'shop/db', 5432).allowed).toBe(true);
});

test('names the named port that resolves to nothing toward an address outside the cluster', () => {
  const out = manifests(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ports: [{port: https}]}]
---
{apiVersion: v1, kind: Pod, metadata: {name: a}}
`);
  expect(analyze(out.policies, out.cluster).explain('default/a', '1.1.1.1', 443).format()).toBe(
    [
      'default/a -> 1.1.1.1 on TCP 443: denied',
      '  egress from default/a: isolated by default/out; no rule allows the connection',
      '    default/out, egress rule 0: every peer matches, but no port entry allows TCP 443 (TCP https: a port name, which means nothing outside the cluster)',
      '  ingress to 1.1.1.1: outside the cluster, so no policy restricts it',
    ].join('\n'),
  );
});

test('names a named port that the destination does not have', () => {
  const m = manifests(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: in}
spec:
  podSelector: {}
  ingress: [{ports: [{port: metrics}]}]
---
{apiVersion: v1, kind: Pod, metadata: {name: a}}
---
{apiVersion: v1, kind: Pod, metadata: {name: b}}
`);
  expect(analyze(m.policies, m.cluster).explain('default/a', 'default/b', 9090).format().split('\n').slice(2)).toEqual([
    '  ingress to default/b: isolated by default/in; no rule allows the connection',
    '    default/in, ingress rule 0: every peer matches, but no port entry allows TCP 9090 (TCP metrics: no such port on default/b)',
  ]);
});

test('agrees with allows for every pair and probe', () => {
  const ends = ['shop/web', 'shop/db', 'ops/tool', '10.0.0.1', '10.1.0.1'];
  for (const from of ends) {
    for (const to of ends) {
      if (from === to || (from.includes('.') && to.includes('.'))) continue;
      for (const port of [80, 5432, 53])
        expect([from, to, port, a.explain(from, to, port).allowed]).toEqual([from, to, port, a.allows(from, to, port)]);
    }
  }
});

test('has a JSON form naming policies by id', () => {
  const json = JSON.parse(JSON.stringify(a.explain('shop/web', 'shop/db', 5432)));
  expect(json).toMatchObject({ from: 'shop/web', to: 'shop/db', port: 5432, protocol: 'TCP', allowed: true, verdict: 'allowed' });
  expect(json.egress).toEqual({
    direction: 'Egress',
    subject: 'shop/web',
    applies: true,
    isolatedBy: ['shop/deny-all', 'shop/web'],
    allowed: true,
    verdict: 'allowed',
    rules: [{ policy: 'shop/web', rule: 0, matchingPeers: [0], matchingPorts: [0], allows: true, verdict: 'allowed' }],
  });
});

test('throws when both ends are outside the cluster', () => {
  expect(() => a.explain('1.1.1.1', '10.0.0.1', 80)).toThrow('both ends (1.1.1.1 and 10.0.0.1) are outside the cluster');
});
