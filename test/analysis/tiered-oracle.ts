/**
 * An independent, brute-force evaluator of what NetworkPolicies and ClusterNetworkPolicies
 * together allow, written straight from the API text and nothing else of this project: it reads
 * the plain manifest objects (no lib/io, no lib/model), and looks at one connection at a time,
 * pod by pod and rule by rule: an oracle to property-test the analyzer against.
 *
 * The semantics, per direction (kubernetes-sigs/network-policy-api `apis/v1alpha2/clusternetworkpolicy_types.go`,
 * `site-src/api-overview.md`; Kubernetes NetworkPolicy for the middle tier):
 *
 * 1. Admin tier: the ClusterNetworkPolicies of the tier whose subject selects the pod, by
 *    priority (lower first); within one, the rules of the direction in written order; the first
 *    rule that matches decides: Accept allows, Deny denies, Pass skips to 2. Several policies of
 *    one priority that match with different actions leave the outcome to the implementation.
 * 2. NetworkPolicy: if one selects the pod for the direction, allowed exactly when a rule of such
 *    a policy matches; final either way.
 * 3. Baseline tier: as 1, Pass going to 4.
 * 4. Allowed.
 *
 * A connection is allowed when its egress (at a source pod) and its ingress (at a destination pod)
 * are. Addresses outside the cluster and domain names have no side of their own. Host-networked
 * pods are never a subject or a pods/namespaces peer of a ClusterNetworkPolicy; traffic to them
 * goes to their node's address. For NetworkPolicy the Kubernetes documentation leaves them to the
 * network plugin (selected like pods, or not at all), so both readings are evaluated and a
 * difference is `unknown`. A pod connecting to its own address is not subject to
 * ClusterNetworkPolicy (api-overview.md, "hairpin"). Where a fact is unknown (the address of a pod
 * with none in its status, the addresses behind a domain name), the evaluation follows both
 * branches; when they disagree the verdict is `unknown`, never a guess.
 *
 * Domain names are endpoints of their own: matched by `domainNames` peers (exact, or `*.` for one
 * or more labels, letter case and a trailing dot aside), never by pods, namespaces or nodes, and by
 * `networks` or `ipBlock` only when those cover every address of both families.
 */
import { parseAllDocuments } from 'yaml';

/** The verdict on one connection. */
export type OracleVerdict = 'allowed' | 'denied' | 'unknown';

/** One connection: endpoints are `namespace/pod`, an IP address, or a domain name. */
export interface OracleProbe {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** The verdict and, for each side that was evaluated, what decided it. */
export interface OracleDecision {
  readonly verdict: OracleVerdict;
  /** `Admin egress-tcp egress rule 0 (Accept)`, `NetworkPolicy ns/name`, `Baseline default ...`, `default`; one per possible outcome. */
  readonly egress: readonly string[];
  readonly ingress: readonly string[];
}

type Obj = Record<string, any>;
type Tri = 'yes' | 'no' | 'unknown';
type Verdict = 'allowed' | 'denied';

interface Address {
  readonly family: 4 | 6;
  readonly value: bigint;
}

interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly hostNetwork: boolean;
  readonly nodeName?: string;
  readonly ip?: Address;
  readonly ports: ReadonlyArray<{ name?: string; port: number; protocol: string }>;
}

interface Node {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly addresses: readonly Address[];
}

interface End {
  readonly pod?: Pod;
  /** The address the connection uses, when known. */
  readonly ip?: Address;
  readonly domain?: string;
}

/** An outcome of one direction: the verdict and what decided it. */
interface Outcome {
  readonly verdict: Verdict;
  readonly reason: string;
}

export class TieredOracle {
  /** An oracle over every object of the given YAML texts. */
  public static fromYaml(texts: readonly string[]): TieredOracle {
    const objects: Obj[] = [];
    for (const t of texts) for (const d of parseAllDocuments(t)) if (d.toJS()) objects.push(d.toJS());
    return new TieredOracle(objects);
  }

  private readonly namespaces = new Map<string, Record<string, string>>();
  private readonly pods: Pod[] = [];
  private readonly nodes: Node[] = [];
  private readonly networkPolicies: Obj[] = [];
  private readonly clusterPolicies: Obj[] = [];

