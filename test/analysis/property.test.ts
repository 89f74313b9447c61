/**
 * The analyzer against a brute-force oracle: random NetworkPolicy objects and Pods (as raw
 * manifest JSON) go through the reader and the analyzer; the oracle below evaluates the same
 * JSON directly, pod by pod and port by port, from the Kubernetes rules. The oracle shares no
 * code with lib/analysis (it only parses IP addresses with the model's parser).
 */
import fc from 'fast-check';
import { analyze } from '../../lib/analysis';
import { parseIp } from '../../lib/model/cidr';
import { manifestsFromDocuments } from '../../lib/io/manifests';
import { Protocol } from '../../lib/model/port';
import { SelectorOperator } from '../../lib/model/selector';

type Obj = Record<string, any>;
type Labels = Record<string, string>;

// ------------------------------------------------------------------ generators

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const labelsArb = (keys: Record<string, string[]>): fc.Arbitrary<Labels> =>
  fc.record(Object.fromEntries(Object.entries(keys).map(([k, vs]) => [k, fc.constantFrom(...vs)])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Labels>;
const podLabels = labelsArb({ app: ['a', 'b'], tier: ['x', 'y'] });
const nsLabels = labelsArb({ team: ['t1', 't2'], env: ['prod', 'dev'] });
const IPS = ['10.0.0.1', '10.0.1.1', '10.1.0.1', '192.168.0.1', '172.16.0.1', '2001:db8::1', '2001:db9::1'];
const CONTAINER_PORTS = [
  { name: 'http', containerPort: 80 },
  { name: 'http', containerPort: 8080 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'sig', containerPort: 2905, protocol: 'SCTP' },
  { containerPort: 443 },
];

const exprArb = fc.oneof(
  fc.record({
    key: fc.constantFrom('app', 'tier', 'team', 'env'),
    operator: fc.constantFrom('In', 'NotIn'),
    values: fc.subarray(['a', 'b', 'x', 't1', 'prod'], { minLength: 1 }),
  }),
  fc.record({ key: fc.constantFrom('app', 'tier', 'team', 'env'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selectorArb = (labels: fc.Arbitrary<Labels>) =>
  fc.record({ matchLabels: labels, matchExpressions: fc.array(exprArb, { maxLength: 2 }) }, { requiredKeys: [] });
const ipBlockArb = fc.constantFrom(
  { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] },
  { cidr: '10.0.0.0/16' },
  { cidr: '0.0.0.0/0', except: ['192.168.0.0/16', '10.0.0.0/24'] },
  { cidr: '192.168.0.0/24' },
  { cidr: '2001:db8::/32' },
  { cidr: '::/0', except: ['2001:db8::/48'] },
);
const peerArb = fc.oneof(
  fc.record({ podSelector: selectorArb(podLabels) }),
  fc.record({ namespaceSelector: selectorArb(nsLabels) }),
  fc.record({ namespaceSelector: selectorArb(nsLabels), podSelector: selectorArb(podLabels) }),
  fc.record({ ipBlock: ipBlockArb }),
);
const portArb = fc.oneof(
  fc.record(
    { protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(53, 80, 443, 2905, 8080) },
    { requiredKeys: ['port'] },
  ),
  fc.record(
    { protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.constantFrom('http', 'dns', 'sig', 'nope') },
    { requiredKeys: ['port'] },
  ),
  fc.constant({ port: 'http' }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }),
  fc
    .integer({ min: 1, max: 8000 })
    .chain((p) =>
      fc.record(
        { protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constant(p), endPort: fc.integer({ min: p, max: p + 3000 }) },
        { requiredKeys: ['port', 'endPort'] },
      ),
    ),
);
const ruleArb = (peers: 'from' | 'to') =>
  fc.record({ [peers]: fc.array(peerArb, { maxLength: 2 }), ports: fc.array(portArb, { maxLength: 2 }) }, { requiredKeys: [] });

const policyArb = (i: number) =>
  fc
    .record(
      {
        namespace: fc.constantFrom(...NAMESPACES),
        podSelector: selectorArb(podLabels),
        policyTypes: fc.subarray(['Ingress', 'Egress']),
        ingress: fc.array(ruleArb('from'), { maxLength: 2 }),
        egress: fc.array(ruleArb('to'), { maxLength: 2 }),
      },
      { requiredKeys: ['namespace'] },
    )
    .map(({ namespace, ...spec }): Obj => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace },
      spec,
    }));

const podArb = (i: number) =>
  fc
    .record({
      namespace: fc.constantFrom(...NAMESPACES),
      labels: podLabels,
      ports: fc.subarray(CONTAINER_PORTS),
      ip: fc.option(fc.constantFrom(...IPS), { nil: undefined }),
    })
    .map(({ namespace, labels, ports, ip }): Obj => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `w${i}`, namespace, labels },
      spec: { containers: [{ name: 'c', ports }] },
      ...(ip ? { status: { podIP: ip } } : {}),
    }));

