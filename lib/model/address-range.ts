/**
 * An inclusive range of IP addresses of one family: the one range type of the project, used by
 * address sets, the analyzer's partition of the address space and flow statements alike.
 */
import { Cidr, familyBits, formatIp, IpAddress, IpBlock, IpFamily } from './cidr';

/**
 * An inclusive range of addresses of one family. Immutable.
 *
 * @example
 * new AddressRange(4, 0n, 0xffffffffn).toString();     // '0.0.0.0/0'
 * new AddressRange(4, 0n, 0xffffffffn).toRangeString(); // '0.0.0.0-255.255.255.255'
 */
export class AddressRange implements AddressInterval {
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

/** The shape of an address range, for inputs: anything with a family and first and last addresses. */
export interface AddressInterval {
  readonly family: IpFamily;
  /** First address, as an integer. */
  readonly first: bigint;
  /** Last address, as an integer. */
  readonly last: bigint;
}