  constructor(objects: readonly Obj[]) {
    for (const o of objects) {
      switch (o.kind) {
        case 'Namespace':
          // the API server sets the name label
          this.namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name });
          break;
        case 'Pod':
          this.pods.push(readPod(o));
          break;
        case 'Node':
          this.nodes.push({
            name: o.metadata.name,
            labels: o.metadata.labels ?? {},
            addresses: (o.status?.addresses ?? [])
              .map((a: Obj) => parseAddress(a.address))
              .filter((a: Address | undefined) => a !== undefined),
          });
          break;
        case 'NetworkPolicy':
          this.networkPolicies.push(o);
          break;
        case 'ClusterNetworkPolicy':
          this.clusterPolicies.push(o);
          break;
      }
    }
  }

  /** The verdict on one connection. */
  public decide(probe: OracleProbe): OracleDecision {
    const from = this.endpoint(probe.from);
    const to = this.endpoint(probe.to);
    const host = from.pod?.hostNetwork === true || to.pod?.hostNetwork === true;
    // NetworkPolicy and host-networked pods: the plugin may select them like pods, or not at all
    const readings = host ? [true, false] : [true];
    const egress: Outcome[] = [];
    const ingress: Outcome[] = [];
    for (const hostPodsSelectable of readings) {
      egress.push(...this.side('egress', from, to, probe, hostPodsSelectable));
      ingress.push(...this.side('ingress', to, from, probe, hostPodsSelectable));
    }
    const e = new Set(egress.map((o) => o.verdict));
    const i = new Set(ingress.map((o) => o.verdict));
    const verdict: OracleVerdict =
      (e.size === 1 && e.has('denied')) || (i.size === 1 && i.has('denied'))
        ? 'denied'
        : e.size === 1 && e.has('allowed') && i.size === 1 && i.has('allowed')
          ? 'allowed'
          : 'unknown';
    const reasons = (os: Outcome[]) => [...new Set(os.map((o) => `${o.reason}: ${o.verdict}`))];
    return { verdict, egress: reasons(egress), ingress: reasons(ingress) };
  }

  /** The outcomes of one direction, evaluated at `self` (the source for egress, the destination for ingress). */
  private side(direction: 'egress' | 'ingress', self: End, other: End, probe: OracleProbe, hostPodsSelectable: boolean): Outcome[] {
    const pod = self.pod;
    if (!pod) return [{ verdict: 'allowed', reason: 'outside the cluster' }];
    const dst = direction === 'egress' ? other : self;
    // a pod reaching its own address is not subject to ClusterNetworkPolicy
    const hairpin = other.pod === pod;
    const tier = (t: string) =>
      hairpin || pod.hostNetwork
        ? []
        : this.clusterPolicies
            .filter((c) => c.spec?.tier === t && this.subjectSelects(c.spec.subject, pod))
            .sort((a, b) => a.spec.priority - b.spec.priority);
    const networkPolicy = (): Outcome[] => {
      const np = this.networkPolicyTier(direction, pod, other, dst, probe, hostPodsSelectable);
      return np ?? baseline();
    };
    const baseline = (): Outcome[] =>
      this.tierOutcomes('Baseline', tier('Baseline'), direction, other, dst, probe, () => [{ verdict: 'allowed', reason: 'default' }]);
    return this.tierOutcomes('Admin', tier('Admin'), direction, other, dst, probe, networkPolicy);
  }

  /** Policies of one tier, by priority; `next` is the tier after (on Pass, or when nothing matches). */
  private tierOutcomes(
    tier: string,
    policies: readonly Obj[],
    direction: 'egress' | 'ingress',
    other: End,
    dst: End,
    probe: OracleProbe,
    next: () => Outcome[],
  ): Outcome[] {
    const groups = new Map<number, Obj[]>();
    for (const p of policies) groups.set(p.spec.priority, [...(groups.get(p.spec.priority) ?? []), p]);
    const ordered = [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
    const run = (g: number): Outcome[] => {
      if (g === ordered.length) return next();
      // each policy: the possible results of its first matching rule (several when a match is unknown)
      const perPolicy = ordered[g].map((p) => this.firstMatch(tier, p, direction, other, dst, probe));
      const out: Outcome[] = [];
      for (const combo of product(perPolicy)) {
        const matched = combo.filter((r) => r.action !== 'none');
        if (matched.length === 0) {
          out.push(...run(g + 1));
          continue;
        }
        // the implementation may apply any of the matching policies of one priority
        for (const m of matched) {
          if (m.action === 'Accept') out.push({ verdict: 'allowed', reason: m.reason });
          else if (m.action === 'Deny') out.push({ verdict: 'denied', reason: m.reason });
          else out.push(...next().map((o) => ({ ...o, reason: `${m.reason}, then ${o.reason}` })));
        }
      }
      return out;
    };
    return run(0);
  }

  /** The possible first matching rules of a policy in a direction (`none` when none matches). */
  private firstMatch(
    tier: string,
    policy: Obj,
    direction: 'egress' | 'ingress',
    other: End,
    dst: End,
    probe: OracleProbe,
  ): Array<{ action: string; reason: string }> {
    const rules: Obj[] = policy.spec[direction] ?? [];
    const walk = (i: number): Array<{ action: string; reason: string }> => {
      if (i === rules.length) return [{ action: 'none', reason: '' }];
      const r = rules[i];
      const reason = `${tier} ${policy.metadata.name} ${direction} rule ${i} (${r.action})`;
      const peers: Obj[] = r[direction === 'egress' ? 'to' : 'from'] ?? [];
      // a name resolves to one address: networks peers that together hold every address match it
      const together: Tri =
        other.domain && coversEverything(peers.flatMap((p) => (p.networks ?? []).map((c: string) => ({ cidr: c, except: [] }))))
          ? 'yes'
          : 'no';
      const match = and(
        or([together, ...peers.map((p) => this.clusterPeerMatches(p, r.action, other))]),
        clusterPortsMatch(r.protocols, dst, probe),
      );
      if (match === 'yes') return [{ action: r.action, reason }];
      if (match === 'no') return walk(i + 1);
      return [{ action: r.action, reason }, ...walk(i + 1)];
    };
    return walk(0);
  }

  private subjectSelects(subject: Obj, pod: Pod): boolean {
    if (pod.hostNetwork) return false;
    const ns = this.namespaceLabels(pod.namespace);
    if (subject?.namespaces) return selects(subject.namespaces, ns);
    if (subject?.pods) return selects(subject.pods.namespaceSelector ?? {}, ns) && selects(subject.pods.podSelector ?? {}, pod.labels);
    return false;
  }

  /** Does a ClusterNetworkPolicy peer match the other end? */
  private clusterPeerMatches(peer: Obj, action: string, other: End): Tri {
    const known = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'].filter((k) => peer[k] !== undefined && peer[k] !== null);
    // no known field: a CRD of another version; implementations fail closed
    if (known.length !== 1) return action === 'Accept' ? 'no' : 'yes';
    const pod = other.pod;
    switch (known[0]) {
      case 'namespaces':
        return pod && !pod.hostNetwork && selects(peer.namespaces, this.namespaceLabels(pod.namespace)) ? 'yes' : 'no';
      case 'pods':
        return pod &&
          !pod.hostNetwork &&
          selects(peer.pods.namespaceSelector ?? {}, this.namespaceLabels(pod.namespace)) &&
          selects(peer.pods.podSelector ?? {}, pod.labels)
          ? 'yes'
          : 'no';
      case 'nodes': {
        if (other.domain) return 'no';
        const nodes = this.nodes.filter((n) => selects(peer.nodes, n.labels));
        if (pod?.hostNetwork && pod.nodeName) return nodes.some((n) => n.name === pod.nodeName) ? 'yes' : 'no';
        if (!other.ip) return 'no';
        return nodes.some((n) => n.addresses.some((a) => sameAddress(a, other.ip!))) ? 'yes' : 'no';
      }
      case 'networks':
        return inBlocks(
          (peer.networks as string[]).map((c) => ({ cidr: c, except: [] })),
          other,
        );
      case 'domainNames':
        return other.domain && (peer.domainNames as string[]).some((d) => domainMatches(d, other.domain!)) ? 'yes' : 'no';
    }
    return 'no';
  }

  /** The NetworkPolicy tier: undefined when no NetworkPolicy selects the pod for the direction. */
  private networkPolicyTier(
    direction: 'egress' | 'ingress',
    pod: Pod,
    other: End,
    dst: End,
    probe: OracleProbe,
    hostPodsSelectable: boolean,
  ): Outcome[] | undefined {
    if (pod.hostNetwork && !hostPodsSelectable) return undefined;
    const type = direction === 'egress' ? 'Egress' : 'Ingress';
    const selecting = this.networkPolicies.filter((p) => {
      if ((p.metadata.namespace ?? 'default') !== pod.namespace || !selects(p.spec?.podSelector ?? {}, pod.labels)) return false;
      const types: string[] = p.spec?.policyTypes?.length ? p.spec.policyTypes : ['Ingress', ...(p.spec?.egress?.length ? ['Egress'] : [])];
      return types.includes(type);
    });
    if (selecting.length === 0) return undefined;
    const matches: Array<{ m: Tri; reason: string }> = [];
    for (const p of selecting) {
      const id = `NetworkPolicy ${p.metadata.namespace ?? 'default'}/${p.metadata.name}`;
      (p.spec[direction] ?? []).forEach((r: Obj, i: number) => {
        const peers: Obj[] | undefined = r[direction === 'egress' ? 'to' : 'from'];
        const together: Tri =
          other.domain &&
          coversEverything((peers ?? []).filter((x) => x.ipBlock).map((x) => ({ cidr: x.ipBlock.cidr, except: x.ipBlock.except ?? [] })))
            ? 'yes'
            : 'no';
        const peer =
          !peers || peers.length === 0
            ? 'yes'
            : or([together, ...peers.map((x) => this.networkPeerMatches(x, p.metadata.namespace ?? 'default', other, hostPodsSelectable))]);
        matches.push({ m: and(peer, networkPortsMatch(r.ports, dst, probe)), reason: `${id} ${direction} rule ${i}` });
      });
    }
    const yes = matches.find((x) => x.m === 'yes');
    if (yes) return [{ verdict: 'allowed', reason: yes.reason }];
    const ids = selecting.map((p) => `NetworkPolicy ${p.metadata.namespace ?? 'default'}/${p.metadata.name}`).join(', ');
    const maybe = matches.filter((x) => x.m === 'unknown');
    if (maybe.length > 0)
      return [
        { verdict: 'allowed', reason: maybe[0].reason },
        { verdict: 'denied', reason: `${ids} (no rule matches)` },
      ];
    return [{ verdict: 'denied', reason: `${ids} (no rule matches)` }];
  }

  private networkPeerMatches(peer: Obj, namespace: string, other: End, hostPodsSelectable: boolean): Tri {
    if (peer.ipBlock) return inBlocks([{ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] }], other);
    const pod = other.pod;
    if (!pod || (pod.hostNetwork && !hostPodsSelectable)) return 'no';
    if (peer.namespaceSelector) {
      if (!selects(peer.namespaceSelector, this.namespaceLabels(pod.namespace))) return 'no';
    } else if (pod.namespace !== namespace) {
      return 'no';
    }
    return selects(peer.podSelector ?? {}, pod.labels) ? 'yes' : 'no';
  }

  private namespaceLabels(name: string): Record<string, string> {
    return this.namespaces.get(name) ?? { 'kubernetes.io/metadata.name': name };
  }

  private endpoint(text: string): End {
    if (text.includes('/')) {
      const pod = this.pods.find((p) => `${p.namespace}/${p.name}` === text);
      if (!pod) throw new Error(`no pod ${text}`);
      return { pod, ...((pod.ip ?? this.nodeAddress(pod)) ? { ip: pod.ip ?? this.nodeAddress(pod) } : {}) };
    }
    const ip = parseAddress(text);
    if (!ip) return { domain: text };
    const pod =
      this.pods.find((p) => !p.hostNetwork && p.ip && sameAddress(p.ip, ip)) ??
      this.pods.find((p) => p.hostNetwork && p.ip && sameAddress(p.ip, ip));
    return pod ? { pod, ip } : { ip };
  }

  private nodeAddress(pod: Pod): Address | undefined {
    if (!pod.hostNetwork || !pod.nodeName) return undefined;
    return this.nodes.find((n) => n.name === pod.nodeName)?.addresses[0];
  }
}