const namespacesArb = fc
  .tuple(...NAMESPACES.map((name) => fc.option(nsLabels, { nil: undefined }).map((labels) => ({ name, labels }))))
  .map((list) =>
    list
      .filter((n) => n.labels !== undefined)
      .map((n): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } })),
  );

const worldArb = fc.record({
  namespaces: namespacesArb,
  pods: fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i)))),
  policies: fc
    .integer({ min: 0, max: 4 })
    .chain((n) => (n === 0 ? fc.constant([] as Obj[]) : fc.tuple(...Array.from({ length: n }, (_, i) => policyArb(i))))),
  ipBlockPods: fc.constantFrom<'match' | 'ignore'>('match', 'ignore'),
});

// ------------------------------------------------------------------ oracle

type End = { pod: Obj } | { ip: string };

class Oracle {
  constructor(
    private readonly policies: Obj[],
    private readonly namespaces: Obj[],
    private readonly ipBlockPods: 'match' | 'ignore',
  ) {}

  public allows(src: End, dst: End, port: number, protocol: Protocol): boolean {
    return this.direction('Egress', src, dst, dst, port, protocol) && this.direction('Ingress', dst, src, dst, port, protocol);
  }

  private direction(dir: 'Ingress' | 'Egress', subject: End, other: End, dst: End, port: number, protocol: Protocol): boolean {
    if (!('pod' in subject)) return true;
    const ns = subject.pod.metadata.namespace;
    const selecting = this.policies.filter(
      (p) => p.metadata.namespace === ns && this.types(p).includes(dir) && this.selects(p.spec.podSelector, subject.pod.metadata.labels),
    );
    if (selecting.length === 0) return true;
    const key = dir === 'Ingress' ? 'ingress' : 'egress';
    const peersKey = dir === 'Ingress' ? 'from' : 'to';
    return selecting.some((p) =>
      (p.spec[key] ?? []).some((rule: Obj) => {
        const peers: Obj[] = rule[peersKey] ?? [];
        const ports: Obj[] = rule.ports ?? [];
        const peerOk = peers.length === 0 || peers.some((peer) => this.peerMatches(peer, p.metadata.namespace, other));
        const portOk = ports.length === 0 || ports.some((entry) => this.portMatches(entry, dst, port, protocol));
        return peerOk && portOk;
      }),
    );
  }

