/**
 * ClusterNetworkPolicy tiers in the analysis: what each tier decides, how explain names the
 * deciding tier, policy and rule, and what stays *depends* (policies of one priority that decide
 * differently, domain names against networks, named ports of pods whose ports are unknown).
 */
import { analyze, Analysis } from '../../lib/analysis';
import { diffPolicies } from '../../lib/analysis/diff';
import { manifests } from './helpers';

const CLUSTER = `
kind: Namespace
metadata: {name: shop, labels: {team: red}}
---
kind: Namespace
metadata: {name: ops, labels: {team: blue}}
---
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}
status: {podIP: 10.1.0.1}
---
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, ports: [{containerPort: 5432, name: pg}]}]}
status: {podIP: 10.1.0.2}
---
kind: Pod
metadata: {name: prom, namespace: ops, labels: {app: prom}}
spec: {containers: [{name: c}]}
status: {podIP: 10.1.1.1}
---
kind: Pod
metadata: {name: agent, namespace: ops, labels: {app: agent}}
spec: {hostNetwork: true, nodeName: node-1, containers: [{name: c, ports: [{containerPort: 9100, name: metrics}]}]}
status: {podIP: 172.18.0.2}
---
kind: Node
metadata: {name: node-1, labels: {zone: a}}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}]}
`;

function cnp(name: string, tier: string, priority: number, subject: string, spec: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  tier: ${tier}\n  priority: ${priority}\n  subject: ${subject}\n${spec}`;
}

function analysis(...policies: string[]): Analysis {
  const input = manifests([CLUSTER, ...policies].join('\n---\n'));
  return analyze(input.policies, { ...input.cluster, complete: true }, { clusterPolicies: input.clusterPolicies });
}

const EVERY_POD = '{namespaces: {}}';
const DENY_METADATA = cnp(
  'deny-metadata',
  'Admin',
  10,
  EVERY_POD,
  '  egress:\n  - {name: allow-dns, action: Accept, to: [{networks: [10.96.0.10/32]}], protocols: [{udp: {destinationPort: {number: 53}}}]}\n  - {name: metadata, action: Deny, to: [{networks: [169.254.169.254/32]}]}',
);

test('an Admin Deny is final, and explain names the tier, the policy and the rule', () => {
  const a = analysis(DENY_METADATA);
  expect(a.verdict('shop/web', '169.254.169.254', 80).value).toBe('denied');
  expect(a.verdict('shop/web', '169.254.169.253', 80).value).toBe('allowed');
  expect(a.explain('shop/web', '169.254.169.254', 80).format()).toBe(
    [
      'shop/web -> 169.254.169.254 on TCP 80: denied',
      '  egress from shop/web: denied by Admin policy deny-metadata, egress rule 1 (metadata)',
      '  ingress to 169.254.169.254: outside the cluster, so no policy restricts it',
    ].join('\n'),
  );
  expect(a.explain('shop/web', '169.254.169.254', 80).toJSON().egress).toMatchObject({
    verdict: 'denied',
    clusterPolicies: ['deny-metadata'],
    decidedBy: [{ tier: 'Admin', policy: 'deny-metadata', rule: 1, action: 'Deny' }],
  });
});

test('a NetworkPolicy allow cannot open what an Admin Deny closes; a Pass leaves it to the NetworkPolicy', () => {
  const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]`;
  const deny = cnp('guard', 'Admin', 5, EVERY_POD, '  ingress:\n  - {action: Deny, from: [{namespaces: {matchLabels: {team: red}}}]}');
  expect(analysis(np).verdict('shop/web', 'shop/db', 5432).value).toBe('allowed');
  expect(analysis(np, deny).verdict('shop/web', 'shop/db', 5432).value).toBe('denied');
  const pass = cnp('delegate', 'Admin', 1, EVERY_POD, '  ingress:\n  - {action: Pass, from: [{namespaces: {matchLabels: {team: red}}}]}');
  const a = analysis(np, deny, pass);
  expect(a.verdict('shop/web', 'shop/db', 5432).value).toBe('allowed');
  expect(a.explain('shop/web', 'shop/db', 5432).format().split('\n').slice(2, 4)).toEqual([
    '  ingress to shop/db: passed on by Admin policy delegate, ingress rule 0, then left to the NetworkPolicies that isolate it',
    '    ingress to shop/db: isolated by shop/db',
  ]);
});

