import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintFiles } from '../../../lib/check/lint';

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client, namespace: a}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}
      podSelector: {matchLabels: {app: api}}
    ports: [{port: 8443}]
  - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: b}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchLabels: {app: client}}
    ports: [{port: 8443}]
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-np002-'));
  fs.writeFileSync(path.join(dir, 'policies.yaml'), POLICIES);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('NP002 and namespaces chosen by labels', () => {
  test('compliant: no finding when the source namespace labels are unknown (no Namespace object)', () => {
    expect(lintFiles([dir]).filter((f) => f.ruleId === 'NP002')).toEqual([]);
  });

  test('non-compliant: a finding when the Namespace object shows the labels do not match', () => {
    fs.writeFileSync(path.join(dir, 'ns.yaml'), '{apiVersion: v1, kind: Namespace, metadata: {name: a, labels: {team: other}}}\n');
    const found = lintFiles([dir]).filter((f) => f.ruleId === 'NP002');
    expect(found.map((f) => `${f.object.namespace}/${f.object.name} ${f.path}`)).toEqual(['a/client spec.egress[0].to[0]']);
  });

  test('compliant: no finding when the Namespace object carries the labels', () => {
    fs.writeFileSync(path.join(dir, 'ns.yaml'), '{apiVersion: v1, kind: Namespace, metadata: {name: a, labels: {team: a}}}\n');
    expect(lintFiles([dir]).filter((f) => f.ruleId === 'NP002')).toEqual([]);
  });
});
