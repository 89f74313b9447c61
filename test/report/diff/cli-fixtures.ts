/** Running `netpol` in a child process, and small manifests to run it on (for test/cli/diagram and diff). */
import * as fs from 'fs';
import * as path from 'path';

export { netpol, ROOT } from '../../cli/run';
export type { Run } from '../../cli/run';

/** Writes files (path relative to `dir` → text), making folders as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** The shop: deny all, the frontend reaches the backend on 8080, the backend reaches its database outside. */
export function shopPolicies(database: string, backendPorts = [8080]): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchLabels: {app: backend}}}]
      ports: [{port: 8080, protocol: TCP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend, namespace: shop}
spec:
  podSelector: {matchLabels: {app: backend}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
      ports: [${backendPorts.map((p) => `{port: ${p}, protocol: TCP}`).join(', ')}]
  egress:
    - to: [{ipBlock: {cidr: ${database}}}]
      ports: [{port: 5432, protocol: TCP}]
`;
}

/** Two Deployments of the shop. */
export const SHOP_WORKLOADS = ['frontend', 'backend']
  .map(
    (app) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${app}-deploy, namespace: shop}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: x}]}
`,
  )
  .join('---\n');
