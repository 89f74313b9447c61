/**
 * What an IP address and a CIDR are, the one parser of the project: Go's `net.ParseCIDR` as the
 * Kubernetes API server uses it for legacy fields (Kubernetes' sloppy variant, which reads leading
 * zeros as decimal), and the strict rules that API servers from 1.36 add on top (KEP-4858).
 * `cidr.ts` (our messages, `Cidr`) and `apivalidation.ts` (the server's messages) both decide with
 * these functions, so that they accept and refuse the same strings.
 *
 * Written from the behaviour of these public sources (no code copied): Go 1.16 `net/ip.go`
 * (parseIPv4, parseIPv6, ParseCIDR, CIDRMask), kubernetes/utils `net/parse.go` (ParseCIDRSloppy),
 * kubernetes/kubernetes `pkg/apis/core/validation` (IsValidCIDRForLegacyField).
 */

/**
 * An address as the sloppy parser reads it: 4 bytes for dotted IPv4, 16 for IPv6 (IPv4-mapped
 * included), and the leading zeros that the strict rules refuse.
 */
export interface SloppyIp {
  readonly bytes: readonly number[];
  /** A decimal octet written with a leading zero, such as `010` (also in the dotted tail of an IPv6 address). */
  readonly octetZeros: boolean;
  /** An IPv6 group of more than four hex digits, such as `00db8`. */
  readonly groupZeros: boolean;
}

/**
 * A CIDR as Go's `net.ParseCIDR` (Kubernetes' sloppy variant) returns it: the address as
 * written, and the network (`IPNet`) with the address masked. Byte arrays, as Go holds them:
 * an IPv4 CIDR has 4-byte `ip`/`network`/`mask`, an IPv6 one (IPv4-mapped included) 16 bytes.
 */
export interface GoIpNet {
  /** The address as written (4 or 16 bytes). */
  readonly ip: readonly number[];
  /** The address with bits beyond the prefix cleared (4 or 16 bytes). */
  readonly network: readonly number[];
  /** The mask (4 or 16 bytes). */
  readonly mask: readonly number[];
  /** Prefix length (`Mask.Size()` ones). */
  readonly ones: number;
  /** 32 or 128 (`Mask.Size()` bits). */
  readonly bits: number;
  /**
   * True if the text would fail Go's strict `netip.ParsePrefix` for leading zeros: an IPv4
   * octet such as `010`, an IPv6 group of more than four hex digits, or a prefix such as `/08`.
   */
  readonly hasLeadingZeros: boolean;
}

/** Why the strict rules refuse a CIDR that the sloppy parser reads, in the server's order of checks. */
export type StrictCidrProblem = 'leading-zeros' | 'ipv4-mapped' | 'host-bits';

/** Reads an address (no prefix, no zone): dotted IPv4 first, then IPv6. Undefined if it is not one. */
export function parseSloppyIp(text: string): SloppyIp | undefined {
  const v4 = parseIpv4Sloppy(text);
  if (v4) return { bytes: v4.bytes, octetZeros: v4.leadingZeros, groupZeros: false };
  return parseIpv6Sloppy(text);
}

/** Reads a prefix length of an address of `bits` bits: decimal digits only, leading zeros allowed. */
function parseSloppyPrefix(text: string, bits: number): { readonly ones: number; readonly leadingZeros: boolean } | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const significant = text.replace(/^0+(?=.)/, '');
  // like Go's dtoi, give up on long numbers instead of overflowing
  const ones = significant.length > 3 ? Infinity : parseInt(significant, 10);
  if (!(ones <= bits)) return undefined;
  return { ones, leadingZeros: text.length > 1 && text.startsWith('0') };
}

/**
 * Parses `address/prefix` the way the API server's sloppy parser does (Go 1.16 `net.ParseCIDR`:
 * leading zeros allowed, IPv4-mapped IPv6 allowed, no zones). Undefined if it is not a CIDR.
 */
