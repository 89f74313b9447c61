/**
 * The analyzer against a brute-force oracle, in three values: random NetworkPolicy objects,
 * Namespaces and Pods (as raw manifest JSON) go through the reader and the analyzer; the oracle
 * below evaluates the same JSON directly, pod by pod and port by port, from the Kubernetes
 * rules, in every world the unknowns allow: every label set of a namespace without a Namespace
 * object (unless the cluster is complete), every IP of a pod without `status.podIP`, every way
 * a pod whose container ports are unknown names its ports. "Allowed" must hold in every world,
 * "denied" in none, and "depends" in some and not others, with the condition the analyzer gives
 * holding exactly in the worlds that allow. The oracle shares no code with lib/analysis (it
 * only parses IP addresses with the model's parser, and evaluates the analyzer's conditions).
 */
import fc from 'fast-check';
import { analyze } from '../../lib/analysis';
import { parseIp } from '../../lib/model/cidr';
import { Condition, End } from '../../lib/model/condition';
import { manifestsFromDocuments } from '../../lib/io/manifests';
import { Protocol } from '../../lib/model/port';
import { Direction } from '../../lib/model/rule';
import { Verdict } from '../../lib/model/reach';

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
      ip: fc.option(fc.constantFrom(...IPS), { nil: undefined, freq: 2 }),
      portsUnknown: fc.constantFrom(false, false, false, true),
    })
    .map(({ namespace, labels, ports, ip, portsUnknown }): Obj => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `w${i}`, namespace, labels },
      spec: { containers: [{ name: 'c', ports }] },
      ...(ip ? { status: { podIP: ip } } : {}),
      // not part of the manifest: the test forgets the pod's container ports after reading it
      ...(portsUnknown ? { portsUnknown: true } : {}),
    }));

const namespacesArb = fc
  .tuple(...NAMESPACES.map((name) => fc.option(nsLabels, { nil: undefined, freq: 2 }).map((labels) => ({ name, labels }))))
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
  ipBlockPods: fc.constantFrom<'match' | 'ignore'>('match', 'match', 'ignore'),
  complete: fc.constantFrom(false, false, true),
});

// ------------------------------------------------------------------ oracle

/** One end of a pair: a pod, or an address outside the cluster. */
type EndRef = { pod: Obj } | { ip: string };

/** One assignment of the unknowns that matter for a pair. */
interface World {
  readonly labels: Record<End, Labels | undefined>;
  readonly ip: Record<End, string | undefined>;
  /** Names the destination declares as the probed port (protocol included): `TCP/http`. */
  readonly names: ReadonlySet<string>;
}

/** Representatives of every region the generated ipBlocks cut the address space into. */
const REGIONS = [
  '10.0.0.1',
  '10.0.1.1',
  '10.1.0.1',
  '10.2.0.1',
  '192.168.0.1',
  '192.168.1.1',
  '172.16.0.1',
  '8.8.8.8',
  '2001:db8::1',
  '2001:db8:1::1',
  '2001:db9::1',
];

class Oracle {
  private readonly nsLabelKeys: Map<string, Set<string>>;
  private readonly portNames: string[];

