/**
 * What may flow from one endpoint to another, in three values: what is allowed, what is not,
 * and what *depends* on something the analysis does not know, with the condition under which it
 * is allowed. "Allowed on TCP 443; on the port the destination names `metrics` (TCP), if the
 * destination declares one; on TCP 8080 if the source's IP lies in 10.0.0.0/8".
 *
 * Two things can be unknown about a connection: facts about its ends (a `Condition`: namespace
 * labels, pod IPs), and which number a container port name stands for on the destination. A
 * `Reach` holds the allowed ports and a list of dependent parts, each with its ports (or the
 * range a named port must fall in), the port names and the condition. Union (rules add up) and
 * intersection (both ends must allow) keep every part exact; nothing turns unknown into an
 * answer.
 */
import { AddressSet } from './address-set';
import { ContainerPort } from './cluster';
import { Condition } from './condition';
import { ConnectionSet } from './connection-set';
import { Protocol } from './protocol';

/** A container port name on the destination, with its protocol. */
export interface PortName {
  /** The name, e.g. `metrics`. */
  readonly name: string;
  /** The protocol a container port of that name must have. */
  readonly protocol: Protocol;
}

/**
 * A part of a `Reach` that depends on something unknown: the connections on `ports` are
 * allowed if `condition` holds and, when `portNames` is not empty, only on the one port that
 * every name resolves to on the destination (it must declare them all, with that number, and
 * the number must lie in `ports`).
 */
export interface Dependency {
  /** The ports, or the range the named port must lie in (only of the names' protocol). */
  readonly ports: ConnectionSet;
  /** Container port names of the destination; empty when the ports are numbers. */
  readonly portNames: readonly PortName[];
  /** What must hold of the ends. */
  readonly condition: Condition;
}

/** The answer for one port: allowed, denied, or depends, with the alternatives that would allow it. */
export interface Verdict {
  /** `allowed`, `denied`, or `depends` on something the analysis does not know. */
  readonly value: 'allowed' | 'denied' | 'depends';
  /**
   * For `depends`: each alternative under which the connection is allowed (any one suffices):
   * port names the destination must declare as this port, and a condition on the ends.
   */
  readonly alternatives: ReadonlyArray<{ readonly portNames: readonly PortName[]; readonly condition: Condition }>;
}

const NONE_ALTERNATIVES: Verdict['alternatives'] = [];

/**
 * An immutable three-valued set of connections: `allowed` for sure, and `depends`, each part
 * allowed under its own condition. Canonical: equal sets have equal keys.
 *
 * @example
 * const r = Reach.of(ConnectionSet.port('TCP', 443)).union(Reach.named({ name: 'metrics', protocol: 'TCP' }));
 * r.verdict(443, 'TCP').value;  // 'allowed'
 * r.verdict(9090, 'TCP').value; // 'depends'
 * r.toString();                 // 'TCP 443; TCP metrics'
 */
export class Reach {
  /** Nothing. */
  public static none(): Reach {
    return NONE;
  }

  /** Everything, for sure. */
  public static all(): Reach {
    return ALL;
  }

  /** Exactly these connections, for sure. */
  public static of(allowed: ConnectionSet): Reach {
    if (allowed.isEmpty) return NONE;
    if (allowed.isAll) return ALL;
    return new Reach(allowed, []);
  }

  /** The port a destination names `name`, whichever number that is, if it declares one. */
  public static named(name: PortName, within: ConnectionSet = ConnectionSet.protocol(name.protocol)): Reach {
    return Reach.build(ConnectionSet.none(), [{ ports: within, portNames: [name], condition: Condition.ALWAYS }]);
  }

  /** These connections if the condition holds. */
  public static when(condition: Condition, connections: ConnectionSet): Reach {
    return Reach.of(connections).when(condition);
  }

  /** A set from its parts, made canonical. */
  public static build(allowed: ConnectionSet, depends: readonly Dependency[]): Reach {
    return normalize(allowed, depends);
  }

