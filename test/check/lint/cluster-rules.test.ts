/**
 * The rules about ClusterNetworkPolicies (NP014 to NP018), each with a case that breaks it and
 * one that complies, through lintFiles as `netpol lint` runs it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintFiles } from '../../../lib/check/lint';
import { brief } from './helpers';

const CLUSTER = `
kind: Namespace
metadata: {name: shop, labels: {team: red}}
---
kind: Namespace
metadata: {name: kube-system}
---
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}
---
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}
---
kind: Pod
metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec: {containers: [{name: c, ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53}]}]}
`;

function cnp(name: string, tier: string, priority: number, spec: string, extra = ''): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}${extra}}\nspec:\n  tier: ${tier}\n  priority: ${priority}\n${spec}`;
}

const NP_DB = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cnp-lint-'));
  fs.writeFileSync(path.join(dir, 'cluster.yaml'), CLUSTER);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The findings of one rule over policy files given as texts, with the cluster as the whole cluster. */
function findings(rule: string, ...files: string[]) {
  const paths = files.map((text, i) => {
    const p = path.join(dir, `policies-${rule}-${i}.yaml`);
    fs.writeFileSync(p, text);
    return p;
  });
  return lintFiles(paths, { cluster: [path.join(dir, 'cluster.yaml')] })
    .filter((f) => f.ruleId === rule)
    .map((f) => ({ ...brief(f), file: path.basename(f.location?.file ?? '') }));
}

describe('NP014 denied-by-admin', () => {
  test('non-compliant: an allow that an Admin Deny of the same pods closes first', () => {
    const deny = cnp(
      'no-shop-ingress',
      'Admin',
      10,
      '  subject: {namespaces: {matchLabels: {team: red}}}\n  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}',
    );
    expect(findings('NP014', `${NP_DB}\n---\n${deny}`)).toEqual([
      {
        object: 'shop/db',
        path: 'spec.ingress[0]',
        message:
          'every connection that ingress rule 0 allows is denied first by the Admin tier (no-shop-ingress), so the rule has no effect',
        line: 6,
        file: 'policies-NP014-0.yaml',
      },
    ]);
  });

  test('compliant: a Deny of other ports, or a Pass before the Deny, leaves the allow its effect', () => {
    const otherPorts = cnp(
      'no-shop-ingress',
      'Admin',
      10,
      '  subject: {namespaces: {}}\n  ingress:\n  - {action: Deny, from: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 22}}}]}',
    );
    expect(findings('NP014', `${NP_DB}\n---\n${otherPorts}`)).toEqual([]);
    const passFirst = cnp(
      'no-shop-ingress',
      'Admin',
      10,
      '  subject: {namespaces: {}}\n  ingress:\n  - {action: Pass, from: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}]}\n  - {action: Deny, from: [{namespaces: {}}]}',
    );
    expect(findings('NP014', `${NP_DB}\n---\n${passFirst}`)).toEqual([]);
  });
});

describe('NP015 pass-without-networkpolicy', () => {
  const pass = cnp(
    'delegate-shop',
    'Admin',
    5,
    '  subject: {namespaces: {matchLabels: {team: red}}}\n  egress:\n  - {action: Pass, to: [{namespaces: {}}]}',
  );
  test('non-compliant: a Pass for pods no NetworkPolicy isolates in that direction', () => {
    expect(findings('NP015', pass)).toEqual([
      {
        object: 'delegate-shop',
        path: 'spec.egress[0]',
        message:
          'egress rule 0 passes to NetworkPolicy, but no NetworkPolicy isolates shop/web and shop/db for Egress, so what it passes goes to the Baseline tier or is allowed',
        line: 9,
        file: 'policies-NP015-0.yaml',
      },
    ]);
  });

  test('compliant: a NetworkPolicy isolates the delegated pods', () => {
    const deny = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]`;
    expect(findings('NP015', pass, deny)).toEqual([]);
  });
});

describe('NP016 same-priority-overlap', () => {
  test('non-compliant: two Admin policies of one priority in different files that decide one connection differently', () => {
    const a = cnp('open-db', 'Admin', 7, '  subject: {namespaces: {}}\n  egress:\n  - {action: Accept, to: [{namespaces: {}}]}');
    const b = cnp(
      'close-shop',
      'Admin',
      7,
      '  subject: {namespaces: {matchLabels: {team: red}}}\n  egress:\n  - {action: Deny, to: [{namespaces: {}}]}',
    );
    expect(findings('NP016', a, b)).toEqual([
      {
        object: 'close-shop',
        path: 'spec.priority',
        message:
          'Admin policies open-db and close-shop both have priority 7, and egress rule 0 of open-db (Accept) and egress rule 0 of close-shop (Deny) can match the same connection; which applies is up to the network plugin',
        line: 6,
        file: 'policies-NP016-1.yaml',
      },
    ]);
  });

  test('compliant: other priorities, or the same action', () => {
    const a = cnp('open-db', 'Admin', 7, '  subject: {namespaces: {}}\n  egress:\n  - {action: Accept, to: [{namespaces: {}}]}');
    const b = cnp('close-shop', 'Admin', 8, '  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{namespaces: {}}]}');
    const c = cnp('also-open', 'Admin', 7, '  subject: {namespaces: {}}\n  egress:\n  - {action: Accept, to: [{namespaces: {}}]}');
    expect(findings('NP016', a, b, c)).toEqual([]);
  });
});

describe('NP017 baseline-closes-dns', () => {
  test('non-compliant: a Baseline egress deny for pods no NetworkPolicy isolates, without DNS before it', () => {
    const deny = cnp(
      'baseline-deny',
      'Baseline',
      0,
      '  subject: {namespaces: {matchLabels: {team: red}}}\n  egress:\n  - {action: Deny, to: [{namespaces: {}}, {networks: [0.0.0.0/0, "::/0"]}]}',
    );
    expect(findings('NP017', deny).map((f) => f.message)).toEqual([
      'shop/web and shop/db reach no DNS server on UDP 53, TCP 53: no NetworkPolicy isolates them for egress, and this Baseline policy denies the queries',
    ]);
  });

  test('compliant: the Baseline policy accepts DNS before its deny', () => {
    const deny = cnp(
      'baseline-deny',
      'Baseline',
      0,
      '  subject: {namespaces: {matchLabels: {team: red}}}\n  egress:\n  - {action: Accept, to: [{pods: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}}], protocols: [{udp: {destinationPort: {number: 53}}}]}\n  - {action: Deny, to: [{namespaces: {}}, {networks: [0.0.0.0/0, "::/0"]}]}',
    );
    expect(findings('NP017', deny)).toEqual([]);
  });
});

describe('NP018 namespace-on-cluster-policy', () => {
  test('non-compliant: metadata.namespace on a ClusterNetworkPolicy', () => {
    const p = cnp(
      'guard',
      'Admin',
      1,
      '  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{networks: [169.254.169.254/32]}]}',
      ', namespace: shop',
    );
    expect(findings('NP018', p)).toEqual([
      {
        object: 'guard',
        path: 'metadata.namespace',
        message:
          'namespace "shop" is written on a cluster-scoped object and is ignored: the policy applies to every pod in every namespace, not only in shop',
        line: 3,
        file: 'policies-NP018-0.yaml',
      },
    ]);
  });

  test('compliant: no namespace', () => {
    const p = cnp(
      'guard',
      'Admin',
      1,
      '  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{networks: [169.254.169.254/32]}]}',
    );
    expect(findings('NP018', p)).toEqual([]);
  });
});
