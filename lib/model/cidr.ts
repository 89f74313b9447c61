/**
 * IP addresses and CIDR blocks (IPv4 and IPv6), with the arithmetic that NetworkPolicy needs:
 * containment, overlap, and "a block minus its excepts" as address ranges.
 *
 * Parsing follows the Kubernetes API server: Go's CIDR syntax, and by default the strict rules
 * of current releases (no host bits beyond the prefix, no leading zeros in IPv4 octets, no
 * IPv4-mapped IPv6). `{ legacy: true }` accepts what API servers up to 1.35 accepted.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
 */
import * as ipaddr from 'ipaddr.js';
import { NetpolError } from './errors';

/** IP family: 4 or 6. */
export type IpFamily = 4 | 6;

/** Options for parsing. */
export interface CidrParseOptions {
  /**
   * Accept what API servers up to 1.35 accept: host bits beyond the prefix (the block is then
   * its network), leading zeros in IPv4 octets, IPv4-mapped IPv6.
   * @default false
   */
  readonly legacy?: boolean;
}

const IPV4_STRICT = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;
const IPV4_LOOSE = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$/;
const HOSTNAME = /^(?=.*[a-zA-Z])[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*\.?$/;

/** An IP address as family + 32/128-bit integer. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** Parses an IP address (no prefix). Throws `NetpolError` with code `ip.invalid`. */
export function parseIp(text: string, options: CidrParseOptions = {}): IpAddress {
  const v4 = ipv4Value(text, options);
  if (v4 === 'leading-zero') throw leadingZero(text, withoutLeadingZeros(text));
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (text.includes(':') && !text.includes('%')) {
    // ipaddr.js reads "::a.b.c.d" as IPv4-mapped and accepts hex or zero-padded octets in a
    // dotted tail; Go does neither. So the tail is checked here and passed on as two hex groups.
    const head = text.slice(0, text.lastIndexOf(':') + 1);
    const tail = text.slice(head.length);
    let hex = text;
    if (tail.includes('.')) {
      const t = ipv4Value(tail, options);
      if (t === 'leading-zero') throw leadingZero(text, `${head}${withoutLeadingZeros(tail)}`);
      hex = t === undefined ? '' : `${head}${(t >> 16n).toString(16)}:${(t & 0xffffn).toString(16)}`;
    }
    if (!ipaddr.IPv6.isValid(hex)) throw NetpolError.of('ip.invalid', '', `"${text}" is not a valid IP address`);
    const addr = ipaddr.IPv6.parse(hex);
    if (addr.isIPv4MappedAddress() && !options.legacy) {
      throw NetpolError.of('ip.ipv4-mapped', '', `IP address "${text}" is an IPv4-mapped IPv6 address, which the API server rejects; write the IPv4 address "${addr.toIPv4Address().toString()}" instead`);
    }
    if (addr.isIPv4MappedAddress()) {
      return { family: 4, value: addr.toIPv4Address().toByteArray().reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
    }
    return { family: 6, value: addr.toByteArray().reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  throw NetpolError.of('ip.invalid', '', `"${text}" is not a valid IP address`);
}

/** A dotted-quad IPv4 address as an integer; `leading-zero` if only a leading zero (strict) makes it invalid. */
function ipv4Value(text: string, options: CidrParseOptions): bigint | 'leading-zero' | undefined {
  const m = IPV4_LOOSE.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map((o) => parseInt(o, 10));
  if (octets.some((o) => o > 255)) return undefined;
  if (!options.legacy && !IPV4_STRICT.test(text)) return 'leading-zero';
  return octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

function withoutLeadingZeros(ipv4: string): string {
  return ipv4.split('.').map((o) => String(parseInt(o, 10))).join('.');
}

function leadingZero(text: string, fixed: string): NetpolError {
  return NetpolError.of('ip.leading-zero', '', `IP address "${text}" has a leading zero in an octet, which the API server rejects; write "${fixed}"`);
}

/** `::ffff:0:0/96`, the prefix of IPv4-mapped IPv6 addresses. */
const IPV4_MAPPED_PREFIX = 0xffffn << 32n;

/** Formats an address the way Go prints it (IPv6 shortened, lower case). */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const bytes: number[] = [];
  for (let i = 15; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 255n));
  return ipaddr.fromByteArray(bytes).toString();
}

/** Number of bits in an address of the family. */
export function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

/**
 * A CIDR block such as `10.0.0.0/16` or `2001:db8::/32`. Immutable.
 *
 * @example
 * const c = Cidr.parse('10.0.0.0/16');
 * c.contains(Cidr.parse('10.0.1.0/24')); // true
 */
export class Cidr {
  /**
   * Parses `address/prefix`. Throws `NetpolError` saying what is wrong and what to write:
   * a missing mask, host bits beyond the prefix, a hostname, leading zeros.
   */
  public static parse(text: string, options: CidrParseOptions = {}): Cidr {
    if (typeof text !== 'string') {
      throw NetpolError.of('cidr.type', '', `expected a CIDR string such as "10.0.0.0/16", got ${JSON.stringify(text)}`);
    }
    const slash = text.indexOf('/');
    if (slash < 0) {
      if (HOSTNAME.test(text) && !IPV4_LOOSE.test(text)) {
        throw NetpolError.of('cidr.hostname', '', `"${text}" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer`);
      }
      let hint = '';
      try {
        const ip = parseIp(text, options);
        hint = ` Did you mean "${text}/${text.includes(':') ? 128 : familyBits(ip.family)}"?`;
      } catch (e) {
        if (NetpolError.isNetpolError(e) && e.code === 'ip.invalid') {
          throw NetpolError.of('cidr.invalid', '', `"${text}" is not a valid CIDR; expected address/prefix such as "10.0.0.0/16" or "2001:db8::/32"`);
        }
        // an address the API server rejects (leading zero, IPv4-mapped): no hint
      }
      throw NetpolError.of('cidr.mask-missing', '', `CIDR mask is missing in "${text}".${hint || ' Write it as address/prefix, e.g. "10.0.0.0/16".'}`);
    }
    const addrText = text.slice(0, slash);
    const prefixText = text.slice(slash + 1);
    let ip: IpAddress;
    try {
      ip = parseIp(addrText, options);
    } catch (e) {
      if (NetpolError.isNetpolError(e) && e.code !== 'ip.invalid') {
        throw NetpolError.of(e.code, '', `in CIDR "${text}": ${e.issues[0].message}`);
      }
      throw NetpolError.of('cidr.invalid', '', `"${text}" is not a valid CIDR; expected address/prefix such as "10.0.0.0/16" or "2001:db8::/32"`);
    }
    // Only legacy parsing gets here with an IPv4-mapped address (IPv4 family, IPv6 text).
    const mapped = ip.family === 4 && addrText.includes(':');
    const bits = mapped ? 128 : familyBits(ip.family);
    const prefixOk = /^(0|[1-9][0-9]*)$/.test(prefixText) || (options.legacy && /^[0-9]+$/.test(prefixText));
    const prefix = prefixOk ? parseInt(prefixText, 10) : NaN;
    if (!(prefix >= 0 && prefix <= bits)) {
      throw NetpolError.of('cidr.prefix', '', `"${text}" has an invalid prefix length "${prefixText}"; an IPv${mapped ? 6 : ip.family} prefix is 0-${bits}`);
    }
    if (mapped) {
      // Go matches ::ffff:a.b.c.d/p as the IPv4 block a.b.c.d/(p-96) when p >= 96; a shorter
      // prefix masks away the ffff marker and leaves an IPv6 block.
      return prefix >= 96
        ? new Cidr(4, maskValue(ip.value, prefix - 96, 32), prefix - 96)
        : new Cidr(6, maskValue(IPV4_MAPPED_PREFIX | ip.value, prefix, 128), prefix);
    }
    const cidr = new Cidr(ip.family, maskValue(ip.value, prefix, bits), prefix);
    if (cidr.network !== ip.value && !options.legacy) {
      throw NetpolError.of('cidr.host-bits', '', `CIDR "${text}" has bits set beyond its /${prefix} prefix; write the network address "${cidr}" (or "${addrText}/${bits}" for the single address)`);
    }
    return cidr;
  }

  /** True if `text` parses as a CIDR under `options`. */
  public static isValid(text: string, options: CidrParseOptions = {}): boolean {
    try {
      Cidr.parse(text, options);
      return true;
    } catch {
      return false;
    }
  }

  /** The whole IPv4 space, 0.0.0.0/0. */
  public static readonly ANY_IPV4 = new Cidr(4, 0n, 0);
  /** The whole IPv6 space, ::/0. */
  public static readonly ANY_IPV6 = new Cidr(6, 0n, 0);

  private constructor(
    /** 4 or 6. */
    public readonly family: IpFamily,
    /** The network address as an integer. */
    public readonly network: bigint,
    /** Prefix length. */
    public readonly prefix: number,
  ) {}

  /** First address of the block. */
  public get first(): bigint {
    return this.network;
  }

  /** Last address of the block. */
  public get last(): bigint {
    const hostBits = BigInt(familyBits(this.family) - this.prefix);
    return this.network + (1n << hostBits) - 1n;
  }

  /** True if `other` lies entirely inside this block (same family). */
  public contains(other: Cidr): boolean {
    return other.family === this.family && other.first >= this.first && other.last <= this.last;
  }

  /** True if `other` is inside this block and smaller: what the API server asks of an `except`. */
  public strictlyContains(other: Cidr): boolean {
    return this.contains(other) && other.prefix > this.prefix;
  }

  /** True if the blocks share an address. */
  public overlaps(other: Cidr): boolean {
    return other.family === this.family && other.first <= this.last && other.last >= this.first;
  }

  /** True if the address lies in the block. */
  public containsIp(ip: IpAddress): boolean {
    return ip.family === this.family && ip.value >= this.first && ip.value <= this.last;
  }

  public equals(other: Cidr): boolean {
    return this.family === other.family && this.network === other.network && this.prefix === other.prefix;
  }

  /** Canonical text, e.g. `10.0.0.0/16`. */
  public toString(): string {
    return `${formatIp(this.family, this.network)}/${this.prefix}`;
  }

  /** Orders blocks: IPv4 first, then by address, then by prefix. */
  public static compare(a: Cidr, b: Cidr): number {
    if (a.family !== b.family) return a.family - b.family;
    if (a.network !== b.network) return a.network < b.network ? -1 : 1;
    return a.prefix - b.prefix;
  }
}

function maskValue(value: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

/**
 * An ipBlock: a CIDR minus zero or more excepts. The API server requires each except to be
 * strictly inside the CIDR and of the same family.
 *
 * @example
 * IpBlock.of('172.17.0.0/16', ['172.17.1.0/24']).toString(); // '172.17.0.0/16 except 172.17.1.0/24'
 */
export class IpBlock {
  /** Builds and checks a block from text. Issues carry the paths `cidr` and `except[i]`. */
  public static of(cidr: string | Cidr, except: readonly (string | Cidr)[] = [], options: CidrParseOptions = {}): IpBlock {
    const issues: { code: string; path: string; message: string }[] = [];
    let base: Cidr | undefined;
    try {
      base = cidr instanceof Cidr ? cidr : Cidr.parse(cidr, options);
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, path: 'cidr' })));
    }
    const excepts: Cidr[] = [];
    except.forEach((x, idx) => {
      const path = `except[${idx}]`;
      let c: Cidr;
      try {
        c = x instanceof Cidr ? x : Cidr.parse(x, options);
      } catch (e) {
        if (!NetpolError.isNetpolError(e)) throw e;
        issues.push(...e.issues.map((i) => ({ ...i, path })));
        return;
      }
      if (base && c.family !== base.family) {
        issues.push({ code: 'ipblock.except-family', path, message: `except "${c}" is IPv${c.family} but the cidr "${base}" is IPv${base.family}; an except must be of the same family and inside the cidr` });
      } else if (base && !base.strictlyContains(c)) {
        issues.push({ code: 'ipblock.except-outside', path, message: `except "${c}" must be strictly within the cidr "${base}"; remove it or use a smaller range inside the cidr` });
      }
      excepts.push(c);
    });
    if (issues.length > 0) throw new NetpolError(issues);
    return new IpBlock(base!, excepts.sort(Cidr.compare));
  }

  private constructor(
    public readonly cidr: Cidr,
    public readonly except: readonly Cidr[],
  ) {}

  /**
   * The addresses the block matches, as sorted disjoint inclusive ranges `[first, last]`.
   */
  public ranges(): Array<[bigint, bigint]> {
    let result: Array<[bigint, bigint]> = [[this.cidr.first, this.cidr.last]];
    for (const ex of this.except) {
      const next: Array<[bigint, bigint]> = [];
      for (const [a, b] of result) {
        if (ex.last < a || ex.first > b) {
          next.push([a, b]);
          continue;
        }
        if (ex.first > a) next.push([a, ex.first - 1n]);
        if (ex.last < b) next.push([ex.last + 1n, b]);
      }
      result = next;
    }
    return result;
  }

  /** True if the address is in the CIDR and in none of the excepts. */
  public containsIp(ip: IpAddress): boolean {
    return this.cidr.containsIp(ip) && !this.except.some((e) => e.containsIp(ip));
  }

  public equals(other: IpBlock): boolean {
    return this.cidr.equals(other.cidr) && this.except.length === other.except.length && this.except.every((e, i) => e.equals(other.except[i]));
  }

  /** `10.0.0.0/24` or `10.0.0.0/16 except 10.0.1.0/24, 10.0.2.0/24`. */
  public toString(): string {
    return this.except.length === 0 ? this.cidr.toString() : `${this.cidr} except ${this.except.join(', ')}`;
  }
}