// ---------- label selectors ----------

function selects(selector: Obj | null | undefined, labels: Record<string, string>): boolean {
  const s = selector ?? {};
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const x of s.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, x.key);
    const values: string[] = x.values ?? [];
    if (x.operator === 'In' && !(has && values.includes(labels[x.key]))) return false;
    if (x.operator === 'NotIn' && has && values.includes(labels[x.key])) return false;
    if (x.operator === 'Exists' && !has) return false;
    if (x.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

// ---------- ports ----------

function clusterPortsMatch(protocols: Obj[] | undefined, dst: End, probe: OracleProbe): Tri {
  if (!protocols || protocols.length === 0) return 'yes';
  return protocols.some((p) => {
    if (p.destinationNamedPort !== undefined) return namedPortIs(dst, p.destinationNamedPort, undefined, probe);
    const key = probe.protocol.toLowerCase();
    const dp = p[key]?.destinationPort;
    if (!dp) return false;
    if (dp.number !== undefined) return dp.number === probe.port;
    return dp.range !== undefined && dp.range.start <= probe.port && probe.port <= dp.range.end;
  })
    ? 'yes'
    : 'no';
}

function networkPortsMatch(ports: Obj[] | undefined, dst: End, probe: OracleProbe): Tri {
  if (!ports || ports.length === 0) return 'yes';
  return ports.some((p) => {
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== probe.protocol) return false;
    if (p.port === undefined || p.port === null) return true;
    if (typeof p.port === 'string') return namedPortIs(dst, p.port, protocol, probe);
    return p.port <= probe.port && probe.port <= (p.endPort ?? p.port);
  })
    ? 'yes'
    : 'no';
}