test('Baseline decides only for pods no NetworkPolicy isolates; what no tier decides is allowed', () => {
  const baseline = cnp('default-deny', 'Baseline', 0, EVERY_POD, '  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}');
  const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{from: [{podSelector: {}}]}]`;
  const a = analysis(baseline, np);
  expect(a.verdict('shop/web', 'shop/db', 5432).value).toBe('allowed');
  expect(a.verdict('shop/db', 'shop/web', 8080).value).toBe('denied');
  expect(a.explain('shop/db', 'shop/web', 8080).format().split('\n')[2]).toBe(
    '  ingress to shop/web: denied by Baseline policy default-deny, ingress rule 0',
  );
  expect(a.explain('shop/web', 'shop/db', 5432).format().split('\n')[1]).toBe(
    '  egress from shop/web: no ClusterNetworkPolicy rule decides it and no NetworkPolicy isolates it, so it is allowed',
  );
  // an external source meets no rule of a tier: ingress peers are pods and namespaces
  expect(a.verdict('192.168.0.1', 'shop/web', 8080).value).toBe('allowed');
});

test('two Admin policies of one priority that decide a connection differently make it depend on the plugin', () => {
  const accept = cnp(
    'open-db',
    'Admin',
    7,
    EVERY_POD,
    '  egress:\n  - {action: Accept, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}]}',
  );
  const deny = cnp('close-shop', 'Admin', 7, EVERY_POD, '  egress:\n  - {action: Deny, to: [{namespaces: {matchLabels: {team: red}}}]}');
  const a = analysis(accept, deny);
  const v = a.verdict('ops/prom', 'shop/db', 5432);
  expect(v.value).toBe('depends');
  expect(v.alternatives.map((x) => x.condition.toString())).toEqual([
    'the network plugin applies Admin policy open-db before close-shop (all priority 7)',
  ]);
  // where they agree, or only one matches, the answer is sure
  expect(a.verdict('ops/prom', 'shop/web', 8080).value).toBe('denied');
  expect(a.explain('ops/prom', 'shop/db', 5432).format().split('\n').slice(0, 4)).toEqual([
    'ops/prom -> shop/db on TCP 5432: depends: allowed if the network plugin applies Admin policy open-db before close-shop (all priority 7)',
    '  egress from ops/prom: depends, on what is unknown:',
    '    if the network plugin applies Admin policy open-db before close-shop (all priority 7): allowed by Admin policy open-db, egress rule 0',
    '    if the network plugin applies Admin policy close-shop before open-db (all priority 7): denied by Admin policy close-shop, egress rule 0',
  ]);
});

test('domain names are endpoints of their own: domainNames peers match them, wildcards one or more labels', () => {
  const egress = cnp(
    'egress',
    'Admin',
    3,
    EVERY_POD,
    '  egress:\n  - {action: Accept, to: [{domainNames: [api.stripe.com, "*.example.com"]}]}\n  - {action: Deny, to: [{networks: [0.0.0.0/0, "::/0"]}]}',
  );
  const a = analysis(egress);
  expect(a.verdict('shop/web', 'api.stripe.com', 443).value).toBe('allowed');
  expect(a.verdict('shop/web', 'API.Stripe.com.', 443).value).toBe('allowed');
  expect(a.verdict('shop/web', 'a.b.example.com', 443).value).toBe('allowed');
  expect(a.verdict('shop/web', 'example.com', 443).value).toBe('denied');
  expect(a.verdict('shop/web', 'stripe.com', 443).value).toBe('denied');
  expect(() => a.verdict('api.stripe.com', 'shop/web', 443)).toThrow(
    'api.stripe.com is a domain name, which policies match as a destination only',
  );
});

test('a networks peer that does not hold every address leaves a domain name depending on what it resolves to', () => {
  const deny = cnp('deny-private', 'Admin', 3, EVERY_POD, '  egress:\n  - {action: Deny, to: [{networks: [10.0.0.0/8]}]}');
  const v = analysis(deny).verdict('shop/web', 'api.stripe.com', 443);
  expect(v.value).toBe('depends');
  expect(v.alternatives.map((x) => x.condition.toString())).toEqual(['api.stripe.com resolves outside 10.0.0.0/8']);
});

test('nodes peers match node addresses and host-network pods; host-network pods are never a subject', () => {
  const nodes = cnp('no-nodes', 'Admin', 2, EVERY_POD, '  egress:\n  - {action: Deny, to: [{nodes: {matchLabels: {zone: a}}}]}');
  const a = analysis(nodes);
  expect(a.verdict('shop/web', 'ops/agent', 9100).value).toBe('denied');
  expect(a.verdict('shop/web', '172.18.0.2', 9100).value).toBe('denied');
  expect(a.verdict('shop/web', '172.18.0.3', 9100).value).toBe('allowed');
  expect(a.verdict('ops/agent', '172.18.0.2', 9100).value).toBe('allowed');
});

test('a named port resolves on the destination, whatever its protocol; unknown ports make it depend', () => {
  const named = cnp(
    'metrics',
    'Admin',
    4,
    EVERY_POD,
    '  ingress:\n  - {action: Accept, from: [{namespaces: {matchLabels: {team: blue}}}], protocols: [{destinationNamedPort: pg}]}\n  - {action: Deny, from: [{namespaces: {}}]}',
  );
  const a = analysis(named);
  expect(a.verdict('ops/prom', 'shop/db', 5432).value).toBe('allowed');
  expect(a.verdict('ops/prom', 'shop/db', 5433).value).toBe('denied');
  expect(a.verdict('ops/prom', 'shop/web', 8080).value).toBe('denied');

  const input = manifests(named);
  const inferred = analyze(
    input.policies,
    {
      namespaces: [
        { name: 'shop', labels: { team: 'red', 'kubernetes.io/metadata.name': 'shop' } },
        { name: 'ops', labels: { team: 'blue', 'kubernetes.io/metadata.name': 'ops' } },
      ],
      workloads: [
        { namespace: 'shop', name: 'db', kind: 'Deployment', labels: { app: 'db' }, ports: [], portsKnown: false },
        { namespace: 'ops', name: 'prom', kind: 'Deployment', labels: { app: 'prom' }, ports: [] },
      ],
    },
    { clusterPolicies: input.clusterPolicies },
  );
  const v = inferred.verdict('ops/prom', 'shop/db', 5432);
  expect(v.value).toBe('depends');
  expect(v.alternatives.map((x) => x.condition.toString())).toEqual(["the destination's port pg is the port asked about"]);
});

test('without ClusterNetworkPolicies a domain name is decided by the NetworkPolicies alone', () => {
  const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}, {to: [{ipBlock: {cidr: 0.0.0.0/0}}, {ipBlock: {cidr: "::/0"}}], ports: [{port: 443}]}]`;
  const a = analysis(np);
  expect(a.verdict('shop/web', 'api.stripe.com', 443).value).toBe('allowed');
  const v = a.verdict('shop/web', 'api.stripe.com', 80);
  expect(v.value).toBe('depends');
  expect(v.alternatives.map((x) => x.condition.toString())).toEqual(['api.stripe.com resolves inside 10.0.0.0/8']);
  expect(a.verdict('ops/prom', 'api.stripe.com', 80).value).toBe('allowed');
});