  /** What is allowed whatever the unknowns are. */
  public readonly allowed: ConnectionSet;
  /** What is allowed only under conditions, in a canonical order; disjoint from `allowed`. */
  public readonly depends: readonly Dependency[];
  /** A canonical string: equal sets have equal keys. */
  public readonly key: string;

  private constructor(allowed: ConnectionSet, depends: readonly Dependency[]) {
    this.allowed = allowed;
    this.depends = depends;
    this.key = depends.length === 0 ? allowed.key : `${allowed.key}?${depends.map(dependencyKey).join(';')}`;
  }

  /** True if nothing is allowed, not even under a condition. */
  public get isEmpty(): boolean {
    return this.allowed.isEmpty && this.depends.length === 0;
  }

  /** True if nothing depends on an unknown: `allowed` is the whole answer. */
  public get isDefinite(): boolean {
    return this.depends.length === 0;
  }

  /** Every connection that is or may be allowed: `allowed` and the ports of every dependency. */
  public get possible(): ConnectionSet {
    if (this.isDefinite) return this.allowed;
    let out = this.allowed;
    for (const d of this.depends) out = out.union(d.ports);
    return out;
  }

  /** What either set allows (rules and policies add up). */
  public union(other: Reach): Reach {
    if (other === this || other.isEmpty) return this;
    if (this.isEmpty) return other;
    if (this.isDefinite && other.isDefinite) return Reach.of(this.allowed.union(other.allowed));
    return normalize(this.allowed.union(other.allowed), [...this.depends, ...other.depends]);
  }

  /** What both sets allow (both ends of a connection must allow it). */
  public intersect(other: Reach): Reach {
    if (other === this || other === ALL || this.isEmpty) return this;
    if (this === ALL || other.isEmpty) return other;
    if (this.isDefinite && other.isDefinite) return Reach.of(this.allowed.intersect(other.allowed));
    const parts = (r: Reach): Dependency[] => [{ ports: r.allowed, portNames: [], condition: Condition.ALWAYS }, ...r.depends];
    let allowed = ConnectionSet.none();
    const depends: Dependency[] = [];
    for (const a of parts(this)) {
      for (const b of parts(other)) {
        const d = meet(a, b);
        if (!d) continue;
        if (d.portNames.length === 0 && d.condition.isAlways) allowed = allowed.union(d.ports);
        else depends.push(d);
      }
    }
    return normalize(allowed, depends);
  }

  /** This set, allowed only if `condition` holds as well. */
  public when(condition: Condition): Reach {
    if (condition.isAlways || this.isEmpty) return this;
    const depends: Dependency[] = [];
    for (const d of [{ ports: this.allowed, portNames: [], condition: Condition.ALWAYS }, ...this.depends]) {
      const c = d.condition.and(condition);
      if (c) depends.push({ ...d, condition: c });
    }
    return normalize(ConnectionSet.none(), depends);
  }

  /**
   * The set once the destination's container ports are known: each port name resolves to its
   * number (a name the destination does not declare with that protocol allows nothing).
   */
  public resolvePorts(ports: readonly ContainerPort[]): Reach {
    if (!this.depends.some((d) => d.portNames.length > 0)) return this;
    const depends: Dependency[] = [];
    let allowed = this.allowed;
    for (const d of this.depends) {
      if (d.portNames.length === 0) {
        depends.push(d);
        continue;
      }
      const numbers = new Set(
        d.portNames.map((n) => ports.find((c) => c.name === n.name && (c.protocol ?? 'TCP') === n.protocol)?.containerPort),
      );
      const [n] = [...numbers];
      if (numbers.size !== 1 || n === undefined || !d.ports.contains(n, d.portNames[0].protocol)) continue;
      const set = ConnectionSet.port(d.portNames[0].protocol, n);
      if (d.condition.isAlways) allowed = allowed.union(set);
      else depends.push({ ports: set, portNames: [], condition: d.condition });
    }
    return normalize(allowed, depends);
  }