/** A container port of the destination pod with this name is the probed port (and protocol, when given). */
function namedPortIs(dst: End, name: string, protocol: string | undefined, probe: OracleProbe): boolean {
  if (!dst.pod) return false;
  return dst.pod.ports.some(
    (c) => c.name === name && c.port === probe.port && c.protocol === probe.protocol && (protocol === undefined || c.protocol === protocol),
  );
}

// ---------- addresses ----------

function inBlocks(blocks: Array<{ cidr: string; except: string[] }>, other: End): Tri {
  if (other.ip)
    return blocks.some((b) => cidrContains(b.cidr, other.ip!) && !b.except.some((x) => cidrContains(x, other.ip!))) ? 'yes' : 'no';
  // an address we do not know: a pod without one in its status, or whatever a name resolves to
  if (other.pod && !other.pod.hostNetwork && !other.ip) return coversEverything(blocks) ? 'yes' : 'unknown';
  if (other.domain) return coversEverything(blocks) ? 'yes' : 'unknown';
  return 'no';
}

function coversEverything(blocks: Array<{ cidr: string; except: string[] }>): boolean {
  const full = (family: 4 | 6) =>
    blocks.some((b) => b.except.length === 0 && parseCidr(b.cidr)?.family === family && parseCidr(b.cidr)?.bits === 0);
  return full(4) && full(6);
}