export function parseGoCidr(text: string): GoIpNet | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseSloppyIp(text.slice(0, slash));
  if (!ip) return undefined;
  const bits = ip.bytes.length * 8;
  const prefix = parseSloppyPrefix(text.slice(slash + 1), bits);
  if (!prefix) return undefined;
  const mask = cidrMask(prefix.ones, bits);
  return {
    ip: ip.bytes,
    network: ip.bytes.map((b, i) => b & mask[i]),
    mask,
    ones: prefix.ones,
    bits,
    hasLeadingZeros: ip.octetZeros || ip.groupZeros || prefix.leadingZeros,
  };
}

/**
 * What the strict rules (API servers from 1.36) refuse in a CIDR the sloppy parser read, or
 * undefined: leading zeros, then an IPv4-mapped IPv6 address, then bits set beyond the prefix.
 */
export function strictCidrProblem(net: GoIpNet): StrictCidrProblem | undefined {
  if (net.hasLeadingZeros) return 'leading-zeros';
  if (isIpv4Mapped(net.ip)) return 'ipv4-mapped';
  if (net.ip.some((b, i) => b !== net.network[i])) return 'host-bits';
  return undefined;
}

/** True if a 16-byte address is an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`). */
export function isIpv4Mapped(ip: readonly number[]): boolean {
  return ip.length === 16 && ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/**
 * A 16-byte address in RFC 5952 form (lower-case hex, the longest run of two or more zero
 * groups, the first on a tie, written `::`), without the dotted form for IPv4-mapped addresses.
 */
export function formatIpv6(ip: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i] << 8) | ip[i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number) => g.toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups
    .slice(bestStart + bestLen)
    .map(hex)
    .join(':');
  return `${head}::${tail}`;
}

/** Go's `CIDRMask(ones, bits)` as bytes. */
function cidrMask(ones: number, bits: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits / 8; i++) {
    const n = Math.max(0, Math.min(8, ones - i * 8));
    out.push((0xff << (8 - n)) & 0xff);
  }
  return out;
}

/** Go 1.16 `parseIPv4`: four decimal octets of any number of digits, each at most 255. */
function parseIpv4Sloppy(s: string): { bytes: number[]; leadingZeros: boolean } | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  let leadingZeros = false;
  for (const p of parts) {
    if (!/^[0-9]+$/.test(p)) return undefined;
    const n = parseInt(p, 10);
    if (n > 255) return undefined;
    if (p.length > 1 && p.startsWith('0')) leadingZeros = true;
    bytes.push(n);
  }
  return { bytes, leadingZeros };
}

/** Go 1.16 `parseIPv6` without zones: hex groups, one `::`, an optional trailing dotted IPv4. */
function parseIpv6Sloppy(text: string): SloppyIp | undefined {
  const ip = new Array<number>(16).fill(0);
  let s = text;
  let ellipsis = -1;
  let octetZeros = false;
  let groupZeros = false;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { bytes: ip, octetZeros, groupZeros };
  }
  let i = 0;
  while (i < 16) {
    const m = /^[0-9a-fA-F]+/.exec(s);
    if (!m) return undefined;
    const digits = m[0];
    // Go's xtoi gives up once the value reaches 0xFFFFFF; anything above 0xFFFF fails anyway
    const n = digits.replace(/^0+(?=.)/, '').length > 4 ? Infinity : parseInt(digits, 16);
    if (!(n <= 0xffff)) return undefined;
    if (digits.length < s.length && s[digits.length] === '.') {
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIpv4Sloppy(s);
      if (!v4) return undefined;
      if (v4.leadingZeros) octetZeros = true;
      ip.splice(i, 4, ...v4.bytes);
      s = '';
      i += 4;
      break;
    }
    if (digits.length > 4) groupZeros = true;
    ip[i] = n >> 8;
    ip[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(digits.length);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j];
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return { bytes: ip, octetZeros, groupZeros };
}
