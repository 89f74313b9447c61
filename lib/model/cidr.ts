/**
 * IP addresses and CIDR blocks (IPv4 and IPv6), with the arithmetic that NetworkPolicy needs:
 * containment, overlap, and "a block minus its excepts" as address ranges.
 *
 * Parsing follows the Kubernetes API server: Go's CIDR syntax, and by default the strict rules
 * of current releases (no host bits beyond the prefix, no leading zeros in IPv4 octets, no
 * IPv4-mapped IPv6). `{ legacy: true }` accepts what API servers up to 1.35 accepted. What is
 * valid is decided by the one parser in `private/ip-syntax.ts`, which `apivalidation.ts` uses
 * too; this file words the problems for our users and suggests the fix.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
 */
import { NetpolError } from './errors';
import { refuse } from './private/args';
import { formatIpv6, GoIpNet, isIpv4Mapped, parseGoCidr, parseSloppyIp, strictCidrProblem } from './private/ip-syntax';

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

const HOSTNAME = /^(?=.*[a-zA-Z])[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*\.?$/;

/** An IP address as family + 32/128-bit integer. */
export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/**
 * Parses an IP address (no prefix). Throws `NetpolError` with code `ip.invalid`, or, unless
 * legacy, `ip.leading-zero` or `ip.ipv4-mapped`.
 */
export function parseIp(text: string, options: CidrParseOptions = {}): IpAddress {
  const bytes = checkedIp(text, options);
  // only legacy parsing gets here with an IPv4-mapped address; it stands for the IPv4 address
  return bytes.length === 4 || isIpv4Mapped(bytes)
    ? { family: 4, value: toBigInt(bytes.slice(-4)) }
    : { family: 6, value: toBigInt(bytes) };
}

/**
 * The address as bytes (4, or 16 with IPv4-mapped ones kept as such) if `options` accept it;
 * else throws what is wrong in our words.
 */
function checkedIp(text: string, options: CidrParseOptions): readonly number[] {
  const ip = parseSloppyIp(text);
  if (!ip) throw invalidIp(text);
  if (!options.legacy) {
    if (ip.octetZeros) {
      // only the dotted part holds decimal octets: all of an IPv4 address, the tail of an IPv6 one
      const head = text.slice(0, text.lastIndexOf(':') + 1);
      const fixed = `${head}${text
        .slice(head.length)
        .split('.')
        .map((o) => String(parseInt(o, 10)))
        .join('.')}`;
      throw NetpolError.ofValue(
        'ip.leading-zero',
        `IP address "${text}" has a leading zero in an octet, which the API server rejects; write "${fixed}"`,
      );
    }
    // an IPv6 group of more than four hex digits has leading zeros too; it is simply not an address here
    if (ip.groupZeros) throw invalidIp(text);
    if (isIpv4Mapped(ip.bytes)) {
      throw NetpolError.ofValue(
        'ip.ipv4-mapped',
        `IP address "${text}" is an IPv4-mapped IPv6 address, which the API server rejects; write the IPv4 address "${ip.bytes.slice(12).join('.')}" instead`,
      );
    }
  }
  return ip.bytes;
}

function invalidIp(text: string): NetpolError {
  return NetpolError.ofValue('ip.invalid', `"${text}" is not a valid IP address`);
}

function toBigInt(bytes: readonly number[]): bigint {
  return bytes.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n);
}

/** Formats an address the way Go prints it (IPv6 shortened, lower case). */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const bytes: number[] = [];
  for (let i = 15; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 255n));
  return formatIpv6(bytes);
}

