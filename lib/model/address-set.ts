/**
 * A set of IP addresses of either family, held as sorted disjoint ranges, and written the way
 * a NetworkPolicy author writes addresses: as few ipBlocks (a CIDR minus CIDRs) as possible.
 * Reports and flow statements use it to name a group of external addresses that behave alike,
 * e.g. `0.0.0.0/0 except 172.17.0.0/16; 172.17.1.0/24` rather than five `first-last` ranges,
 * and read such names back.
 */
import { AddressInterval, AddressRange } from './address-range';
import { Cidr, familyBits, formatIp, IpBlock, IpFamily, parseIp } from './cidr';
import { NetpolError } from './errors';

/**
 * An immutable set of IP addresses.
 *
 * @example
 * const s = AddressSet.of([
 *   { family: 4, first: 0n, last: 0xac0fffffn },
 *   { family: 4, first: 0xac110100n, last: 0xac1101ffn },
 *   { family: 4, first: 0xac120000n, last: 0xffffffffn },
 * ]);
 * s.toString(); // '0.0.0.0/0 except 172.16.0.0/15; 172.17.1.0/24'
 */
export class AddressSet {
  /** No address. */
  public static empty(): AddressSet {
    return EMPTY;
  }

  /** The addresses of the given ranges (they may overlap, touch and come in any order). */
  public static of(ranges: Iterable<AddressInterval>): AddressSet {
    const sorted = [...ranges]
      .filter((r) => r.first <= r.last)
      .map((r) => ({ family: r.family, first: r.first, last: r.last }))
      .sort(compareIntervals);
    const out: Array<{ family: IpFamily; first: bigint; last: bigint }> = [];
    for (const r of sorted) {
      const prev = out[out.length - 1];
      if (prev && prev.family === r.family && r.first <= prev.last + 1n) {
        if (r.last > prev.last) prev.last = r.last;
      } else {
        out.push(r);
      }
    }
    return new AddressSet(out.map((r) => new AddressRange(r.family, r.first, r.last)));
  }

  /** The addresses an ipBlock matches: its CIDR minus its excepts. */
  public static fromBlock(block: IpBlock): AddressSet {
    return AddressSet.of(block.ranges().map(([first, last]) => ({ family: block.cidr.family, first, last })));
  }

  /**
   * Reads one entry as `lines()` writes it: an IP (`10.1.2.3`, one address), a CIDR
   * (`10.0.0.0/8`), an ipBlock (`172.17.0.0/16 except 172.17.1.0/24, 172.17.2.0/24`) or a range
   * (`10.0.0.5-10.0.0.9`), of either family. CIDRs follow the API server's rules (`Cidr.parse`,
   * `IpBlock.of`). Throws `NetpolError` saying what is wrong; use `looksLikeAddresses` first to
   * tell addresses from other names.
   *
   * @example
   * AddressSet.parse('172.17.0.0/16 except 172.17.1.0/24').intervals.length; // 2
   */
  public static parse(text: string): AddressSet {
    const t = text.trim();
    if (!AddressSet.looksLikeAddresses(t)) {
      throw NetpolError.ofValue(
        'address.syntax',
        `"${t}" is not a set of addresses; write an IP ("10.1.2.3"), a CIDR ("10.0.0.0/8"), a CIDR with ` +
          `excepts ("10.0.0.0/8 except 10.1.0.0/16") or a range ("10.0.0.5-10.0.0.9")`,
      );
    }
    const except = EXCEPT.exec(t);
    if (except)
      return AddressSet.fromBlock(
        IpBlock.of(
          except[1],
          except[2].split(/\s*,\s*/).filter((e) => e !== ''),
        ),
      );
    const dash = /^([^-/\s]+)-([^-/\s]+)$/.exec(t);
    if (dash) {
      const first = parseIp(dash[1]);
      const last = parseIp(dash[2]);
      if (first.family !== last.family || first.value > last.value) {
        throw NetpolError.ofValue(
          'address.range',
          `"${t}" is not an address range; write first-last with the lower address first, both of one family`,
        );
      }
      return AddressSet.of([{ family: first.family, first: first.value, last: last.value }]);
    }
    if (t.includes('/')) {
      const cidr = Cidr.parse(t);
      return AddressSet.of([{ family: cidr.family, first: cidr.first, last: cidr.last }]);
    }
    const ip = parseIp(t);
    return AddressSet.of([{ family: ip.family, first: ip.value, last: ip.value }]);
  }

  /**
   * True if the text is written as addresses (for an ipBlock, its CIDR is), valid or not:
   * `10.0.0.5/24` and `::1-::5` are, names such as `web`, `kube-system/kube-dns` or
   * `frontend except db` are not.
   */
  public static looksLikeAddresses(text: string): boolean {
    const t = text.trim();
    const head = EXCEPT.exec(t)?.[1] ?? t;
    return /^[0-9]+\.[0-9.]*([/-].*)?$/.test(head) || (head.includes(':') && /^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*([/-].*)?$/.test(head));
  }

  private cachedBlocks?: IpBlock[];

