/**
 * Offline reachability: what a set of NetworkPolicies allows between the workloads of a
 * cluster and the addresses outside it, with the exact Kubernetes semantics.
 *
 * It scales by never looking at pods one pair at a time: workloads that no selector, ipBlock
 * or named port can tell apart form one class; each distinct set of policies that selects a
 * class is evaluated once, as a row over classes; ports are interval sets and external
 * addresses are the ranges that the ipBlocks distinguish. A pair's answer is then one
 * intersection of two precomputed sets.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { Cidr, formatIp, IpAddress, parseIp } from '../model/cidr';
import { Cluster, Workload, workloadId } from '../model/cluster';
import { NetpolError } from '../model/errors';
import { Peer, PeerKind } from '../model/peer';
import { isProtocol, Protocol } from '../model/port';
import { Policy } from '../model/policy';
import { Direction, Rule } from '../model/rule';
import { Labels, LabelSelector, NAMESPACE_NAME_LABEL } from '../model/selector';
import { AddressRange, findRange, partitionAddressSpace, rangesInside } from './address-range';
import { ConnectionSet } from './connection-set';
import { Connection, Endpoint, ExternalEndpoint, workloadKindName } from './endpoint';
import { explainPair, Explanation } from './explanation';
import { Bitset } from './private/bitset';
import { SelectorIndex } from './private/selector-index';
import { IpBlockPods, resolveNamedPort } from './peer-matching';
import { rulePortSet } from './private/semantics';
import { SetTable } from './private/set-table';

/** Options of `analyze`. */
export interface AnalyzeOptions {
  /**
   * Whether an ipBlock peer matches pods whose IP (`status.podIP`/`podIPs`, any of them) lies in
   * it. `'match'` is what Kubernetes does; `'ignore'` is np-guard's convention, where ipBlocks
   * match only addresses outside the cluster.
   * @default 'match'
   */
  readonly ipBlockPods?: IpBlockPods;
}

/** A group of workloads that no policy can tell apart: every pair of them is treated alike. */
export interface WorkloadClass {
  /** Position in `Analysis.classes`. */
  readonly index: number;
  /** Its workloads, in the cluster's order. */
  readonly workloads: readonly Workload[];
}

/**
 * Analyses what the policies allow in the cluster.
 *
 * Policies are additive and both ends must allow a connection: a pod is isolated for ingress
 * (egress) once a policy of its namespace selects it and lists Ingress (Egress); then only what
 * such a policy's rules allow gets in (out). Addresses outside the cluster are not isolated.
 *
 * @example
 * const a = analyze(policies, cluster);
 * a.allows('shop/web', 'shop/db', 5432, 'TCP'); // true or false
 * a.connectionSet('shop/web', 'shop/db').toString(); // 'TCP 5432'
 * console.log(a.explain('shop/web', 'shop/db', 5432).format());
 */
export function analyze(policies: readonly Policy[], cluster: Cluster, options: AnalyzeOptions = {}): Analysis {
  return new (Analysis as any)(policies, cluster, options.ipBlockPods ?? 'match') as Analysis;
}

interface CompiledRule {
  readonly policy: Policy;
  readonly direction: Direction;
  readonly rule: Rule;
  /** Classes matched by some peer of the rule, ascending. */
  readonly classes: Int32Array;
  /** Indices of this direction's external ranges matched by some peer. */
  readonly external: Int32Array;
  /** The allowed ports when they do not depend on the destination (no named port), else -1. */
  readonly fixedPorts: number;
  /** Toward an external destination: named ports give nothing. */
  readonly extPorts: number;
  /** Per destination class, when the ports depend on it; -1 = not computed yet. */
  readonly perClass?: Int32Array;
  /** Set ids by the values the named ports take, when the ports depend on the destination. */
  readonly bySignature?: Map<string, number>;
}

interface Row {
  /** Set id per class. */
  readonly classes: Int32Array;
  /** Set id per external range of the direction's partition. */
  readonly external: Int32Array;
}

