/**
 * Small random worlds for NP002: two namespaces with known team labels, pods with and without
 * named container ports, and policies whose peers name pods, namespaces or addresses.
 */
import fc from 'fast-check';
import { manifestsFromDocuments, Manifests } from '../../../lib/io/manifests';

type Obj = Record<string, unknown>;

const SPACES = ['front', 'back'];
const appArb = fc.constantFrom('web', 'api', 'db');
const podSelectorArb = fc.oneof(
  fc.constant({}),
  appArb.map((app) => ({ matchLabels: { app } })),
  fc.constant({ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }),
);
const peerArb = fc.oneof(
  podSelectorArb.map((podSelector) => ({ podSelector })),
  fc.constantFrom(...SPACES).map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } })),
  fc
    .record({ team: fc.constantFrom('a', 'b'), podSelector: podSelectorArb })
    .map(({ team, podSelector }) => ({ namespaceSelector: { matchLabels: { team } }, podSelector })),
  fc.constant({ ipBlock: { cidr: '10.0.0.0/8' } }),
);
const portArb = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom(53, 80, 443, 5432) }),
  fc.record({ protocol: fc.constant('TCP'), port: fc.constantFrom('http', 'pg') }),
  fc.integer({ min: 1000, max: 1010 }).map((port) => ({ protocol: 'TCP', port, endPort: port + 20 })),
);
const ruleArb = (key: 'from' | 'to') =>
  fc.record(
    { [key]: fc.array(peerArb, { minLength: 1, maxLength: 3 }), ports: fc.array(portArb, { maxLength: 3 }) },
    { requiredKeys: [key] },
  );
const policyArb = (i: number) =>
  fc
    .record({
      namespace: fc.constantFrom(...SPACES),
      podSelector: podSelectorArb,
      policyTypes: fc.subarray(['Ingress', 'Egress'], { minLength: 1 }),
      ingress: fc.array(ruleArb('from'), { maxLength: 2 }),
      egress: fc.array(ruleArb('to'), { maxLength: 2 }),
    })
    .map(({ namespace, policyTypes, ingress, egress, podSelector }): Obj => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      // names out of order, so that id order differs from input order
      metadata: { name: `p${(i * 7) % 5}-${i}`, namespace },
      spec: {
        podSelector,
        policyTypes,
        ...(policyTypes.includes('Ingress') ? { ingress } : {}),
        ...(policyTypes.includes('Egress') ? { egress } : {}),
      },
    }));
const podArb = (i: number) =>
  fc.record({ namespace: fc.constantFrom(...SPACES), app: appArb, named: fc.boolean() }).map(({ namespace, app, named }): Obj => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `w${i}`, namespace, labels: { app } },
    spec: { containers: [{ name: 'c', ports: named ? [{ name: 'http', containerPort: 80 }, { containerPort: 5432 }] : [] }] },
  }));
export const worldArb = fc.record({
  teams: fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('a', 'b')),
  pods: fc.array(fc.nat(), { maxLength: 4 }).chain((xs) => fc.tuple(...xs.map((_, i) => podArb(i)))),
  policies: fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i)))),
});

/** The policies and cluster of a generated world, as the reader makes them. */
export function worldOf({ teams, pods, policies }: { teams: [string, string]; pods: Obj[]; policies: Obj[] }): Manifests {
  const namespaces = SPACES.map((name, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: teams[i] } } }));
  const documents = [...namespaces, ...pods, ...policies].map((object, doc) => ({ file: 'generated.yaml', doc, object }));
  return manifestsFromDocuments(documents);
}