function cidrContains(cidr: string, ip: Address): boolean {
  const c = parseCidr(cidr);
  if (!c || c.family !== ip.family) return false;
  const width = c.family === 4 ? 32 : 128;
  const shift = BigInt(width - c.bits);
  return ip.value >> shift === c.value >> shift;
}

function parseCidr(text: string): { family: 4 | 6; value: bigint; bits: number } | undefined {
  const [addr, bits] = text.split('/');
  const a = parseAddress(addr);
  if (!a || bits === undefined || !/^[0-9]+$/.test(bits)) return undefined;
  return { ...a, bits: Number(bits) };
}

function parseAddress(text: string | undefined): Address | undefined {
  if (typeof text !== 'string') return undefined;
  const four = parseV4(text);
  if (four !== undefined) return { family: 4, value: four };
  const six = parseV6(text);
  return six === undefined ? undefined : { family: 6, value: six };
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

/** Eight hex groups, at most one `::` for a run of zero groups, optionally a dotted IPv4 for the last two. */
function parseV6(text: string): bigint | undefined {
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseV4(piece);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return undefined;
  const zeros = 8 - head.length - tail.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return undefined;
  return [...head, ...Array<number>(zeros).fill(0), ...tail].reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function sameAddress(a: Address, b: Address): boolean {
  return a.family === b.family && a.value === b.value;
}

// ---------- domain names ----------

function domainMatches(pattern: string, host: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\.$/, '');
  const h = norm(host);
  if (pattern.startsWith('*.')) {
    const base = norm(pattern.slice(2));
    return h.endsWith(`.${base}`) && h.length > base.length + 1;
  }
  return h === norm(pattern);
}

// ---------- pods ----------

function readPod(o: Obj): Pod {
  const ports: Array<{ name?: string; port: number; protocol: string }> = [];
  for (const c of [...(o.spec?.containers ?? []), ...(o.spec?.initContainers ?? []).filter((c: Obj) => c.restartPolicy === 'Always')]) {
    for (const p of c.ports ?? []) ports.push({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' });
  }
  const ip = parseAddress(o.status?.podIPs?.[0]?.ip ?? o.status?.podIP);
  return {
    namespace: o.metadata.namespace ?? 'default',
    name: o.metadata.name,
    labels: o.metadata.labels ?? {},
    hostNetwork: o.spec?.hostNetwork === true,
    ...(o.spec?.nodeName ? { nodeName: o.spec.nodeName } : {}),
    ...(ip ? { ip } : {}),
    ports,
  };
}

// ---------- three-valued logic ----------

function or(values: Tri[]): Tri {
  if (values.includes('yes')) return 'yes';
  return values.includes('unknown') ? 'unknown' : 'no';
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'unknown';
}

function product<T>(lists: readonly T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}