/** The result of `analyze`: answers questions about connections. */
export class Analysis {
  /** The workloads analysed, in the cluster's order. */
  public readonly workloads: readonly Workload[];
  /** The policies analysed. */
  public readonly policies: readonly Policy[];
  /** Every namespace: the cluster's, and those only referenced, with their labels. */
  public readonly namespaces: ReadonlyMap<string, Labels>;
  /** External source ranges: the address space (IPv4, then IPv6) cut by the ingress ipBlocks. */
  public readonly externalSources: readonly AddressRange[];
  /** External destination ranges: the address space cut by the egress ipBlocks. */
  public readonly externalDestinations: readonly AddressRange[];
  /** The classes of indistinguishable workloads. */
  public readonly classes: readonly WorkloadClass[];
  /** How ipBlock peers treat pod IPs. */
  public readonly ipBlockPods: IpBlockPods;

  private readonly table = new SetTable();
  private readonly classOf: Int32Array;
  private readonly egressRowOf: Int32Array;
  private readonly ingressRowOf: Int32Array;
  private readonly egressRows: Row[] = [];
  private readonly ingressRows: Row[] = [];
  private readonly byName = new Map<string, number[]>();
  private readonly position = new Map<Workload, number>();
  private pairIds?: Int32Array;

  private constructor(policies: readonly Policy[], cluster: Cluster, ipBlockPods: IpBlockPods) {
    this.policies = policies;
    this.workloads = cluster.workloads;
    this.ipBlockPods = ipBlockPods;
    const n = this.workloads.length;
    this.workloads.forEach((w, i) => {
      this.position.set(w, i);
      const id = workloadId(w);
      const list = this.byName.get(id);
      if (list) list.push(i);
      else this.byName.set(id, [i]);
    });

    // Namespaces: the cluster's, then those only referenced, with the name label always set.
    const namespaces = new Map<string, Labels>();
    for (const ns of cluster.namespaces) namespaces.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });
    for (const name of [...this.workloads.map((w) => w.namespace), ...policies.map((p) => p.namespace)]) {
      if (!namespaces.has(name)) namespaces.set(name, { [NAMESPACE_NAME_LABEL]: name });
    }
    this.namespaces = namespaces;
    const nsNames = [...namespaces.keys()];
    const nsPosition = new Map(nsNames.map((name, i) => [name, i]));
    const nsMembers = nsNames.map(() => Bitset.empty(n));
    this.workloads.forEach((w, i) => nsMembers[nsPosition.get(w.namespace)!].add(i));
    const pods = new SelectorIndex(this.workloads.map((w) => w.labels));
    const nsIndex = new SelectorIndex(nsNames.map((name) => namespaces.get(name)!));
    const all = Bitset.full(n);
    const none = Bitset.empty(n);

    // Which workloads each policy selects and each peer matches.
    const nsSelectorCache = new Map<string, Bitset>();
    const podsOfNamespaces = (selector: LabelSelector): Bitset => {
      const key = JSON.stringify(selector.toJson());
      let b = nsSelectorCache.get(key);
      if (!b) {
        b = Bitset.empty(n);
        const acc = b;
        nsIndex.matching(selector).forEach((i) => acc.orInPlace(nsMembers[i]));
        nsSelectorCache.set(key, b);
      }
      return b;
    };
    const peerCache = new Map<string, Bitset>();
    const peerSet = (peer: Peer, policyNs: string): Bitset => {
      const key = peer.kind === PeerKind.PODS ? `${policyNs}\u0000${peer.key}` : peer.key;
      let b = peerCache.get(key);
      if (b) return b;
      switch (peer.kind) {
        case PeerKind.ANY:
          b = all;
          break;
        case PeerKind.PODS:
          b = pods.matching(peer.podSelector!).and(nsMembers[nsPosition.get(policyNs)!]);
          break;
        case PeerKind.NAMESPACES: {
          const inNs = podsOfNamespaces(peer.namespaceSelector!);
          b = peer.podSelector ? pods.matching(peer.podSelector).and(inNs) : inNs;
          break;
        }
        case PeerKind.IP_BLOCK: {
          b = none;
          if (ipBlockPods === 'match') {
            const hit = Bitset.empty(n);
            this.workloads.forEach((w, i) => {
              if ((w.ips ?? []).some((ip) => peer.ipBlock!.containsIp(ip))) hit.add(i);
            });
            b = hit;
          }
          break;
        }
      }
      peerCache.set(key, b);
      return b;
    };
    const subjects = policies.map((p) => pods.matching(p.podSelector).and(nsMembers[nsPosition.get(p.namespace)!]));

    // Classes: refine "all workloads alike" by every set a selector or ipBlock makes, and by
    // the value every named port takes.
    const refineBy = new Set<Bitset>(subjects);
    const namedPorts = new Map<string, { name: string; protocol: Protocol }>();
    for (const p of policies) {
      for (const r of [...p.ingress, ...p.egress]) {
        for (const peer of r.peers) refineBy.add(peerSet(peer, p.namespace));
        for (const port of r.ports) {
          if (typeof port.port === 'string') namedPorts.set(`${port.protocol}/${port.port}`, { name: port.port, protocol: port.protocol });
        }
      }
    }
    const cls = new Int32Array(n);
    let next = n > 0 ? 1 : 0;
    const refine = (members: Iterable<number> | Bitset) => {
      const remap = new Map<number, number>();
      const visit = (w: number) => {
        const old = cls[w];
        let moved = remap.get(old);
        if (moved === undefined) remap.set(old, (moved = next++));
        cls[w] = moved;
      };
      if (members instanceof Bitset) members.forEach(visit);
      else for (const w of members) visit(w);
    };
    for (const b of refineBy) if (b !== all && b !== none) refine(b);
    for (const { name, protocol } of namedPorts.values()) {
      const groups = new Map<number, number[]>();
      this.workloads.forEach((w, i) => {
        const port = w.ports.find((c) => c.name === name && (c.protocol ?? 'TCP') === protocol)?.containerPort;
        if (port === undefined) return;
        const g = groups.get(port);
        if (g) g.push(i);
        else groups.set(port, [i]);
      });
      for (const g of groups.values()) refine(g);
    }
    // Compact class ids in order of first member.
    const compact = new Map<number, number>();
    const members: Workload[][] = [];
    const reps: number[] = [];
    for (let i = 0; i < n; i++) {
      let c = compact.get(cls[i]);
      if (c === undefined) {
        compact.set(cls[i], (c = members.length));
        members.push([]);
        reps.push(i);
      }
      cls[i] = c;
      members[c].push(this.workloads[i]);
    }
    this.classOf = cls;
    this.classes = members.map((ws, index) => ({ index, workloads: ws }));
    const C = this.classes.length;
    const toClasses = (b: Bitset): Int32Array => {
      if (b === all) return Int32Array.from({ length: C }, (_, i) => i);
      const out: number[] = [];
      for (let c = 0; c < C; c++) if (b.has(reps[c])) out.push(c);
      return Int32Array.from(out);
    };

    // External ranges.
    const blocks = (rules: (p: Policy) => readonly Rule[]) =>
      policies.flatMap((p) =>
        rules(p).flatMap((r) => r.peers.filter((peer) => peer.kind === PeerKind.IP_BLOCK).map((peer) => peer.ipBlock!)),
      );
    this.externalSources = partitionAddressSpace(blocks((p) => p.ingress));
    this.externalDestinations = partitionAddressSpace(blocks((p) => p.egress));

    // Rules, compiled once.
    const table = this.table;
    const expandRuns = (runs: ReadonlyArray<readonly [number, number]>): Int32Array => {
      const out: number[] = [];
      for (const [a, b] of runs) for (let x = a; x <= b; x++) out.push(x);
      return Int32Array.from(new Set(out));
    };
    const compiled = new Map<Policy, { Ingress: CompiledRule[]; Egress: CompiledRule[] }>();
    const compile = (p: Policy): { Ingress: CompiledRule[]; Egress: CompiledRule[] } => {
      let c = compiled.get(p);
      if (c) return c;
      const make = (direction: Direction): CompiledRule[] => {
        const partition = direction === 'Ingress' ? this.externalSources : this.externalDestinations;
        return p.rules(direction).map((rule) => {
          let matched: Bitset;
          const extRuns: Array<readonly [number, number]> = [];
          if (rule.anyPeer) {
            matched = all;
            extRuns.push([0, partition.length - 1]);
          } else {
            matched = Bitset.empty(n);
            for (const peer of rule.peers) {
              matched.orInPlace(peerSet(peer, p.namespace));
              if (peer.kind === PeerKind.IP_BLOCK) for (const run of rangesInside(partition, peer.ipBlock!)) extRuns.push(run);
            }
          }
          const named = rule.ports.some((port) => typeof port.port === 'string');
          return {
            policy: p,
            direction,
            rule,
            classes: toClasses(matched),
            external: expandRuns(extRuns),
            fixedPorts: named ? -1 : table.intern(rulePortSet(rule, undefined)),
            extPorts: table.intern(rulePortSet(rule, undefined)),
            ...(named ? { perClass: new Int32Array(C).fill(-1), bySignature: new Map<string, number>() } : {}),
          };
        });
      };
      c = { Ingress: make(Direction.INGRESS), Egress: make(Direction.EGRESS) };
      compiled.set(p, c);
      return c;
    };
    const portsFor = (r: CompiledRule, dstClass: number): number => {
      if (r.fixedPorts >= 0) return r.fixedPorts;
      let id = r.perClass![dstClass];
      if (id < 0) {
        // Classes whose named ports resolve alike share one set.
        const w = this.classes[dstClass].workloads[0];
        const signature = r.rule.ports
          .map((port) => (typeof port.port === 'string' ? (resolveNamedPort(w, port.port, port.protocol) ?? '-') : ''))
          .join(',');
        id = r.bySignature!.get(signature) ?? -1;
        if (id < 0) r.bySignature!.set(signature, (id = table.intern(rulePortSet(r.rule, w))));
        r.perClass![dstClass] = id;
      }
      return id;
    };

    // Which policies isolate each class, per direction.
    const selecting: { Ingress: Policy[][]; Egress: Policy[][] } = { Ingress: members.map(() => []), Egress: members.map(() => []) };
    policies.forEach((p, pi) => {
      for (const c of toClasses(subjects[pi])) {
        for (const d of p.policyTypes) selecting[d][c].push(p);
      }
    });
    const policyIndex = new Map(policies.map((p, i) => [p, i]));
    const scratch = new Int32Array(Math.max(C, this.externalSources.length, this.externalDestinations.length));

    // One row per distinct set of egress policies: what each destination gets.
    this.egressRowOf = new Int32Array(C).fill(-1);
    const egressKeys = new Map<string, number>();
    for (let c = 0; c < C; c++) {
      const ps = selecting.Egress[c];
      if (ps.length === 0) continue;
      const key = ps.map((p) => policyIndex.get(p)).join(',');
      let row = egressKeys.get(key);
      if (row === undefined) {
        egressKeys.set(key, (row = this.egressRows.length));
        const rules = ps.flatMap((p) => compile(p).Egress);
        const r: Row = {
          classes: new Int32Array(C).fill(SetTable.NONE),
          external: new Int32Array(this.externalDestinations.length).fill(SetTable.NONE),
        };
        fillRow(
          table,
          r.classes,
          rules.filter((cr) => cr.fixedPorts >= 0).map((cr) => ({ members: cr.classes, ports: cr.fixedPorts })),
          scratch,
        );
        for (const cr of rules) {
          if (cr.fixedPorts < 0) for (const d of cr.classes) r.classes[d] = table.union(r.classes[d], portsFor(cr, d));
        }
        fillRow(
          table,
          r.external,
          rules.map((cr) => ({ members: cr.external, ports: cr.extPorts })),
          scratch,
        );
        this.egressRows.push(r);
      }
      this.egressRowOf[c] = row;
    }

    // One row per distinct set of ingress policies (and named-port values): what each source gets.
    this.ingressRowOf = new Int32Array(C).fill(-1);
    const ingressKeys = new Map<string, number>();
    for (let c = 0; c < C; c++) {
      const ps = selecting.Ingress[c];
      if (ps.length === 0) continue;
      const rules = ps.flatMap((p) => compile(p).Ingress);
      const ports = rules.map((cr) => portsFor(cr, c));
      const key = `${ps.map((p) => policyIndex.get(p)).join(',')}#${rules.some((cr) => cr.fixedPorts < 0) ? ports.join(',') : ''}`;
      let row = ingressKeys.get(key);
      if (row === undefined) {
        ingressKeys.set(key, (row = this.ingressRows.length));
        const r: Row = {
          classes: new Int32Array(C).fill(SetTable.NONE),
          external: new Int32Array(this.externalSources.length).fill(SetTable.NONE),
        };
        fillRow(
          table,
          r.classes,
          rules.map((cr, i) => ({ members: cr.classes, ports: ports[i] })),
          scratch,
        );
        fillRow(
          table,
          r.external,
          rules.map((cr, i) => ({ members: cr.external, ports: ports[i] })),
          scratch,
        );
        this.ingressRows.push(r);
      }
      this.ingressRowOf[c] = row;
    }
  }

  /** The class of a workload of `workloads`. */
  public classOfWorkload(workload: Workload): WorkloadClass {
    const i = this.position.get(workload) ?? -1;
    if (i < 0) throw NetpolError.of('endpoint.unknown', '', `workload ${workloadId(workload)} is not part of this analysis`);
    return this.classes[this.classOf[i]];
  }

  /** What the policies allow from any workload of class `from` to any other of class `to`. */
  public classConnectionSet(from: number, to: number): ConnectionSet {
    const C = this.classes.length;
    return this.table.get(this.pairIds ? this.pairIds[to * C + from] : this.classPair(from, to));
  }

  /**
   * Computes the connection set of every ordered pair of classes at once (the all-pairs
   * analysis), and keeps it: later questions are then lookups. Memory: 4 bytes per pair of
   * classes.
   */
  public matrix(): ReachabilityMatrix {
    if (!this.pairIds) {
      // Destination-major, so that the inner loop reads the destination's ingress row and the
      // sources' egress rows in memory order.
      const C = this.classes.length;
      const ids = new Int32Array(C * C);
      const rows = this.egressRows.length;
      const column = new Int32Array(rows + 1);
      const table = this.table;
      const egressRowOf = this.egressRowOf;
      for (let d = 0; d < C; d++) {
        for (let k = 0; k < rows; k++) column[k] = this.egressRows[k].classes[d];
        column[rows] = SetTable.ALL;
        const ir = this.ingressRowOf[d];
        const ingress = ir < 0 ? undefined : this.ingressRows[ir].classes;
        const base = d * C;
        for (let s = 0; s < C; s++) {
          const er = egressRowOf[s];
          const e = column[er < 0 ? rows : er];
          const i = ingress ? ingress[s] : SetTable.ALL;
          ids[base + s] = e === SetTable.ALL ? i : i === SetTable.ALL ? e : table.intersect(e, i);
        }
      }
      this.pairIds = ids;
    }
    return new ReachabilityMatrix(
      this,
      this.pairIds,
      (id) => this.table.get(id),
      (isEmpty) => {
        let count = 0;
        this.classes.forEach((c, i) => {
          const weigh = (row: Row | undefined, ranges: number) => {
            if (!row) return ranges * c.workloads.length;
            let n = 0;
            for (const id of row.external) if (!isEmpty(id)) n++;
            return n * c.workloads.length;
          };
          count += weigh(this.ingressRows[this.ingressRowOf[i]], this.externalSources.length);
          count += weigh(this.egressRows[this.egressRowOf[i]], this.externalDestinations.length);
        });
        return count;
      },
    );
  }

  /** What an external source range (an index of `externalSources`) may send to a class. */
  public fromExternalToClass(source: number, to: number): ConnectionSet {
    const row = this.ingressRowOf[to];
    return this.table.get(row < 0 ? SetTable.ALL : this.ingressRows[row].external[source]);
  }

  /** What a class may send to an external destination range (an index of `externalDestinations`). */
  public fromClassToExternal(from: number, destination: number): ConnectionSet {
    const row = this.egressRowOf[from];
    return this.table.get(row < 0 ? SetTable.ALL : this.egressRows[row].external[destination]);
  }

  /**
   * Resolves an endpoint reference: a workload `ns/name` (or `ns/name[Kind]` when two workloads
   * share a name), or an IP address outside the cluster. Throws `NetpolError` naming what
   * exists when nothing matches.
   * @param role whether the endpoint is the source or the destination (external addresses
   *   fall into different ranges for each)
   */
  /**
   * Like `endpoint`, and also takes a CIDR outside the cluster (`10.0.0.0/8`): then one
   * endpoint per range of the partition that the CIDR overlaps, each named by its first
   * address inside the CIDR, since the policies may treat parts of the CIDR differently.
   */
  public endpoints(ref: string, role: 'from' | 'to'): Endpoint[] {
    const slash = ref.indexOf('/');
    if (slash > 0 && tryParseIp(ref.slice(0, slash))) {
      let cidr: Cidr;
      try {
        cidr = Cidr.parse(ref, { legacy: true });
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        throw NetpolError.of('endpoint.cidr', '', e.issues[0].message);
      }
      const partition = role === 'from' ? this.externalSources : this.externalDestinations;
      return partition
        .filter((r) => r.family === cidr.family && r.first <= cidr.last && r.last >= cidr.first)
        .map((range) => ({
          type: 'external' as const,
          range,
          address: { family: cidr.family, value: range.first > cidr.first ? range.first : cidr.first },
        }));
    }
    return [this.endpoint(ref, role)];
  }

  public endpoint(ref: string, role: 'from' | 'to'): Endpoint {
    const ip = tryParseIp(ref);
    if (ip) {
      const partition = role === 'from' ? this.externalSources : this.externalDestinations;
      return { type: 'external', range: partition[findRange(partition, ip)], address: ip };
    }
    const slash = ref.indexOf('/');
    if (slash > 0 && tryParseIp(ref.slice(0, slash))) {
      throw NetpolError.of(
        'endpoint.cidr',
        '',
        `"${ref}" is a CIDR; give one address, such as "${ref.slice(0, slash)}" (Analysis.endpoints takes CIDRs)`,
      );
    }
    const m = /^([^/]+)\/([^[\]/]+)(?:\[([^\]]+)\])?$/.exec(ref);
    if (!m) {
      throw NetpolError.of('endpoint.syntax', '', `"${ref}" is neither a workload ("namespace/name") nor an IP address`);
    }
    const [, ns, name, kind] = m;
    const found = (this.byName.get(`${ns}/${name}`) ?? []).filter((i) => kind === undefined || this.workloads[i].kind === kind);
    if (found.length === 1) return { type: 'workload', workload: this.workloads[found[0]] };
    if (found.length > 1) {
      const options = found.map((i) => `"${workloadKindName(this.workloads[i])}"`).join(', ');
      throw NetpolError.of('endpoint.ambiguous', '', `"${ref}" names ${found.length} workloads; write one of ${options}`);
    }
    const inNs = this.workloads.filter((w) => w.namespace === ns).map((w) => w.name);
    const hint =
      inNs.length === 0
        ? `namespace "${ns}" has no workloads`
        : `workloads in namespace "${ns}": ${[...new Set(inNs)].sort().slice(0, 10).join(', ')}${inNs.length > 10 ? ', …' : ''}`;
    throw NetpolError.of('endpoint.unknown', '', `no workload "${ref}" in the cluster; ${hint}`);
  }

  /**
   * What the policies allow from `from` to `to` (endpoint references as for `endpoint`, or
   * endpoints). Between two workloads both ends must allow it; an external end is not isolated.
   * Throws `NetpolError` when both ends are outside the cluster.
   */
  public connectionSet(from: string | Endpoint, to: string | Endpoint): ConnectionSet {
    const src = typeof from === 'string' ? this.endpoint(from, 'from') : from;
    const dst = typeof to === 'string' ? this.endpoint(to, 'to') : to;
    if (src.type === 'external' && dst.type === 'external') {
      throw NetpolError.of(
        'endpoint.external-pair',
        '',
        `both ends (${this.nameOf(src)} and ${this.nameOf(dst)}) are outside the cluster; NetworkPolicy governs only traffic to or from pods`,
      );
    }
    if (src.type === 'external') {
      const c = this.classOf[this.indexOf(dst)];
      const row = this.ingressRowOf[c];
      return this.table.get(row < 0 ? SetTable.ALL : this.ingressRows[row].external[this.rangeIndex(src, this.externalSources)]);
    }
    if (dst.type === 'external') {
      const c = this.classOf[this.indexOf(src)];
      const row = this.egressRowOf[c];
      return this.table.get(row < 0 ? SetTable.ALL : this.egressRows[row].external[this.rangeIndex(dst, this.externalDestinations)]);
    }
    return this.table.get(this.classPair(this.classOf[this.indexOf(src)], this.classOf[this.indexOf(dst)]));
  }

  /**
   * True if the policies allow a connection from `from` to `to` on the port and protocol.
   * @param protocol @default 'TCP'
   */
  public allows(from: string | Endpoint, to: string | Endpoint, port: number, protocol: Protocol = Protocol.TCP): boolean {
    checkProbe(port, protocol);
    return this.connectionSet(from, to).contains(port, protocol);
  }

  /**
   * Why the connection is allowed or not: which policies isolate each end, per direction, and
   * which rule, peer and port entry allows it, or what each rule lacks.
   * @param protocol @default 'TCP'
   */
  public explain(from: string | Endpoint, to: string | Endpoint, port: number, protocol: Protocol = Protocol.TCP): Explanation {
    checkProbe(port, protocol);
    const src = typeof from === 'string' ? this.endpoint(from, 'from') : from;
    const dst = typeof to === 'string' ? this.endpoint(to, 'to') : to;
    if (src.type === 'external' && dst.type === 'external') this.connectionSet(src, dst);
    return explainPair(this, src, dst, port, protocol);
  }

  /**
   * Every ordered pair with something allowed: workload to workload (never a workload to
   * itself), external source range to workload, workload to external destination range.
   * Workloads come in the cluster's order, ranges in address order.
   */
  public connections(): Connection[] {
    const out: Connection[] = [];
    const ws = this.workloads;
    const endpoints: Endpoint[] = ws.map((workload) => ({ type: 'workload', workload }));
    for (let a = 0; a < ws.length; a++) {
      for (let b = 0; b < ws.length; b++) {
        if (a === b) continue;
        const id = this.classPair(this.classOf[a], this.classOf[b]);
        if (id !== SetTable.NONE) out.push({ from: endpoints[a], to: endpoints[b], allowed: this.table.get(id) });
      }
    }
    this.externalSources.forEach((range, x) => {
      const from: ExternalEndpoint = { type: 'external', range };
      for (let b = 0; b < ws.length; b++) {
        const row = this.ingressRowOf[this.classOf[b]];
        const id = row < 0 ? SetTable.ALL : this.ingressRows[row].external[x];
        if (id !== SetTable.NONE) out.push({ from, to: endpoints[b], allowed: this.table.get(id) });
      }
    });
    for (let a = 0; a < ws.length; a++) {
      const row = this.egressRowOf[this.classOf[a]];
      this.externalDestinations.forEach((range, y) => {
        const id = row < 0 ? SetTable.ALL : this.egressRows[row].external[y];
        if (id !== SetTable.NONE) out.push({ from: endpoints[a], to: { type: 'external', range }, allowed: this.table.get(id) });
      });
    }
    return out;
  }

  /**
   * The name of an endpoint for people: `ns/name` (`ns/name[Kind]` when another workload has
   * the same name), the address asked about, or the range (a CIDR where it is one).
   */
  public nameOf(e: Endpoint): string {
    if (e.type === 'workload') {
      const id = workloadId(e.workload);
      return (this.byName.get(id)?.length ?? 0) > 1 ? workloadKindName(e.workload) : id;
    }
    return e.address ? formatIp(e.address.family, e.address.value) : e.range.toString();
  }

  /** The labels of a namespace (with `kubernetes.io/metadata.name`), also for one only referenced. */
  public namespaceLabels(name: string): Labels {
    return this.namespaces.get(name) ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  private classPair(s: number, d: number): number {
    if (this.pairIds) return this.pairIds[d * this.classes.length + s];
    const er = this.egressRowOf[s];
    const ir = this.ingressRowOf[d];
    const e = er < 0 ? SetTable.ALL : this.egressRows[er].classes[d];
    const i = ir < 0 ? SetTable.ALL : this.ingressRows[ir].classes[s];
    return this.table.intersect(e, i);
  }

  private indexOf(e: Endpoint): number {
    if (e.type !== 'workload') throw new Error('not a workload');
    const i = this.position.get(e.workload) ?? -1;
    if (i < 0) throw NetpolError.of('endpoint.unknown', '', `workload ${workloadId(e.workload)} is not part of this analysis`);
    return i;
  }

  private rangeIndex(e: ExternalEndpoint, partition: readonly AddressRange[]): number {
    const i = findRange(partition, { family: e.range.family, value: e.address?.value ?? e.range.first });
    const r = partition[i];
    if (!e.address && (r.first !== e.range.first || r.last !== e.range.last)) {
      throw NetpolError.of(
        'endpoint.range',
        '',
        `${e.range} is not one of this analysis's ${partition === this.externalSources ? 'source' : 'destination'} ranges; name an address instead`,
      );
    }
    return i;
  }
}

