/**
 * Sets of addresses outside the cluster as the flow statements write them — an IP, a CIDR, a
 * CIDR with excepts, a `first-last` range — and back: a set of ranges printed as few CIDRs
 * (with excepts) as read well.
 */
import { AddressRange } from '../../analysis/address-range';
import { Cidr, familyBits, formatIp, IpBlock, IpFamily, parseIp } from '../../model/cidr';
import { NetpolError } from '../../model/errors';

/** Holes a printed block may have before the set is printed as plain ranges instead. */
const MAX_EXCEPTS = 3;
/** What printing a range as `first-last` costs, against 1 for a CIDR and 1 per except. */
const RANGE_COST = 4;

/**
 * Reads an address set: `10.1.2.3`, `10.0.0.0/8`, `172.17.0.0/16 except 172.17.1.0/24, ...`,
 * `10.0.0.5-10.0.0.9`. Returns undefined when the text does not look like addresses at all;
 * throws `NetpolError` when it does but is wrong (a missing mask is fine: it is one address).
 */
export function parseAddressSet(text: string): AddressRange[] | undefined {
  const t = text.trim();
  const except = /^(\S+)\s+except\s+(.+)$/.exec(t);
  if (except) {
    if (!looksLikeAddress(except[1])) return undefined;
    const block = IpBlock.of(except[1], except[2].split(/\s*,\s*/).filter((s) => s !== ''));
    return block.ranges().map(([a, b]) => new AddressRange(block.cidr.family, a, b));
  }
  if (!looksLikeAddress(t)) return undefined;
  const dash = /^([^-/\s]+)-([^-/\s]+)$/.exec(t);
  if (dash) {
    const a = parseIp(dash[1]);
    const b = parseIp(dash[2]);
    if (a.family !== b.family || a.value > b.value) {
      throw NetpolError.of('address.range', '', `"${t}" is not an address range; write first-last with the lower address first, both of one family`);
    }
    return [new AddressRange(a.family, a.value, b.value)];
  }
  if (t.includes('/')) {
    const c = Cidr.parse(t);
    return [new AddressRange(c.family, c.first, c.last)];
  }
  const ip = parseIp(t);
  return [new AddressRange(ip.family, ip.value, ip.value)];
}

function looksLikeAddress(t: string): boolean {
  return /^[0-9]+\.[0-9.]*([/-].*)?$/.test(t) || (/^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*([/-].*)?$/.test(t) && t.includes(':'));
}

/** Sorted, disjoint, merged ranges (adjacent ranges of one family become one). */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort(AddressRange.compare);
  const out: AddressRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && last.family === r.family && r.first <= last.last + 1n) {
      if (r.last > last.last) out[out.length - 1] = new AddressRange(r.family, last.first, r.last);
    } else {
      out.push(r);
    }
  }
  return out;
}

/**
 * Cuts the address space at the ends of every given range (and the ranges the analysis
 * already tells apart), so that each piece lies wholly inside or outside each of them.
 */
export function cutAddressSpace(base: readonly AddressRange[], extra: readonly AddressRange[]): AddressRange[] {
  const out: AddressRange[] = [];
  for (const family of [4, 6] as const) {
    const end = 1n << BigInt(familyBits(family));
    const cuts = new Set<bigint>([0n, end]);
    for (const r of [...base, ...extra]) {
      if (r.family !== family) continue;
      cuts.add(r.first);
      cuts.add(r.last + 1n);
    }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i + 1 < sorted.length; i++) out.push(new AddressRange(family, sorted[i], sorted[i + 1] - 1n));
  }
  return out;
}

/** True if the piece lies inside one of the ranges (pieces never straddle a range's ends). */
export function pieceInside(piece: AddressRange, ranges: readonly AddressRange[]): boolean {
  return ranges.some((r) => r.family === piece.family && r.first <= piece.first && piece.last <= r.last);
}

/**
 * A set of addresses as text, one entry per part: a CIDR where a part is one
 * (`0.0.0.0/0`, `10.20.0.0/24`), a CIDR with up to three excepts where that covers several
 * parts (`172.17.0.0/16 except 172.17.1.0/24`), else `first-last`. The entries are chosen to be
 * as few and as short as possible (an entry costs 1, each except 1 more, a `first-last` range
 * 4). Each entry reads back with `parseAddressSet` as exactly its addresses.
 */
export function formatAddressSet(ranges: readonly AddressRange[]): string[] {
  const s = mergeRanges(ranges);
  // best[i]: the cheapest way to print s[i..]; filled from the end.
  const best: Array<{ cost: number; texts: string[] }> = new Array(s.length + 1);
  best[s.length] = { cost: 0, texts: [] };
  for (let i = s.length - 1; i >= 0; i--) {
    const r = s[i];
    let choice = { cost: RANGE_COST + best[i + 1].cost, texts: [r.toRangeString(), ...best[i + 1].texts] };
    const bits = familyBits(r.family);
    for (let prefix = smallestPrefix(r); prefix >= 0; prefix--) {
      const host = BigInt(bits - prefix);
      const first = (r.first >> host) << host;
      const last = first + (1n << host) - 1n;
      if (i > 0 && s[i - 1].family === r.family && s[i - 1].last >= first) break;
      let j = i;
      while (j + 1 < s.length && s[j + 1].family === r.family && s[j + 1].first <= last) j++;
      if (s[j].last > last) continue;
      const holes: Cidr[] = [];
      let at = first;
      for (let k = i; k <= j; k++) {
        if (s[k].first > at) holes.push(...rangeToCidrs(r.family, at, s[k].first - 1n));
        at = s[k].last + 1n;
      }
      if (at <= last) holes.push(...rangeToCidrs(r.family, at, last));
      if (holes.length > MAX_EXCEPTS) continue;
      const cost = 1 + holes.length + best[j + 1].cost;
      if (cost < choice.cost) {
        const block = `${formatIp(r.family, first)}/${prefix}`;
        choice = { cost, texts: [holes.length === 0 ? block : `${block} except ${holes.map(String).join(', ')}`, ...best[j + 1].texts] };
      }
    }
    best[i] = choice;
  }
  return best[0].texts;
}

/** The longest prefix whose block holds the whole range. */
function smallestPrefix(r: AddressRange): number {
  const bits = familyBits(r.family);
  let prefix = bits;
  while (prefix > 0) {
    const host = BigInt(bits - prefix);
    if (r.first >> host === r.last >> host) break;
    prefix--;
  }
  return prefix;
}

/** The fewest CIDRs that make up `first..last`. */
function rangeToCidrs(family: IpFamily, first: bigint, last: bigint): Cidr[] {
  const bits = familyBits(family);
  const out: Cidr[] = [];
  let at = first;
  while (at <= last) {
    let size = 0;
    while (size < bits && at % (1n << BigInt(size + 1)) === 0n && at + (1n << BigInt(size + 1)) - 1n <= last) size++;
    const c = new AddressRange(family, at, at + (1n << BigInt(size)) - 1n).toCidr();
    out.push(c!);
    at += 1n << BigInt(size);
  }
  return out;
}