function invalidCidr(text: string): NetpolError {
  return NetpolError.ofValue(
    'cidr.invalid',
    `"${text}" is not a valid CIDR; expected address/prefix such as "10.0.0.0/16" or "2001:db8::/32"`,
  );
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
      throw NetpolError.ofValue('cidr.type', `expected a CIDR string such as "10.0.0.0/16", got ${JSON.stringify(text)}`);
    }
    const slash = text.indexOf('/');
    if (slash < 0) {
      if (HOSTNAME.test(text)) {
        throw NetpolError.ofValue(
          'cidr.hostname',
          `"${text}" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; ` +
            `resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or ` +
            `allow egress to its port without a peer`,
        );
      }
      let hint = '';
      try {
        hint = ` Did you mean "${text}/${checkedIp(text, options).length * 8}"?`;
      } catch (e) {
        if (NetpolError.isNetpolError(e) && e.code === 'ip.invalid') throw invalidCidr(text);
        // an address the API server rejects (leading zero, IPv4-mapped): no hint
      }
      throw NetpolError.ofValue(
        'cidr.mask-missing',
        `CIDR mask is missing in "${text}".${hint || ' Write it as address/prefix, e.g. "10.0.0.0/16".'}`,
      );
    }
    const addrText = text.slice(0, slash);
    const prefixText = text.slice(slash + 1);
    let bits: number;
    try {
      bits = checkedIp(addrText, options).length * 8;
    } catch (e) {
      if (NetpolError.isNetpolError(e) && e.code !== 'ip.invalid') {
        throw NetpolError.ofValue(e.code, `in CIDR "${text}": ${e.issues[0].message}`);
      }
      throw invalidCidr(text);
    }
    // The address is accepted, so what the parser or the strict rules refuse is the prefix
    // (a leading zero) or bits beyond it.
    const net = parseGoCidr(text);
    const problem = net && !options.legacy ? strictCidrProblem(net) : undefined;
    if (net && problem === 'host-bits') {
      throw NetpolError.ofValue(
        'cidr.host-bits',
        `CIDR "${text}" has bits set beyond its /${net.ones} prefix; write the network address ` +
          `"${Cidr.fromGoIpNet(net)}" (or "${addrText}/${bits}" for the single address)`,
      );
    }
    if (!net || problem) {
      throw NetpolError.ofValue(
        'cidr.prefix',
        `"${text}" has an invalid prefix length "${prefixText}"; an IPv${bits === 32 ? 4 : 6} prefix is 0-${bits}`,
      );
    }
    return Cidr.fromGoIpNet(net);
  }

  /**
   * The block of a parsed CIDR. Go matches `::ffff:a.b.c.d/p` (legacy only) as the IPv4 block
   * `a.b.c.d/(p-96)` when p >= 96; a shorter prefix masks away the ffff marker and leaves an
   * IPv6 block.
   */
  private static fromGoIpNet(net: GoIpNet): Cidr {
    if (isIpv4Mapped(net.ip) && net.ones >= 96) return new Cidr(4, toBigInt(net.network.slice(12)), net.ones - 96);
    return new Cidr(net.bits === 32 ? 4 : 6, toBigInt(net.network), net.ones);
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
    /**
     * The network address as an integer.
     * TypeScript only (a bigint); `toString()` gives the address in every language.
     * @jsii ignore
     */
    public readonly network: bigint,
    /** Prefix length. */
    public readonly prefix: number,
  ) {}

  /**
   * First address of the block, as an integer.
   * TypeScript only (a bigint).
   * @jsii ignore
   */
  public get first(): bigint {
    return this.network;
  }

  /**
   * Last address of the block, as an integer.
   * TypeScript only (a bigint).
   * @jsii ignore
   */
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

  /**
   * True if the address lies in the block.
   * TypeScript only (an `IpAddress` holds a bigint); elsewhere ask
   * `contains(Cidr.parse('10.0.0.5/32'))`.
   * @jsii ignore
   */
  public containsIp(ip: IpAddress): boolean {
    return ip.family === this.family && ip.value >= this.first && ip.value <= this.last;
  }

  /** True if both are the same block (same family, network and prefix). */
  public isEqualTo(other: Cidr): boolean {
    return this.family === other.family && this.network === other.network && this.prefix === other.prefix;
  }

  /**
   * @deprecated use `isEqualTo`, which every language jsii targets can call
   * @jsii ignore
   */
  public equals(other: Cidr): boolean {
    return this.isEqualTo(other);
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

/**
 * An ipBlock: a CIDR minus zero or more excepts. The API server requires each except to be
 * strictly inside the CIDR and of the same family.
 *
 * @example
 * IpBlock.of('172.17.0.0/16', ['172.17.1.0/24']).toString(); // '172.17.0.0/16 except 172.17.1.0/24'
 */
export class IpBlock {
  /** Builds and checks a block from text. Issues carry the paths `cidr` and `except[i]`. */
  public static of(cidr: string | Cidr, except: (string | Cidr)[] = [], options: CidrParseOptions = {}): IpBlock {
    const given: unknown = except;
    if (!Array.isArray(given)) refuse('IpBlock.of', 'except', "an array of CIDRs such as ['10.0.1.0/24']", given);
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
        issues.push({
          code: 'ipblock.except-family',
          path,
          message: `except "${c}" is IPv${c.family} but the cidr "${base}" is IPv${base.family}; an except must be of the same family and inside the cidr`,
        });
      } else if (base && !base.strictlyContains(c)) {
        issues.push({
          code: 'ipblock.except-outside',
          path,
          message: `except "${c}" must be strictly within the cidr "${base}"; remove it or use a smaller range inside the cidr`,
        });
      }
      excepts.push(c);
    });
    if (issues.length > 0) throw new NetpolError(issues);
    return new IpBlock(base!, Object.freeze(excepts.sort(Cidr.compare)) as Cidr[]);
  }

  private constructor(
    /** The block. */
    public readonly cidr: Cidr,
    /** The blocks left out, sorted. Frozen: the block never changes. */
    public readonly except: Cidr[],
  ) {}

  /**
   * The addresses the block matches, as sorted disjoint inclusive ranges `[first, last]`.
   * TypeScript only (bigint pairs).
   * @jsii ignore
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

  /**
   * True if the address is in the CIDR and in none of the excepts.
   * TypeScript only (an `IpAddress` holds a bigint).
   * @jsii ignore
   */
  public containsIp(ip: IpAddress): boolean {
    return this.cidr.containsIp(ip) && !this.except.some((e) => e.containsIp(ip));
  }

  /** True if both have the same CIDR and the same excepts. */
  public isEqualTo(other: IpBlock): boolean {
    return (
      this.cidr.isEqualTo(other.cidr) &&
      this.except.length === other.except.length &&
      this.except.every((e, i) => e.isEqualTo(other.except[i]))
    );
  }

  /**
   * @deprecated use `isEqualTo`, which every language jsii targets can call
   * @jsii ignore
   */
  public equals(other: IpBlock): boolean {
    return this.isEqualTo(other);
  }

  /** `10.0.0.0/24` or `10.0.0.0/16 except 10.0.1.0/24, 10.0.2.0/24`. */
  public toString(): string {
    return this.except.length === 0 ? this.cidr.toString() : `${this.cidr} except ${this.except.join(', ')}`;
  }
}