  private constructor(
    /** Sorted (IPv4 first, then by address), disjoint and non-adjacent ranges. */
    public readonly intervals: readonly AddressRange[],
  ) {}

  /** True if the set holds no address. */
  public get isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** True if every address of the range is in the set. */
  public contains(range: AddressInterval): boolean {
    return this.intervals.some((r) => r.family === range.family && r.first <= range.first && range.last <= r.last);
  }

  /** Every address of either set. */
  public union(other: AddressSet): AddressSet {
    return AddressSet.of([...this.intervals, ...other.intervals]);
  }

  /** The addresses of both sets. */
  public intersect(other: AddressSet): AddressSet {
    const out: AddressInterval[] = [];
    let i = 0;
    let j = 0;
    const a = this.intervals;
    const b = other.intervals;
    while (i < a.length && j < b.length) {
      const x = a[i];
      const y = b[j];
      if (x.family === y.family) {
        const first = x.first > y.first ? x.first : y.first;
        const last = x.last < y.last ? x.last : y.last;
        if (first <= last) out.push({ family: x.family, first, last });
      }
      if (compareEnds(x, y) < 0) i++;
      else j++;
    }
    return AddressSet.of(out);
  }

  /** True if every address of `other` is in this set. */
  public containsAll(other: AddressSet): boolean {
    return other.intervals.every((r) => this.contains(r));
  }

  /** True if no address is in both sets. */
  public isDisjoint(other: AddressSet): boolean {
    return this.intersect(other).isEmpty;
  }

  /** True if both sets hold the same addresses. */
  public equals(other: AddressSet): boolean {
    return this.key === other.key;
  }

  /** A canonical string: equal sets have equal keys. */
  public get key(): string {
    return this.intervals.map((r) => `${r.family}:${r.first.toString(16)}-${r.last.toString(16)}`).join(',');
  }

  /**
   * The set as a short list of ipBlocks. Walking down from `0.0.0.0/0` and `::/0`, each CIDR
   * that the set covers in part is written either as its two halves or as the CIDR minus its
   * gaps, whichever needs fewer CIDRs in all (each block's CIDR and its excepts), then fewer
   * blocks. IPv4 blocks come first, each family in address order.
   */
  public blocks(): IpBlock[] {
    if (!this.cachedBlocks) {
      const out: IpBlock[] = [];
      for (const family of [4, 6] as const) {
        const ivs = this.intervals.filter((r) => r.family === family);
        if (ivs.length === 0) continue;
        const plan = best(ivs, node(family, 0n, 0), 2, false, new Map());
        const blocks = plan.terms.map((t) => IpBlock.of(toCidr(t.cidr), t.except.map(toCidr))).sort((a, b) => Cidr.compare(a.cidr, b.cidr));
        for (const b of blocks) out.push(b);
      }
      this.cachedBlocks = out;
    }
    return [...this.cachedBlocks];
  }

  /**
   * The set for people, one entry per line: the blocks of `blocks()` (`172.17.0.0/16 except
   * 172.17.1.0/24`) when there are no more blocks than ranges and at most two CIDRs per range,
   * else each range as a CIDR where it is one and as `first-last` where not
   * (`0.0.0.0-9.255.255.255` rather than `0.0.0.0/5; 8.0.0.0/7`). Empty for the empty set.
   */
  public lines(): string[] {
    const blocks = this.blocks();
    const cidrs = blocks.reduce((n, b) => n + 1 + b.except.length, 0);
    if (blocks.length <= this.intervals.length && cidrs <= 2 * this.intervals.length) return blocks.map(String);
    return this.intervals.map(intervalText);
  }

  /** `lines()` joined with `; `, or `(none)` for the empty set. */
  public toString(): string {
    return this.isEmpty ? '(none)' : this.lines().join('; ');
  }

  /** Orders sets by their first range: IPv4 first, then by address, then by end; the empty set first. */
  public static compare(a: AddressSet, b: AddressSet): number {
    const n = Math.min(a.intervals.length, b.intervals.length);
    for (let i = 0; i < n; i++) {
      const c = compareIntervals(a.intervals[i], b.intervals[i]);
      if (c !== 0) return c;
    }
    return a.intervals.length - b.intervals.length;
  }
}

/** The private constructor, for the shared empty set. */
const newAddressSet = AddressSet as unknown as new (intervals: readonly AddressRange[]) => AddressSet;
const EMPTY = new newAddressSet([]);

/** `<cidr> except <cidrs>`. */
const EXCEPT = /^(\S+)\s+except\s+(.+)$/;

/**
 * The address space of both families (IPv4 first, each in address order) cut at the start and
 * after the end of every given range, so that each piece lies wholly inside or wholly outside
 * each of them. Pieces are never merged; without ranges of a family, that family is one piece.
 *
 * @example
 * cutAddressSpace([{ family: 4, first: 10n, last: 19n }]).length; // 4: 0-9, 10-19, 20-(2^32-1), ::/0
 */