function tryParseIp(text: string): IpAddress | undefined {
  try {
    return parseIp(text);
  } catch {
    return undefined;
  }
}

function checkProbe(port: number, protocol: Protocol): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw NetpolError.of('port.range', 'port', `port ${port} is out of range; a port number is an integer from 1 to 65535`);
  }
  if (!isProtocol(protocol)) {
    throw NetpolError.of('port.protocol', 'protocol', `protocol "${protocol}" is not supported; use "TCP", "UDP" or "SCTP" (upper case)`);
  }
}

/**
 * Adds to each position of `row` the union of the ports of the items that hold it. Each
 * position's items are first collected as a bit mask (31 items at a time), and each distinct
 * mask is turned into a set once, so the cost is a bit operation per (item, member).
 */
function fillRow(
  table: SetTable,
  row: Int32Array,
  items: ReadonlyArray<{ members: Int32Array; ports: number }>,
  scratch: Int32Array,
): void {
  for (let start = 0; start < items.length; start += 31) {
    const chunk = items.slice(start, start + 31);
    const mask = scratch.subarray(0, row.length);
    mask.fill(0);
    for (let j = 0; j < chunk.length; j++) {
      const bit = 1 << j;
      const m = chunk[j].members;
      for (let k = 0; k < m.length; k++) mask[m[k]] |= bit;
    }
    const byMask = new Map<number, number>();
    for (let d = 0; d < row.length; d++) {
      const mk = mask[d];
      if (mk === 0) continue;
      let id = byMask.get(mk);
      if (id === undefined) {
        id = SetTable.NONE;
        for (let j = 0; j < chunk.length; j++) if (mk & (1 << j)) id = table.union(id, chunk[j].ports);
        byMask.set(mk, id);
      }
      row[d] = table.union(row[d], id);
    }
  }
}