  /**
   * The set once some facts are known: `decide` answers a condition with true (it holds), false
   * (it does not) or the condition that remains unknown; a part whose condition is decided
   * becomes allowed or goes away.
   */
  public decide(decide: (condition: Condition) => Condition | boolean): Reach {
    if (this.isDefinite) return this;
    let allowed = this.allowed;
    const depends: Dependency[] = [];
    for (const d of this.depends) {
      const c = decide(d.condition);
      if (c === false) continue;
      const condition = c === true ? Condition.ALWAYS : c;
      if (condition.isAlways && d.portNames.length === 0) allowed = allowed.union(d.ports);
      else depends.push({ ...d, condition });
    }
    return normalize(allowed, depends);
  }

  /**
   * The set for two ends in one namespace, where the labels of the destination's namespace are
   * those of the source's (see `Condition.sharedNamespace`).
   */
  public forSharedNamespace(): Reach {
    return this.decide((c) => c.sharedNamespace() ?? false);
  }

  /** The same set with every condition's source and destination swapped. */
  public swapEnds(): Reach {
    if (this.isDefinite) return this;
    return normalize(
      this.allowed,
      this.depends.map((d) => ({ ...d, condition: d.condition.swapEnds() })),
    );
  }

  /** The answer for one port of one protocol. */
  public verdict(port: number, protocol: Protocol): Verdict {
    if (this.allowed.contains(port, protocol)) return { value: 'allowed', alternatives: NONE_ALTERNATIVES };
    const alternatives = this.depends
      .filter((d) => d.ports.contains(port, protocol))
      .map((d) => ({ portNames: d.portNames, condition: d.condition }));
    return alternatives.length === 0 ? { value: 'denied', alternatives: NONE_ALTERNATIVES } : { value: 'depends', alternatives };
  }

  /** True if both sets are the same. */
  public equals(other: Reach): boolean {
    return this.key === other.key;
  }

  /**
   * For people: the allowed part as `ConnectionSet.toString()` writes it, then each dependency
   * with its port names (`TCP metrics`, `TCP metrics in 8000-8999`) and `if <condition>`, joined
   * by `; `. `No Connections` when empty.
   */
  public toString(): string {
    const parts = this.allowed.isEmpty ? [] : [this.allowed.toString()];
    for (const d of this.depends) parts.push(dependencyText(d, (c) => c.toString()));
    return parts.length === 0 ? 'No Connections' : parts.join('; ');
  }
}

/** `TCP metrics`, `TCP metrics in 8000-8999`, `TCP 8080 if source IP in 10.0.0.0/8`. */
export function dependencyText(
  d: Dependency,
  conditionText: (c: Condition) => string,
  ports: (c: ConnectionSet) => string = String,
): string {
  let text: string;
  if (d.portNames.length === 0) text = ports(d.ports);
  else {
    const protocol = d.portNames[0].protocol;
    const names = d.portNames.map((n) => n.name).join('=');
    text = `${protocol} ${names}`;
    if (!d.ports.equals(ConnectionSet.protocol(protocol))) text += ` in ${ports(d.ports).replace(`${protocol} `, '')}`;
  }
  return d.condition.isAlways ? text : `${text} if ${conditionText(d.condition)}`;
}

function dependencyKey(d: Dependency): string {
  return `${d.portNames.map((n) => `${n.protocol}/${n.name}`).join('=')}@${d.ports.key}@${d.condition.key}`;
}

/** Both parts at once: ports intersected, names and conditions combined; undefined when empty. */
function meet(a: Dependency, b: Dependency): Dependency | undefined {
  let ports = a.ports.intersect(b.ports);
  const names = mergeNames(a.portNames, b.portNames);
  if (names === undefined) return undefined;
  if (names.length > 0) ports = ports.intersect(ConnectionSet.protocol(names[0].protocol));
  if (ports.isEmpty) return undefined;
  const condition = a.condition.and(b.condition);
  if (!condition) return undefined;
  return { ports, portNames: names, condition };
}