  private types(p: Obj): string[] {
    const t: string[] = p.spec.policyTypes ?? [];
    if (t.length > 0) return t;
    return (p.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  private peerMatches(peer: Obj, policyNs: string, e: End): boolean {
    if (peer.ipBlock) {
      const ips = 'ip' in e ? [e.ip] : this.ipBlockPods === 'match' && e.pod.status?.podIP ? [e.pod.status.podIP] : [];
      return ips.some((ip) => inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => inCidr(ip, x)));
    }
    if (!('pod' in e)) return false;
    const ns = e.pod.metadata.namespace;
    const nsOk = peer.namespaceSelector === undefined ? ns === policyNs : this.selects(peer.namespaceSelector, this.namespaceLabels(ns));
    return nsOk && (peer.podSelector === undefined || this.selects(peer.podSelector, e.pod.metadata.labels));
  }

  private portMatches(entry: Obj, dst: End, port: number, protocol: Protocol): boolean {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    if (typeof entry.port === 'number') return port >= entry.port && port <= (entry.endPort ?? entry.port);
    if (!('pod' in dst)) return false;
    const c = dst.pod.spec.containers[0].ports.find((cp: Obj) => cp.name === entry.port && (cp.protocol ?? 'TCP') === protocol);
    return c !== undefined && c.containerPort === port;
  }

  private namespaceLabels(name: string): Labels {
    const ns = this.namespaces.find((n) => n.metadata.name === name);
    return { ...(ns?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  }

  private selects(sel: Obj | undefined, labels: Labels): boolean {
    if (!sel) return true;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const x of sel.matchExpressions ?? []) {
      const has = k(labels, x.key);
      const ok =
        x.operator === SelectorOperator.IN
          ? has && x.values.includes(labels[x.key])
          : x.operator === SelectorOperator.NOT_IN
            ? !has || !x.values.includes(labels[x.key])
            : x.operator === SelectorOperator.EXISTS
              ? has
              : !has;
      if (!ok) return false;
    }
    return true;
  }
}

function k(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function inCidr(ip: string, cidr: string): boolean {
  const [addr, len] = cidr.split('/');
  const a = parseIp(ip);
  const b = parseIp(addr);
  if (a.family !== b.family) return false;
  const bits = a.family === 4 ? 32 : 128;
  const shift = BigInt(bits - Number(len));
  return a.value >> shift === b.value >> shift;
}

// ------------------------------------------------------------------ property

const PROBE_PORTS = [1, 53, 80, 81, 443, 2905, 3000, 8080, 8081, 11000, 65535];
const PROTOCOLS: Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
const OUTSIDE = ['10.0.0.9', '10.1.2.3', '192.168.0.9', '8.8.8.8', '2001:db8::9', '2001:db8:0:1::9', 'fd00::1'];

test('the analyzer agrees with a brute-force evaluation of every pair, port and protocol', () => {
  fc.assert(
    fc.property(worldArb, ({ namespaces, pods, policies, ipBlockPods }) => {
      const documents = [...namespaces, ...pods, ...policies].map((object, doc) => ({ file: 'generated.yaml', doc, object }));
      const m = manifestsFromDocuments(documents);
      const a = analyze(m.policies, m.cluster, { ipBlockPods });
      const oracle = new Oracle(policies, namespaces, ipBlockPods);
      const ends: Array<{ ref: string; end: End }> = [
        ...pods.map((p) => ({ ref: `${p.metadata.namespace}/${p.metadata.name}`, end: { pod: p } })),
        ...OUTSIDE.map((ip) => ({ ref: ip, end: { ip } })),
      ];
      for (const from of ends) {
        for (const to of ends) {
          if (from === to || ('ip' in from.end && 'ip' in to.end)) continue;
          const set = a.connectionSet(from.ref, to.ref);
          for (const protocol of PROTOCOLS) {
            for (const port of PROBE_PORTS) {
              const want = oracle.allows(from.end, to.end, port, protocol);
              if (set.contains(port, protocol) !== want) {
                throw new Error(`${from.ref} -> ${to.ref} ${protocol} ${port}: analyzer says ${!want}, oracle says ${want} (set: ${set})`);
              }
            }
          }
        }
      }
      // connections() lists exactly the non-empty pairs of workloads.
      const listed = new Set(
        a
          .connections()
          .filter((c) => c.from.type === 'workload' && c.to.type === 'workload')
          .map((c) => `${a.nameOf(c.from)} ${a.nameOf(c.to)}`),
      );
      for (const from of pods) {
        for (const to of pods) {
          if (from === to) continue;
          const f = `${from.metadata.namespace}/${from.metadata.name}`;
          const t = `${to.metadata.namespace}/${to.metadata.name}`;
          expect(listed.has(`${f} ${t}`)).toBe(!a.connectionSet(f, t).isEmpty);
        }
      }
    }),
    { numRuns: 400 },
  );
});