/**
 * The all-pairs result of an analysis, by class: `Analysis.matrix()`. Every workload of class
 * `from` may send to every other workload of class `to` exactly `get(from, to)`.
 */
export class ReachabilityMatrix {
  /** The classes, as in `Analysis.classes`. */
  public readonly classes: readonly WorkloadClass[];

  /** @internal built by `Analysis.matrix()` */
  constructor(
    analysis: Analysis,
    /** Set ids, destination-major: `ids[to * classes + from]`. */
    private readonly ids: Int32Array,
    private readonly sets: (id: number) => ConnectionSet,
    private readonly countExternal: (isEmpty: (id: number) => boolean) => number,
  ) {
    this.classes = analysis.classes;
  }

  /** The connection set from class `from` to class `to`. */
  public get(from: number, to: number): ConnectionSet {
    return this.sets(this.ids[to * this.classes.length + from]);
  }

  /**
   * How many ordered pairs of distinct workloads, and of an external range and a workload,
   * have something allowed.
   */
  public countAllowed(): { workloadPairs: number; externalPairs: number } {
    const C = this.classes.length;
    const size = Float64Array.from(this.classes, (c) => c.workloads.length);
    let top = 0;
    for (let k = 0; k < this.ids.length; k++) if (this.ids[k] > top) top = this.ids[k];
    const empty = new Uint8Array(top + 1);
    for (let id = 0; id <= top; id++) empty[id] = this.sets(id).isEmpty ? 1 : 0;
    const isEmpty = (id: number) => empty[id] === 1 || (id > top && this.sets(id).isEmpty);
    const ids = this.ids;
    let workloadPairs = 0;
    for (let d = 0; d < C; d++) {
      const base = d * C;
      let sources = 0;
      for (let s = 0; s < C; s++) if (empty[ids[base + s]] === 0) sources += size[s];
      if (empty[ids[base + d]] === 0) sources -= 1;
      workloadPairs += sources * size[d];
    }
    return { workloadPairs, externalPairs: this.countExternal(isEmpty) };
  }
}
