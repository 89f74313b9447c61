/**
 * The tiered evaluation against the independent brute-force evaluator of tiered-oracle.ts:
 * random NetworkPolicies and random ClusterNetworkPolicies over a small cluster, every probe
 * between its pods, to addresses outside it, to a node and to domain names. Allowed and denied
 * must agree exactly; what the oracle cannot decide (which of two policies of one priority a
 * plugin applies, what a domain name resolves to) must be *depends*, and nothing else may be.
 */
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { analyze } from '../../lib/analysis';
import { ClusterPolicy } from '../../lib/model';
import { Protocol } from '../../lib/model/port';
import { clusterPolicyToObject } from '../../lib/render';
import { clusterPolicyArb, UNIVERSE } from '../model/cluster-arbitraries';
import { manifests } from './helpers';
import { OracleProbe, TieredOracle } from './tiered-oracle';

const NAMESPACES = UNIVERSE.namespaces;
const APPS = UNIVERSE.apps;

/** Three namespaces (teams red and blue), three pods each with known IPs and ports, a node. */
const CLUSTER = [
  ...NAMESPACES.map((ns, i) => `kind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${i % 2 ? 'blue' : 'red'}}}`),
  ...NAMESPACES.flatMap((ns, i) =>
    APPS.map(
      (app, j) =>
        `kind: Pod\nmetadata: {name: ${app}, namespace: ${ns}, labels: {app: ${app}}}\n` +
        `spec: {containers: [{name: c, ports: [{containerPort: ${j === 2 ? 8080 : 80}, name: web}, {containerPort: 53, protocol: UDP, name: dns}${j === 1 ? ', {containerPort: 9090, name: metrics}' : ''}]}]}\n` +
        `status: {podIP: 10.1.${i}.${j + 1}}`,
    ),
  ),
  'kind: Node\nmetadata: {name: node-1, labels: {kubernetes.io/os: linux, zone: a}}\nstatus: {addresses: [{type: InternalIP, address: 172.18.0.2}]}',
].join('\n---\n');

const PODS = NAMESPACES.flatMap((ns) => APPS.map((app) => `${ns}/${app}`));
const OUTSIDE = ['192.168.1.1', '10.9.9.9', '172.18.0.2', 'fd00::1'];
const DOMAINS = ['api.example.com', 'www.example.com', 'example.com'];
const PORTS: ReadonlyArray<readonly [number, OracleProbe['protocol']]> = [
  [80, 'TCP'],
  [8080, 'TCP'],
  [9090, 'TCP'],
  [53, 'UDP'],
  [9000, 'SCTP'],
];
const PROBES: OracleProbe[] = [
  ...PODS.flatMap((from) => [...PODS.filter((to) => to !== from), ...OUTSIDE, ...DOMAINS].map((to) => ({ from, to }))),
  ...['192.168.1.1', '10.9.9.9'].flatMap((from) => PODS.map((to) => ({ from, to }))),
].flatMap(({ from, to }) => PORTS.map(([port, protocol]) => ({ from, to, port, protocol })));

// Random NetworkPolicies over the same universe, as manifest objects.
const selectorArb = (key: string, values: readonly string[]) =>
  fc.oneof(
    fc.constant({}),
    fc.constantFrom(...values).map((v) => ({ matchLabels: { [key]: v } })),
    fc.subarray([...values], { minLength: 1, maxLength: 2 }).map((vs) => ({ matchExpressions: [{ key, operator: 'NotIn', values: vs }] })),
  );
