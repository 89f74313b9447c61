/**
 * What may flow between two endpoints: for each protocol (TCP, UDP, SCTP), a set of ports held
 * as sorted, disjoint, non-adjacent inclusive ranges. Union and intersection are interval
 * arithmetic, so a set costs the same whether it holds one port or 65,535.
 */
import { NetpolError } from './errors';
import { Protocol, PROTOCOLS } from './protocol';

/** The lowest and highest port number. */
export const MIN_PORT = 1;
/** The highest port number. */
export const MAX_PORT = 65535;

/** An inclusive range of port numbers, `[first, last]`. */
export type PortRange = readonly [number, number];

type Ranges = readonly PortRange[];

const FULL: Ranges = Object.freeze([Object.freeze([MIN_PORT, MAX_PORT] as const)]);
const EMPTY_RANGES: Ranges = Object.freeze([]);

/**
 * An immutable set of (protocol, port) pairs.
 *
 * @example
 * const dns = ConnectionSet.port('UDP', 53).union(ConnectionSet.port('TCP', 53));
 * dns.toString();                    // 'TCP 53,UDP 53'
 * ConnectionSet.all().toString();    // 'All Connections'
 * dns.contains(53, 'UDP');           // true
 */
export class ConnectionSet {
  /** Every port of every protocol. */
  public static all(): ConnectionSet {
    return ALL;
  }

  /** Nothing. */
  public static none(): ConnectionSet {
    return NONE;
  }

  /** Every port of one protocol. */
  public static protocol(protocol: Protocol): ConnectionSet {
    return ConnectionSet.range(protocol, MIN_PORT, MAX_PORT);
  }

  /** One port of one protocol. */
  public static port(protocol: Protocol, port: number): ConnectionSet {
    return ConnectionSet.range(protocol, port, port);
  }

  /**
   * The ports `first..last` (both included) of one protocol. Throws `NetpolError` when a bound
   * is not an integer from 1 to 65535 or `last < first`.
   */
  public static range(protocol: Protocol, first: number, last: number): ConnectionSet {
    for (const [name, v] of [
      ['first', first],
      ['last', last],
    ] as const) {
      if (!Number.isInteger(v) || v < MIN_PORT || v > MAX_PORT) {
        throw NetpolError.of('port.range', name, `port ${v} is out of range; a port number is an integer from 1 to 65535`);
      }
    }
    if (last < first)
      throw NetpolError.of('port.range', 'last', `port range ${first}-${last} is empty; the last port must not be below the first`);
    return ConnectionSet.fromRanges({ [protocol]: [[first, last]] });
  }

  /**
   * A set from ranges per protocol; ranges may overlap and come in any order (they are sorted
   * and merged). Bounds are clipped to 1-65535.
   */
  public static fromRanges(ranges: Partial<Record<Protocol, readonly PortRange[]>>): ConnectionSet {
    return new ConnectionSet(normalize(ranges.TCP ?? []), normalize(ranges.UDP ?? []), normalize(ranges.SCTP ?? []));
  }

  /** True if nothing is allowed. */
  public readonly isEmpty: boolean;
  /** True if every port of TCP, UDP and SCTP is allowed. */
  public readonly isAll: boolean;
  private readonly byProtocol: Readonly<Record<Protocol, Ranges>>;
  private cachedKey?: string;

  private constructor(tcp: Ranges, udp: Ranges, sctp: Ranges) {
    this.byProtocol = { TCP: tcp, UDP: udp, SCTP: sctp };
    this.isEmpty = tcp.length === 0 && udp.length === 0 && sctp.length === 0;
    this.isAll = isFull(tcp) && isFull(udp) && isFull(sctp);
  }

  /** The port ranges of one protocol, sorted, disjoint and non-adjacent. */
  public ranges(protocol: Protocol): readonly PortRange[] {
    return this.byProtocol[protocol];
  }

  /** True if every port of the protocol is allowed. */
  public allowsAllOf(protocol: Protocol): boolean {
    return isFull(this.byProtocol[protocol]);
  }

