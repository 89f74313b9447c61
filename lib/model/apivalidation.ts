/**
 * The Kubernetes API server's own syntax checks, with its own wording, for tools that must say
 * exactly what the server would say (`netpol validate`). The checks in `names.ts` and `cidr.ts`
 * phrase problems for our users and suggest fixes; these return the server's detail strings
 * verbatim, in the server's order, so that a caller can print `<field>: Invalid value: ...`
 * lines indistinguishable from `kubectl apply` output.
 *
 * Written from the behaviour of these public sources (no code copied):
 * - kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go
 *   (IsDNS1123Label, IsDNS1123Subdomain, IsValidPortNum, IsValidPortName, RegexError,
 *   InclusiveRangeError, MaxLenError)
 * - kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/api/validate/content/kube.go and
 *   errors.go (IsLabelKey = IsQualifiedName, IsLabelValue; their length limit reads "bytes")
 * - kubernetes/kubernetes pkg/apis/core/validation (IsValidCIDRForLegacyField and parseCIDR:
 *   sloppy parse first, then the strict rules of KEP-4858 "IP/CIDR validation improvements")
 * - kubernetes/utils net/parse.go (ParseCIDRSloppy: Go 1.16's net.ParseCIDR, which accepts
 *   leading zeros) and Go's net.IPNet Contains / Mask.Size / String semantics
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/4858-ip-cidr-validation
 */

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_KEY_RE = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/** The server's wording for a failed pattern: the rule, examples, and the regular expression. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  // each example is followed by ", " and joined with " or ", hence the server's double space
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** Length in bytes (UTF-8), as Go's `len(string)` counts. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * A DNS-1123 label (namespace names): the server's messages, e.g.
 * `a lowercase RFC 1123 label must consist of ... (e.g. 'my-name' or '123-abc', regex used for validation is '...')`.
 */
