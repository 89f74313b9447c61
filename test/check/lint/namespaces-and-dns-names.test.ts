import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintFiles } from '../../../lib/check/lint';

const policy = (selector: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: ${selector}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`;
const CLUSTER =
  '{apiVersion: v1, kind: Namespace, metadata: {name: shop}}\n---\n{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: shop, labels: {app: web}}}\n';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-np006-'));
  fs.writeFileSync(path.join(dir, 'cluster.yaml'), CLUSTER);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const np006 = () =>
  lintFiles([path.join(dir, 'policy.yaml')], { cluster: [path.join(dir, 'cluster.yaml')] }).filter((f) => f.ruleId === 'NP006');

describe('NP006 and namespaces chosen by name', () => {
  test('compliant: a namespace named with In but absent from the manifests is out of scope', () => {
    fs.writeFileSync(
      path.join(dir, 'policy.yaml'),
      policy('{matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [kube-system]}]}'),
    );
    expect(np006()).toEqual([]);
  });

  test('non-compliant: a selector by other labels that no namespace of the manifests carries', () => {
    fs.writeFileSync(path.join(dir, 'policy.yaml'), policy('{matchLabels: {tier: system}}'));
    expect(np006().map((f) => f.path)).toEqual(['spec.egress[0].to[0].namespaceSelector']);
  });
});

describe('NP001 and named DNS ports', () => {
  test('non-compliant: "dns" on TCP, where the DNS pods name their TCP port "dns-tcp"', () => {
    fs.writeFileSync(
      path.join(dir, 'cluster.yaml'),
      [
        CLUSTER,
        '---',
        '{apiVersion: v1, kind: Pod, metadata: {name: coredns, namespace: kube-system, labels: {k8s-app: kube-dns}}, spec: {containers: [{name: c, ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53, protocol: TCP}]}]}}',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'policy.yaml'),
      policy('{matchLabels: {kubernetes.io/metadata.name: kube-system}}').replace(
        'ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]',
        'ports: [{port: dns, protocol: UDP}, {port: dns, protocol: TCP}]',
      ),
    );
    const found = lintFiles([path.join(dir, 'policy.yaml')], { cluster: [path.join(dir, 'cluster.yaml')] }).filter(
      (f) => f.ruleId === 'NP001',
    );
    expect(found.map((f) => f.message)).toEqual([
      'this policy isolates the egress of shop/web, and the policies allow DNS on UDP 53 but not on TCP 53, so lookups over TCP 53 time out',
    ]);
  });
});