  /** True if the port of the protocol is in the set. */
  public contains(port: number, protocol: Protocol = Protocol.TCP): boolean {
    const rs = this.byProtocol[protocol];
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = rs[mid];
      if (port < a) hi = mid - 1;
      else if (port > b) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Everything in either set. */
  public union(other: ConnectionSet): ConnectionSet {
    if (this === other || other.isEmpty || this.isAll) return this;
    if (this.isEmpty || other.isAll) return other;
    return new ConnectionSet(
      unionRanges(this.byProtocol.TCP, other.byProtocol.TCP),
      unionRanges(this.byProtocol.UDP, other.byProtocol.UDP),
      unionRanges(this.byProtocol.SCTP, other.byProtocol.SCTP),
    );
  }

  /** Everything in both sets. */
  public intersect(other: ConnectionSet): ConnectionSet {
    if (this === other || other.isAll || this.isEmpty) return this;
    if (this.isAll || other.isEmpty) return other;
    return new ConnectionSet(
      intersectRanges(this.byProtocol.TCP, other.byProtocol.TCP),
      intersectRanges(this.byProtocol.UDP, other.byProtocol.UDP),
      intersectRanges(this.byProtocol.SCTP, other.byProtocol.SCTP),
    );
  }

  /** Everything in this set and not in `other`. */
  public subtract(other: ConnectionSet): ConnectionSet {
    if (other.isEmpty || this.isEmpty) return this;
    return new ConnectionSet(
      intersectRanges(this.byProtocol.TCP, complement(other.byProtocol.TCP)),
      intersectRanges(this.byProtocol.UDP, complement(other.byProtocol.UDP)),
      intersectRanges(this.byProtocol.SCTP, complement(other.byProtocol.SCTP)),
    );
  }

  /** True if both sets hold the same pairs. */
  public equals(other: ConnectionSet): boolean {
    return this.key === other.key;
  }

  /** A canonical string: equal sets have equal keys. */
  public get key(): string {
    if (this.cachedKey === undefined) {
      this.cachedKey = PROTOCOLS.map((p) => this.byProtocol[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')).join('|');
    }
    return this.cachedKey;
  }

  /**
   * np-guard's text: `All Connections` when every port of every protocol is allowed, otherwise
   * the non-empty protocols in string order, each as `PROTO ranges`, joined with `,`
   * (`SCTP 9090,TCP 1-52,54-65535,UDP 53`); `No Connections` when empty.
   */
  public toString(): string {
    if (this.isAll) return 'All Connections';
    if (this.isEmpty) return 'No Connections';
    return [...PROTOCOLS]
      .sort()
      .filter((p) => this.byProtocol[p].length > 0)
      .map((p) => `${p} ${this.byProtocol[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`)
      .join(',');
  }

  /** The JSON form: the non-empty protocols with their ranges, e.g. `{"TCP":[[80,80]]}`. */
  public toJSON(): Partial<Record<Protocol, Array<[number, number]>>> {
    const out: Partial<Record<Protocol, Array<[number, number]>>> = {};
    for (const p of PROTOCOLS) {
      if (this.byProtocol[p].length > 0) out[p] = this.byProtocol[p].map(([a, b]) => [a, b]);
    }
    return out;
  }
}

/** The private constructor, for the two shared sets below. */
const newConnectionSet = ConnectionSet as unknown as new (tcp: Ranges, udp: Ranges, sctp: Ranges) => ConnectionSet;
const ALL = new newConnectionSet(FULL, FULL, FULL);
const NONE = new newConnectionSet(EMPTY_RANGES, EMPTY_RANGES, EMPTY_RANGES);

function isFull(rs: Ranges): boolean {
  return rs.length === 1 && rs[0][0] === MIN_PORT && rs[0][1] === MAX_PORT;
}

function normalize(input: readonly PortRange[]): Ranges {
  const rs = input
    .map(([a, b]): [number, number] => [Math.max(MIN_PORT, a), Math.min(MAX_PORT, b)])
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of rs) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  if (out.length === 0) return EMPTY_RANGES;
  if (isFull(out)) return FULL;
  return out;
}

function unionRanges(x: Ranges, y: Ranges): Ranges {
  if (x.length === 0 || isFull(y)) return y;
  if (y.length === 0 || isFull(x)) return x;
  return normalize([...x, ...y]);
}

function intersectRanges(x: Ranges, y: Ranges): Ranges {
  if (x.length === 0 || isFull(y)) return x;
  if (y.length === 0 || isFull(x)) return y;
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = Math.max(x[i][0], y[j][0]);
    const b = Math.min(x[i][1], y[j][1]);
    if (a <= b) out.push([a, b]);
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return out.length === 0 ? EMPTY_RANGES : out;
}

function complement(x: Ranges): Ranges {
  const out: Array<[number, number]> = [];
  let next = MIN_PORT;
  for (const [a, b] of x) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_PORT) out.push([next, MAX_PORT]);
  return out;
}