const npPeerArb = fc.oneof(
  selectorArb('app', APPS).map((podSelector) => ({ podSelector })),
  selectorArb('team', UNIVERSE.teams).map((namespaceSelector) => ({ namespaceSelector })),
  fc.tuple(selectorArb('kubernetes.io/metadata.name', NAMESPACES), selectorArb('app', APPS)).map(([namespaceSelector, podSelector]) => ({
    namespaceSelector,
    podSelector,
  })),
  fc
    .constantFrom({ cidr: '10.0.0.0/8', except: ['10.1.1.0/24'] }, { cidr: '192.168.0.0/16' }, { cidr: '0.0.0.0/0' }, { cidr: '::/0' })
    .map((ipBlock) => ({ ipBlock })),
);
const npPortArb = fc.oneof(
  fc.constantFrom(80, 53, 9090, 8080).chain((port) => fc.constantFrom({ port }, { port, protocol: 'UDP' })),
  fc.constantFrom('web', 'dns', 'metrics').map((port) => ({ port })),
  fc.constant({ protocol: 'SCTP' }),
);
const npRuleArb = fc.record({
  peers: fc.option(fc.array(npPeerArb, { minLength: 1, maxLength: 2 })),
  ports: fc.array(npPortArb, { maxLength: 2 }),
});
const networkPolicyArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selectorArb('app', APPS),
  ingress: fc.option(fc.array(npRuleArb, { maxLength: 2 })),
  egress: fc.option(fc.array(npRuleArb, { maxLength: 2 })),
});

function npYaml(p: { namespace: string; podSelector: object; ingress: unknown[] | null; egress: unknown[] | null }, i: number): string {
  const rule = (key: 'from' | 'to') => (r: any) => ({
    ...(r.peers ? { [key]: r.peers } : {}),
    ...(r.ports.length > 0 ? { ports: r.ports } : {}),
  });
  const policyTypes = [...(p.ingress ? ['Ingress'] : []), ...(p.egress ? ['Egress'] : [])];
  return stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `np-${i}`, namespace: p.namespace },
    spec: {
      podSelector: p.podSelector,
      policyTypes: policyTypes.length > 0 ? policyTypes : ['Ingress'],
      ...(p.ingress ? { ingress: p.ingress.map(rule('from')) } : {}),
      ...(p.egress ? { egress: p.egress.map(rule('to')) } : {}),
    },
  });
}

/** How often each verdict came up, so that the properties are known not to hold vacuously. */
const seen: Record<string, number> = { allowed: 0, denied: 0, depends: 0 };

function check(nps: readonly string[], cnps: readonly ClusterPolicy[]): void {
  const cnpYaml = cnps.map((p, i) => stringify(clusterPolicyToObject(ClusterPolicy.of({ ...p, name: `${p.name}-${i}` }))));
  const texts = [CLUSTER, ...nps, ...cnpYaml];
  const oracle = TieredOracle.fromYaml(texts);
  const input = manifests(texts.join('\n---\n'));
  const a = analyze(input.policies, { ...input.cluster, complete: true }, { clusterPolicies: input.clusterPolicies });
  const wrong: string[] = [];
  for (const probe of PROBES) {
    const expected = oracle.decide(probe).verdict;
    const got = a.verdict(probe.from, probe.to, probe.port, probe.protocol as Protocol).value;
    seen[got]++;
    if ((expected === 'unknown' ? 'depends' : expected) !== got) {
      wrong.push(`${probe.from} -> ${probe.to} ${probe.port}/${probe.protocol}: oracle ${expected}, analysis ${got}`);
    }
    if (wrong.length >= 5) break;
  }
  expect(wrong).toEqual([]);
}

jest.setTimeout(300_000);

test('ClusterNetworkPolicies alone: the analysis agrees with the oracle on every probe', () => {
  fc.assert(
    fc.property(fc.array(clusterPolicyArb, { maxLength: 4 }), (cnps) => check([], cnps)),
    { numRuns: 60 },
  );
});

test('ClusterNetworkPolicies with NetworkPolicies: the analysis agrees with the oracle on every probe', () => {
  fc.assert(
    fc.property(fc.array(clusterPolicyArb, { maxLength: 3 }), fc.array(networkPolicyArb, { maxLength: 3 }), (cnps, nps) =>
      check(
        nps.map((p, i) => npYaml(p, i)),
        cnps,
      ),
    ),
    { numRuns: 60 },
  );
});

test('the random policies bring about every verdict', () => {
  expect(seen.allowed).toBeGreaterThan(0);
  expect(seen.denied).toBeGreaterThan(0);
  expect(seen.depends).toBeGreaterThan(0);
});