test('diff: a swapped priority or rule order is a policy change, and the flows change accordingly', () => {
  const accept = (priority: number) =>
    cnp(
      'open-db',
      'Admin',
      priority,
      EVERY_POD,
      '  egress:\n  - {action: Accept, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}]}',
    );
  const deny = cnp('close-red', 'Admin', 5, EVERY_POD, '  egress:\n  - {action: Deny, to: [{namespaces: {matchLabels: {team: red}}}]}');
  const read = (...texts: string[]) => manifests([CLUSTER, ...texts].join('\n---\n'));
  const before = read(accept(3), deny);
  const after = read(accept(9), deny);
  const d = diffPolicies([], [], {
    cluster: { ...before.cluster, complete: true },
    clusterPolicies: { before: before.clusterPolicies, after: after.clusterPolicies },
  });
  expect(d.policies).toEqual([
    { id: 'ClusterNetworkPolicy open-db', change: 'changed', details: ['- priority 3', '+ priority 9'], flows: 3 },
  ]);
  expect(d.flows.map((f) => `${f.change} ${f.from.name} -> ${f.to.name}`)).toEqual([
    'removed ops/prom -> shop/db',
    'removed shop/db -> shop/db',
    'removed shop/web -> shop/db',
  ]);

  const order = (first: string, second: string) => cnp('one', 'Admin', 3, EVERY_POD, `  egress:\n  - ${first}\n  - ${second}`);
  const open = '{action: Accept, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: db}}}}]}';
  const close = '{action: Deny, to: [{namespaces: {matchLabels: {team: red}}}]}';
  const swapped = diffPolicies([], [], {
    cluster: { ...before.cluster, complete: true },
    clusterPolicies: { before: read(order(open, close)).clusterPolicies, after: read(order(close, open)).clusterPolicies },
  });
  expect(swapped.policies[0].details).toEqual([
    '- egress rule 0: Accept pods app=db in every namespace: all ports',
    '- egress rule 1: Deny namespaces team=red: all ports',
    '+ egress rule 0: Deny namespaces team=red: all ports',
    '+ egress rule 1: Accept pods app=db in every namespace: all ports',
  ]);
  expect(swapped.summary).toEqual({ added: 0, removed: 3, changed: 0 });
});

test('the matrix with tiers counts the allowed pairs as a walk over every pair of workloads and range does', () => {
  const denyBlue = cnp(
    'red-not-to-blue',
    'Admin',
    20,
    '{namespaces: {matchLabels: {team: red}}}',
    '  egress:\n  - {name: no-blue, action: Deny, to: [{namespaces: {matchLabels: {team: blue}}}]}',
  );
  const a = analysis(DENY_METADATA, denyBlue);
  const classOf = (i: number) => a.classOfWorkload(a.workloads[i]).index;
  let workloadPairs = 0;
  let externalPairs = 0;
  a.workloads.forEach((_, x) => {
    a.workloads.forEach((__, y) => {
      if (x !== y && !a.classReach(classOf(x), classOf(y)).allowed.isEmpty) workloadPairs++;
    });
    a.externalSources.forEach((___, r) => (externalPairs += a.fromExternalToClass(r, classOf(x)).allowed.isEmpty ? 0 : 1));
    a.externalDestinations.forEach((___, r) => (externalPairs += a.fromClassToExternal(classOf(x), r).allowed.isEmpty ? 0 : 1));
  });
  // shop's two pods no longer reach ops/prom; the host-network agent is no `namespaces` peer
  expect(workloadPairs).toBe(4 * 3 - 2);
  expect(a.matrix().countAllowed()).toEqual({ workloadPairs, externalPairs });
});
