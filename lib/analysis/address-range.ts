/**
 * Address ranges outside the cluster, and the partition of the address space into the ranges
 * that the policies' ipBlocks can tell apart. Every range of a partition is either wholly
 * inside or wholly outside each ipBlock, so one address of a range stands for all of it.
 */
import { AddressRange } from '../model/address-range';
import { cutAddressSpace } from '../model/address-set';
import { IpAddress, IpBlock } from '../model/cidr';

/**
 * The address space of both families cut at the start and end of every range of the given
 * blocks (each block being its CIDR minus its excepts). Adjacent ranges are never merged.
 * Without blocks of a family, that family is one range.
 */
export function partitionAddressSpace(blocks: readonly IpBlock[]): AddressRange[] {
  const ranges = blocks.flatMap((b) => b.ranges().map(([first, last]) => ({ family: b.cidr.family, first, last })));
  return cutAddressSpace(ranges);
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