export function apiDns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL_RE.test(value)) {
    // a valid subdomain that is not a valid label can only be one with dots
    errs.push(DNS1123_SUBDOMAIN_RE.test(value) ? 'must not contain dots' : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** A DNS-1123 subdomain (object names): the server's messages. */
export function apiDns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN_RE.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** A qualified name (label keys, annotation keys, finalizers): the server's messages. */
export function apiQualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) {
      errs.push('prefix part must be non-empty');
    } else {
      const perrs: string[] = [];
      if (byteLength(prefix) > 253) perrs.push('must be no more than 253 bytes');
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) perrs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
      errs.push(...perrs.map((e) => `prefix part ${e}`));
    }
  } else {
    return [`a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push('name part must be no more than 63 bytes');
  if (!LABEL_KEY_RE.test(name)) errs.push(`name part ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** A label value: the server's messages. The empty string is valid. */
export function apiLabelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push('must be no more than 63 bytes');
  if (!LABEL_VALUE_RE.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** A port number: 1-65535. */
export function apiPortNumErrors(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** A port name (IANA_SVC_NAME), in the server's order of checks. */
export function apiPortNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (byteLength(name) > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
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

/**
 * Parses `address/prefix` the way the API server's sloppy parser does (Go 1.16 `net.ParseCIDR`:
 * leading zeros allowed, IPv4-mapped IPv6 allowed, no zones). Undefined if it is not a CIDR.
 */
export function parseGoCidr(text: string): GoIpNet | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const maskText = text.slice(slash + 1);
  let zeros = false;
  const v4 = parseIpv4Sloppy(addr);
  let ip: number[] | undefined;
  let bits: number;
  if (v4) {
    ip = v4.bytes;
    zeros = v4.leadingZeros;
    bits = 32;
  } else {
    const v6 = parseIpv6Sloppy(addr);
    if (!v6) return undefined;
    ip = v6.bytes;
    zeros = v6.leadingZeros;
    bits = 128;
  }
  if (!/^[0-9]+$/.test(maskText)) return undefined;
  const significant = maskText.replace(/^0+(?=.)/, '');
  const ones = significant.length > 3 ? Infinity : parseInt(significant, 10);
  if (!(ones <= bits)) return undefined;
  if (maskText.length > 1 && maskText.startsWith('0')) zeros = true;
  const mask = cidrMask(ones, bits);
  return { ip, network: ip.map((b, i) => b & mask[i]), mask, ones, bits, hasLeadingZeros: zeros };
}

/**
 * The API server's detail strings for a CIDR in a legacy field such as `ipBlock.cidr`.
 * Strict (the default of API servers from 1.36, KEP-4858) adds one of: leading zeros,
 * IPv4-mapped IPv6, bits set beyond the prefix. `legacy` (API servers up to 1.35) checks syntax only.
 */
export function apiCidrErrors(value: string, options: { readonly legacy?: boolean } = {}): string[] {
  const net = parseGoCidr(value);
  if (!net) return ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  if (options.legacy) return [];
  if (net.hasLeadingZeros) return ['must not have leading 0s in IP or prefix length'];
  if (isIpv4Mapped(net.ip)) return ['must not have an IPv4-mapped IPv6 address'];
  if (net.ip.some((b, i) => b !== net.network[i])) return ['must not have bits set beyond the prefix length'];
  return [];
}

/**
 * True if `except` is a strict subset of `cidr` as the API server decides it: the cidr's
 * network contains the except's network address, and the cidr's prefix is shorter
 * (Go `IPNet.Contains` and `Mask.Size`, IPv4-mapped addresses compared as IPv4).
 */
export function goIpNetStrictlyContains(cidr: GoIpNet, except: GoIpNet): boolean {
  return goIpNetContains(cidr, except.network) && cidr.ones < except.ones;
}

/** Go's `IPNet.Contains(ip)`. */
export function goIpNetContains(net: GoIpNet, ipBytes: readonly number[]): boolean {
  const [nn, m] = networkNumberAndMask(net);
  const ip = to4(ipBytes) ?? ipBytes;
  if (ip.length !== nn.length) return false;
  return nn.every((b, i) => (b & m[i]) === (ip[i] & m[i]));
}

/** Go's `IPNet.String()`: the network as Go prints it, e.g. `10.0.0.0/24`, `2001:db8::/32`. */
export function formatGoIpNet(net: GoIpNet): string {
  const [nn, m] = networkNumberAndMask(net);
  const ones = m.reduce((acc, b) => acc + popcount(b), 0);
  return `${formatGoIp(nn)}/${ones}`;
}

/** Go's `IP.String()`: dotted IPv4 (also for IPv4-mapped IPv6), RFC 5952 IPv6. */
export function formatGoIp(ip: readonly number[]): string {
  const v4 = to4(ip);
  if (v4) return v4.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i] << 8) | ip[i + 1]);
  // longest run of two or more zero groups, the first one on a tie, becomes "::"
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
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
  const tail = groups.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** True if a 16-byte address is an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`). */
export function isIpv4Mapped(ip: readonly number[]): boolean {
  return ip.length === 16 && ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

function to4(ip: readonly number[]): readonly number[] | undefined {
  if (ip.length === 4) return ip;
  if (isIpv4Mapped(ip)) return ip.slice(12);
  return undefined;
}

function networkNumberAndMask(net: GoIpNet): [readonly number[], readonly number[]] {
  const ip = to4(net.network) ?? net.network;
  const mask = net.mask.length === 16 && ip.length === 4 ? net.mask.slice(12) : net.mask;
  return [ip, mask];
}

function cidrMask(ones: number, bits: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits / 8; i++) {
    const n = Math.max(0, Math.min(8, ones - i * 8));
    out.push((0xff << (8 - n)) & 0xff);
  }
  return out;
}

function popcount(b: number): number {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n;
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
function parseIpv6Sloppy(text: string): { bytes: number[]; leadingZeros: boolean } | undefined {
  const ip = new Array<number>(16).fill(0);
  let s = text;
  let ellipsis = -1;
  let leadingZeros = false;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { bytes: ip, leadingZeros };
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
      if (v4.leadingZeros) leadingZeros = true;
      ip.splice(i, 4, ...v4.bytes);
      s = '';
      i += 4;
      break;
    }
    if (digits.length > 4) leadingZeros = true;
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
  return { bytes: ip, leadingZeros };
}