  constructor(
    private readonly policies: Obj[],
    private readonly namespaces: Obj[],
    private readonly ipBlockPods: 'match' | 'ignore',
    private readonly complete: boolean,
  ) {
    // The keys and values namespace selectors look at: an unknown namespace may carry any of
    // them, another value, or none.
    this.nsLabelKeys = new Map();
    const see = (sel: Obj | undefined) => {
      for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) this.values(k).add(v as string);
      for (const x of sel?.matchExpressions ?? []) for (const v of x.values ?? ['zz']) this.values(x.key).add(v);
    };
    const names = new Set<string>();
    for (const p of policies) {
      for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
        for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) see(peer.namespaceSelector);
        for (const port of rule.ports ?? []) if (typeof port.port === 'string') names.add(`${port.protocol ?? 'TCP'}/${port.port}`);
      }
    }
    this.portNames = [...names];
  }

  /**
   * Judges one probe in every world of the pair: whether some world allows it, whether all do,
   * and a sample of the worlds with their outcomes. The source's egress reads only facts about
   * the destination, the destination's ingress only facts about the source (and both the
   * destination's port names), so the worlds are walked per end, coupled only where the ends
   * share a namespace.
   */
  public judge(
    src: EndRef,
    dst: EndRef,
    port: number,
    protocol: Protocol,
  ): { some: boolean; all: boolean; sample: Array<[World, boolean]> } {
    const sameNs = 'pod' in src && 'pod' in dst && src.pod.metadata.namespace === dst.pod.metadata.namespace;
    const labelCases = (e: EndRef): Array<Labels | undefined> => ('pod' in e ? this.labelCases(e.pod.metadata.namespace) : [undefined]);
    const ipCases = (e: EndRef): Array<string | undefined> =>
      'ip' in e ? [e.ip] : e.pod.status?.podIP ? [e.pod.status.podIP] : this.ipBlockPods === 'ignore' ? [undefined] : REGIONS;
    const nameCases: Array<Set<string>> = 'pod' in dst && dst.pod.portsUnknown ? subsets(this.portNames) : [new Set()];
    let some = false;
    let all = true;
    const sample: Array<[World, boolean]> = [];
    for (const names of nameCases) {
      const couplings = sameNs ? labelCases(src).map((l) => [l, l] as const) : [[undefined, undefined] as const];
      for (const [shared] of couplings) {
        type Half = { labels: Labels | undefined; ip: string | undefined; ok: boolean };
        const egress: Half[] = [];
        for (const labels of sameNs ? [shared] : labelCases(dst)) {
          for (const ip of ipCases(dst)) {
            const w: World = { labels: { source: undefined, destination: labels }, ip: { source: undefined, destination: ip }, names };
            egress.push({ labels, ip, ok: this.direction('Egress', src, dst, dst, port, protocol, w) });
          }
        }
        const ingress: Half[] = [];
        for (const labels of sameNs ? [shared] : labelCases(src)) {
          for (const ip of ipCases(src)) {
            const w: World = { labels: { source: labels, destination: undefined }, ip: { source: ip, destination: undefined }, names };
            ingress.push({ labels, ip, ok: this.direction('Ingress', dst, src, dst, port, protocol, w) });
          }
        }
        some ||= egress.some((h) => h.ok) && ingress.some((h) => h.ok);
        all &&= egress.every((h) => h.ok) && ingress.every((h) => h.ok);
        // a sample of whole worlds, strided over the product of both ends' cases
        const total = egress.length * ingress.length;
        const stride = Math.max(1, Math.floor(total / 24));
        for (let k = 0; k < total; k += stride) {
          const e = egress[k % egress.length];
          const i = ingress[Math.floor(k / egress.length)];
          const w: World = { labels: { source: i.labels, destination: e.labels }, ip: { source: i.ip, destination: e.ip }, names };
          sample.push([w, e.ok && i.ok]);
        }
      }
    }
    return { some, all, sample };
  }

  /** Whether the analyzer's condition holds in the world. */
  public holds(v: Verdict, protocol: Protocol, w: World): boolean {
    return v.alternatives.some(
      (a) =>
        a.portNames.every((n) => n.protocol === protocol && w.names.has(`${n.protocol}/${n.name}`)) && this.conditionHolds(a.condition, w),
    );
  }

  private conditionHolds(c: Condition, w: World): boolean {
    return c.facts.every((f) => {
      if (f.kind === 'namespace-labels') return this.selects(f.selector.toJson(), w.labels[f.end] ?? {});
      if (f.kind === 'choice') throw new Error(`no choice facts without ClusterNetworkPolicies: ${f.text}`);
      const ip = w.ip[f.end];
      return ip !== undefined && f.addresses.intervals.some((r) => inRange(ip, r));
    });
  }

  private values(key: string): Set<string> {
    let s = this.nsLabelKeys.get(key);
    if (!s) this.nsLabelKeys.set(key, (s = new Set()));
    return s;
  }

  /** The label sets a namespace may have: its own, or any over the keys selectors look at. */
  private labelCases(name: string): Array<Labels | undefined> {
    const ns = this.namespaces.find((n) => n.metadata.name === name);
    if (ns || this.complete) return [{ ...(ns?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name }];
    let out: Labels[] = [{ 'kubernetes.io/metadata.name': name }];
    for (const [key, values] of this.nsLabelKeys) {
      if (key === 'kubernetes.io/metadata.name') continue;
      out = out.flatMap((l) => [l, ...[...values, 'zz'].map((v) => ({ ...l, [key]: v }))]);
    }
    return out;
  }

  private direction(
    dir: 'Ingress' | 'Egress',
    subject: EndRef,
    other: EndRef,
    dst: EndRef,
    port: number,
    protocol: Protocol,
    w: World,
  ): boolean {
    if (!('pod' in subject)) return true;
    const ns = subject.pod.metadata.namespace;
    const selecting = this.policies.filter(
      (p) => p.metadata.namespace === ns && this.types(p).includes(dir) && this.selects(p.spec.podSelector, subject.pod.metadata.labels),
    );
    if (selecting.length === 0) return true;
    const key = dir === 'Ingress' ? 'ingress' : 'egress';
    const peersKey = dir === 'Ingress' ? 'from' : 'to';
    const otherEnd: End = dir === 'Ingress' ? 'source' : 'destination';
    return selecting.some((p) =>
      (p.spec[key] ?? []).some((rule: Obj) => {
        const peers: Obj[] = rule[peersKey] ?? [];
        const ports: Obj[] = rule.ports ?? [];
        const peerOk = peers.length === 0 || peers.some((peer) => this.peerMatches(peer, p.metadata.namespace, other, otherEnd, w));
        const portOk = ports.length === 0 || ports.some((entry) => this.portMatches(entry, dst, port, protocol, w));
        return peerOk && portOk;
      }),
    );
  }

  private types(p: Obj): string[] {
    const t: string[] = p.spec.policyTypes ?? [];
    if (t.length > 0) return t;
    return (p.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  private peerMatches(peer: Obj, policyNs: string, e: EndRef, end: End, w: World): boolean {
    if (peer.ipBlock) {
      const ip = 'ip' in e ? e.ip : this.ipBlockPods === 'match' ? w.ip[end] : undefined;
      return ip !== undefined && inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x: string) => inCidr(ip, x));
    }
    if (!('pod' in e)) return false;
    const ns = e.pod.metadata.namespace;
    const nsOk = peer.namespaceSelector === undefined ? ns === policyNs : this.selects(peer.namespaceSelector, w.labels[end]!);
    return nsOk && (peer.podSelector === undefined || this.selects(peer.podSelector, e.pod.metadata.labels));
  }

  private portMatches(entry: Obj, dst: EndRef, port: number, protocol: Protocol, w: World): boolean {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    if (typeof entry.port === 'number') return port >= entry.port && port <= (entry.endPort ?? entry.port);
    if (!('pod' in dst)) return false;
    if (dst.pod.portsUnknown) return w.names.has(`${protocol}/${entry.port}`);
    const c = dst.pod.spec.containers[0].ports.find((cp: Obj) => cp.name === entry.port && (cp.protocol ?? 'TCP') === protocol);
    return c !== undefined && c.containerPort === port;
  }

  private selects(sel: Obj | undefined, labels: Labels): boolean {
    if (!sel) return true;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const x of sel.matchExpressions ?? []) {
      const has = hasKey(labels, x.key);
      const ok =
        x.operator === 'In'
          ? has && x.values.includes(labels[x.key])
          : x.operator === 'NotIn'
            ? !has || !x.values.includes(labels[x.key])
            : x.operator === 'Exists'
              ? has
              : !has;
      if (!ok) return false;
    }
    return true;
  }
}