export function cutAddressSpace(ranges: Iterable<AddressInterval>): AddressRange[] {
  const all = [...ranges];
  const out: AddressRange[] = [];
  for (const family of [4, 6] as const) {
    const cuts = new Set<bigint>([0n, 1n << BigInt(familyBits(family))]);
    for (const r of all) {
      if (r.family !== family) continue;
      cuts.add(r.first);
      cuts.add(r.last + 1n);
    }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i + 1 < sorted.length; i++) out.push(new AddressRange(family, sorted[i], sorted[i + 1] - 1n));
  }
  return out;
}

/** Orders ranges by where they end: IPv4 first, then by last address. */
function compareEnds(a: AddressInterval, b: AddressInterval): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.last === b.last ? 0 : a.last < b.last ? -1 : 1;
}

function compareIntervals(a: AddressInterval, b: AddressInterval): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.first !== b.first) return a.first < b.first ? -1 : 1;
  return a.last === b.last ? 0 : a.last < b.last ? -1 : 1;
}

/** A CIDR when the range is exactly one, else `first-last`. */
function intervalText(r: AddressInterval): string {
  const size = r.last - r.first + 1n;
  if ((size & (size - 1n)) === 0n && r.first % size === 0n) {
    return `${formatIp(r.family, r.first)}/${familyBits(r.family) - (size.toString(2).length - 1)}`;
  }
  return `${formatIp(r.family, r.first)}-${formatIp(r.family, r.last)}`;
}

interface Node {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
}

interface Term {
  readonly cidr: Node;
  readonly except: readonly Node[];
}

interface Plan {
  readonly terms: readonly Term[];
  /** CIDRs written in all. */
  readonly cidrs: number;
}

const NO_PLAN: Plan = { terms: [], cidrs: 0 };

function node(family: IpFamily, network: bigint, prefix: number): Node {
  const last = network + (1n << BigInt(familyBits(family) - prefix)) - 1n;
  return { family, network, prefix, first: network, last };
}

function toCidr(n: Node): Cidr {
  return Cidr.parse(`${formatIp(n.family, n.network)}/${n.prefix}`);
}

/**
 * The cheapest terms for the addresses `ivs` (sorted, disjoint, all inside `at`): the CIDR
 * itself when full; else the better of its two halves planned apart and, from `mode` 1 up,
 * the CIDR minus its gaps.
 *
 * - mode 0: plain CIDRs only.
 * - mode 1: terms whose CIDRs do not overlap, each minus plain CIDRs (the gaps planned in
 *   mode 0), so that the set is exactly the union of "CIDR minus its excepts".
 * - mode 2: the gaps are planned in mode 1, as terms `D except E…`; the CIDR minus the D's
 *   is one term, and each E (a gap in a gap, so part of the set) becomes a term of its own.
 *
 * `inverted` says whether `ivs` is the set or its complement (for the memo).
 */
function best(ivs: readonly AddressInterval[], at: Node, mode: 0 | 1 | 2, inverted: boolean, memo: Map<string, Plan>): Plan {
  if (ivs.length === 0) return NO_PLAN;
  if (ivs.length === 1 && ivs[0].first === at.first && ivs[0].last === at.last) return { terms: [{ cidr: at, except: [] }], cidrs: 1 };
  const key = `${inverted ? 1 : 0}${mode}|${at.network}/${at.prefix}`;
  const known = memo.get(key);
  if (known) return known;
  const low = node(at.family, at.network, at.prefix + 1);
  const high = node(at.family, low.last + 1n, at.prefix + 1);
  const a = best(clip(ivs, low), low, mode, inverted, memo);
  const b = best(clip(ivs, high), high, mode, inverted, memo);
  let plan: Plan = { terms: [...a.terms, ...b.terms], cidrs: a.cidrs + b.cidrs };
  if (mode > 0) {
    const holes = best(complement(ivs, at), at, mode === 2 ? 1 : 0, !inverted, memo);
    const cidrs = 1 + holes.cidrs;
    const blocks = 1 + holes.terms.reduce((n, t) => n + t.except.length, 0);
    if (cidrs < plan.cidrs || (cidrs === plan.cidrs && blocks <= plan.terms.length)) {
      plan = {
        terms: [
          { cidr: at, except: holes.terms.map((t) => t.cidr) },
          ...holes.terms.flatMap((t) => t.except.map((e) => ({ cidr: e, except: [] }))),
        ],
        cidrs,
      };
    }
  }
  memo.set(key, plan);
  return plan;
}

function clip(ivs: readonly AddressInterval[], c: Node): AddressInterval[] {
  const out: AddressInterval[] = [];
  for (const r of ivs) {
    if (r.last < c.first || r.first > c.last) continue;
    out.push({ family: r.family, first: r.first > c.first ? r.first : c.first, last: r.last < c.last ? r.last : c.last });
  }
  return out;
}

function complement(ivs: readonly AddressInterval[], c: Node): AddressInterval[] {
  const out: AddressInterval[] = [];
  let next = c.first;
  for (const r of ivs) {
    if (r.first > next) out.push({ family: c.family, first: next, last: r.first - 1n });
    next = r.last + 1n;
  }
  if (next <= c.last) out.push({ family: c.family, first: next, last: c.last });
  return out;
}