/** The names of both lists, sorted; undefined when they name different protocols (no port is both). */
function mergeNames(a: readonly PortName[], b: readonly PortName[]): PortName[] | undefined {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const all = new Map<string, PortName>();
  for (const n of [...a, ...b]) all.set(`${n.protocol}/${n.name}`, n);
  const list = [...all.values()];
  if (new Set(list.map((n) => n.protocol)).size > 1) return undefined;
  return list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/**
 * The canonical form: parts with the same names and condition are one; a part without names
 * never repeats what is allowed, or what a weaker part (a condition it implies) allows; a part
 * with names that such parts cover wholly is dropped, and otherwise takes in the covered ports
 * of its protocol (they change nothing: those ports are allowed whatever the names resolve to),
 * so that `TCP metrics` beside `TCP 443` stays `TCP metrics`.
 */
function normalize(allowed: ConnectionSet, input: readonly Dependency[]): Reach {
  const merged = new Map<string, Dependency>();
  for (const d of input) {
    let ports = d.ports;
    if (d.portNames.length > 0) ports = ports.intersect(ConnectionSet.protocol(d.portNames[0].protocol));
    if (ports.isEmpty) continue;
    if (d.portNames.length === 0 && d.condition.isAlways) {
      allowed = allowed.union(ports);
      continue;
    }
    const k = `${d.portNames.map((n) => `${n.protocol}/${n.name}`).join('=')}@${d.condition.key}`;
    const prev = merged.get(k);
    merged.set(k, prev ? { ...d, ports: prev.ports.union(ports) } : { ...d, ports });
  }
  const parts = [...merged.values()];
  // What is allowed whenever a part's condition holds and its names resolve, without it.
  const covered = (d: Dependency): ConnectionSet => {
    let out = allowed;
    for (const w of parts) {
      if (w === d || !w.portNames.every((n) => d.portNames.some((m) => m.name === n.name && m.protocol === n.protocol))) continue;
      if (d.condition.implies(w.condition)) out = out.union(w.ports);
    }
    return out;
  };
  const depends: Dependency[] = [];
  for (const d of parts) {
    const cover = covered(d);
    if (d.ports.subtract(cover).isEmpty) continue;
    if (d.portNames.length === 0) depends.push({ ...d, ports: d.ports.subtract(cover) });
    else depends.push({ ...d, ports: d.ports.union(cover.intersect(ConnectionSet.protocol(d.portNames[0].protocol))) });
  }
  const joined = joinAddresses(depends);
  if (joined.length !== depends.length || joined.some((d, i) => d !== depends[i])) return normalize(allowed, joined);
  depends.sort((a, b) => compare(dependencyKey(a), dependencyKey(b)));
  if (depends.length === 0) return Reach.of(allowed);
  return new newReach(allowed, depends);
}

/**
 * Parts alike but for the addresses one end's IP must lie in are one part with the addresses
 * joined (either suffices); when they join to every address of both families, the fact holds
 * for any IP and goes away.
 */
function joinAddresses(parts: Dependency[]): Dependency[] {
  for (const end of ['source', 'destination'] as const) {
    const groups = new Map<string, { rest: Condition; addresses: AddressSet; members: Dependency[] }>();
    for (const d of parts) {
      const { rest, addresses } = d.condition.withoutPodIp(end);
      if (!addresses) continue;
      const k = `${d.portNames.map((n) => `${n.protocol}/${n.name}`).join('=')}@${d.ports.key}@${rest.key}`;
      const g = groups.get(k);
      if (g) {
        g.addresses = g.addresses.union(addresses);
        g.members.push(d);
      } else groups.set(k, { rest, addresses, members: [d] });
    }
    for (const g of groups.values()) {
      if (g.members.length < 2) continue;
      const first = g.members[0];
      const condition = g.addresses.containsAll(EVERY_ADDRESS) ? g.rest : g.rest.and(Condition.podIp(end, g.addresses))!;
      return [...parts.filter((d) => !g.members.includes(d)), { ...first, condition }];
    }
  }
  return parts;
}

const EVERY_ADDRESS = AddressSet.parse('0.0.0.0/0').union(AddressSet.parse('::/0'));

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The private constructor, for normalized values and the two shared ones. */
const newReach = Reach as unknown as new (allowed: ConnectionSet, depends: readonly Dependency[]) => Reach;
const NONE = new newReach(ConnectionSet.none(), []);
const ALL = new newReach(ConnectionSet.all(), []);
