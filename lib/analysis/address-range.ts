/**
 * Address ranges outside the cluster, and the partition of the address space into the ranges
 * that the policies' ipBlocks can tell apart. Every range of a partition is either wholly
 * inside or wholly outside each ipBlock, so one address of a range stands for all of it.
 */
import { cutAddressSpace } from '../model/address-set';
import { Cidr, familyBits, formatIp, IpAddress, IpBlock, IpFamily } from '../model/cidr';

/**
 * An inclusive range of addresses of one family. Immutable.
 *
 * @example
 * new AddressRange(4, 0n, 0xffffffffn).toString();     // '0.0.0.0/0'
 * new AddressRange(4, 0n, 0xffffffffn).toRangeString(); // '0.0.0.0-255.255.255.255'
 */
export class AddressRange {
  /** The whole address space of a family. */
  public static whole(family: IpFamily): AddressRange {
    return new AddressRange(family, 0n, (1n << BigInt(familyBits(family))) - 1n);
  }

  /** A range from its first to its last address (both included). */
  constructor(
    /** 4 or 6. */
    public readonly family: IpFamily,
    /** First address, as an integer. */
    public readonly first: bigint,
    /** Last address, as an integer. */
    public readonly last: bigint,
  ) {}

  /** True if the address lies in the range. */
  public containsIp(ip: IpAddress): boolean {
    return ip.family === this.family && ip.value >= this.first && ip.value <= this.last;
  }

  /** True if every address of the range is matched by the block (its CIDR, minus its excepts). */
  public isInside(block: IpBlock): boolean {
    if (block.cidr.family !== this.family) return false;
    return block.ranges().some(([a, b]) => a <= this.first && this.last <= b);
  }

  /** `first-last`, always both ends: `10.0.0.0-10.0.0.255`, `49.50.0.0-49.50.0.0`. */
  public toRangeString(): string {
    return `${formatIp(this.family, this.first)}-${formatIp(this.family, this.last)}`;
  }

  /** The CIDR of the range if it is exactly one block, else undefined. */
  public toCidr(): Cidr | undefined {
    const size = this.last - this.first + 1n;
    if ((size & (size - 1n)) !== 0n || this.first % size !== 0n) return undefined;
    const hostBits = size.toString(2).length - 1;
    return Cidr.parse(`${formatIp(this.family, this.first)}/${familyBits(this.family) - hostBits}`);
  }

  /** A CIDR when the range is one (`10.0.0.0/8`), else `first-last`. */
  public toString(): string {
    return this.toCidr()?.toString() ?? this.toRangeString();
  }

  /** Orders ranges: IPv4 first, then by first address. */
  public static compare(a: AddressRange, b: AddressRange): number {
    if (a.family !== b.family) return a.family - b.family;
    return a.first < b.first ? -1 : a.first > b.first ? 1 : 0;
  }
}

/**
 * The address space of both families cut at the start and end of every range of the given
 * blocks (each block being its CIDR minus its excepts). Adjacent ranges are never merged.
 * Without blocks of a family, that family is one range.
 */
export function partitionAddressSpace(blocks: readonly IpBlock[]): AddressRange[] {
  const ranges = blocks.flatMap((b) => b.ranges().map(([first, last]) => ({ family: b.cidr.family, first, last })));
  return cutAddressSpace(ranges).map((r) => new AddressRange(r.family, r.first, r.last));
}

/**
 * Index of the range of a sorted partition (as made by `partitionAddressSpace`) that holds
 * the address. The partition covers the whole space, so there always is one.
 */
export function findRange(partition: readonly AddressRange[], ip: IpAddress): number {
  let lo = 0;
  let hi = partition.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = partition[mid];
    const c = r.family !== ip.family ? r.family - ip.family : ip.value < r.first ? 1 : ip.value > r.last ? -1 : 0;
    if (c === 0) return mid;
    if (c > 0) hi = mid - 1;
    else lo = mid + 1;
  }
  return -1;
}

/**
 * The indices `[from, to]` (inclusive) of the partition's ranges that lie inside the block,
 * as runs of consecutive indices.
 */
export function rangesInside(partition: readonly AddressRange[], block: IpBlock): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [first, last] of block.ranges()) {
    const a = findRange(partition, { family: block.cidr.family, value: first });
    const b = findRange(partition, { family: block.cidr.family, value: last });
    if (a < 0 || b < 0) continue;
    out.push([a, b]);
  }
  return out;
}