function hasKey(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function subsets(items: readonly string[]): Array<Set<string>> {
  let out: string[][] = [[]];
  for (const i of items) out = out.flatMap((s) => [s, [...s, i]]);
  return out.map((s) => new Set(s));
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

function inRange(ip: string, r: { family: number; first: bigint; last: bigint }): boolean {
  const a = parseIp(ip);
  return a.family === r.family && r.first <= a.value && a.value <= r.last;
}

// ------------------------------------------------------------------ property

const PROBE_PORTS = [1, 53, 80, 81, 443, 2905, 8080, 11000];
const PROTOCOLS: Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
const OUTSIDE = ['10.0.0.9', '10.1.2.3', '192.168.0.9', '8.8.8.8', '2001:db8::9', '2001:db8:0:1::9', 'fd00::1'];

const counts = { allowed: 0, denied: 0, depends: 0 };
test('the analyzer agrees with a brute-force evaluation in every world the unknowns allow: allowed in all, denied in none, depends exactly where its condition holds', () => {
  fc.assert(
    fc.property(worldArb, ({ namespaces, pods, policies, ipBlockPods, complete }) => {
      const documents = [...namespaces, ...pods, ...policies].map((object, doc) => ({ file: 'generated.yaml', doc, object }));
      const m = manifestsFromDocuments(documents);
      const unknownPorts = new Set(pods.filter((p) => p.portsUnknown).map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      const workloads = m.cluster.workloads.map((w) =>
        unknownPorts.has(`${w.namespace}/${w.name}`) ? { ...w, ports: [], portsKnown: false } : w,
      );
      const a = analyze(m.policies, { ...m.cluster, workloads, complete }, { ipBlockPods });
      const oracle = new Oracle(policies, namespaces, ipBlockPods, complete);
      const ends: Array<{ ref: string; end: EndRef }> = [
        ...pods.map((p) => ({ ref: `${p.metadata.namespace}/${p.metadata.name}`, end: { pod: p } })),
        ...OUTSIDE.map((ip) => ({ ref: ip, end: { ip } })),
      ];
      for (const from of ends) {
        for (const to of ends) {
          if (from === to || ('ip' in from.end && 'ip' in to.end)) continue;
          const reach = a.reach(from.ref, to.ref);
          for (const protocol of PROTOCOLS) {
            for (const port of PROBE_PORTS) {
              const v = reach.verdict(port, protocol);
              const { some, all, sample } = oracle.judge(from.end, to.end, port, protocol);
              const want = all ? 'allowed' : some ? 'depends' : 'denied';
              const where = `${from.ref} -> ${to.ref} ${protocol} ${port}`;
              counts[v.value]++;
              if (v.value !== want) throw new Error(`${where}: analyzer says ${v.value}, oracle says ${want} (reach: ${reach})`);
              // the explanation, which evaluates the rules one by one, gives the same answer
              if (port === 80) {
                const e = a.explain(from.ref, to.ref, port, protocol);
                if (e.verdict.value !== v.value) throw new Error(`${where}: explain says ${e.verdict.value}, the analysis ${v.value}`);
              }
              if (v.value !== 'depends') continue;
              for (const [w, allowed] of sample) {
                if (oracle.holds(v, protocol, w) !== allowed) {
                  throw new Error(
                    `${where}: the condition of ${reach} is wrong in the world ${JSON.stringify({ ...w, names: [...w.names] })}`,
                  );
                }
              }
            }
          }
        }
      }
      // connections() lists exactly the pairs of workloads with something allowed or depending.
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
          expect(listed.has(`${f} ${t}`)).toBe(!a.reach(f, t).isEmpty);
        }
      }
    }),
    { numRuns: 120 },
  );
  // the worlds generated exercise every value, depends included
  expect(counts.depends).toBeGreaterThan(50);
  expect(counts.allowed).toBeGreaterThan(50);
  expect(counts.denied).toBeGreaterThan(50);
});

test("sideReach gives each end's answer as an analysis of that direction's policies alone gives it", () => {
  let pairs = 0;
  let differ = 0;
  fc.assert(
    fc.property(worldArb, ({ namespaces, pods, policies, ipBlockPods, complete }) => {
      const documents = [...namespaces, ...pods, ...policies].map((object, doc) => ({ file: 'generated.yaml', doc, object }));
      const m = manifestsFromDocuments(documents);
      const cluster = { ...m.cluster, complete };
      const both = analyze(m.policies, cluster, { ipBlockPods });
      const alone = {
        [Direction.EGRESS]: analyze(
          m.policies.flatMap((p) => p.onlyDirection(Direction.EGRESS) ?? []),
          cluster,
          { ipBlockPods },
        ),
        [Direction.INGRESS]: analyze(
          m.policies.flatMap((p) => p.onlyDirection(Direction.INGRESS) ?? []),
          cluster,
          { ipBlockPods },
        ),
      };
      for (const a of cluster.workloads) {
        for (const b of cluster.workloads) {
          if (a === b) continue;
          const from = { type: 'workload' as const, workload: a };
          const to = { type: 'workload' as const, workload: b };
          const egress = both.sideReach(Direction.EGRESS, from, to);
          const ingress = both.sideReach(Direction.INGRESS, from, to);
          expect([egress.toString(), ingress.toString()]).toEqual([
            alone[Direction.EGRESS].reach(from, to).toString(),
            alone[Direction.INGRESS].reach(from, to).toString(),
          ]);
          pairs++;
          if (egress.toString() !== ingress.toString()) differ++;
        }
      }
    }),
    { numRuns: 150 },
  );
  // the worlds give pairs whose two ends answer differently
  expect(pairs).toBeGreaterThan(500);
  expect(differ).toBeGreaterThan(100);
});
