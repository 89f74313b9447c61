/**
 * The Kubernetes API server's own syntax checks, with its own wording, for tools that must say
 * exactly what the server would say (`netpol validate`). The checks in `names.ts` and `cidr.ts`
 * phrase problems for our users and suggest fixes; these return the server's detail strings
 * verbatim, in the server's order, so that a caller can print `<field>: Invalid value: ...`
 * lines indistinguishable from `kubectl apply` output. What is valid is decided once, in
 * `private/name-syntax.ts` (patterns, length limits) and `private/ip-syntax.ts` (the CIDR parser
 * and its strict rules), which `names.ts` and `cidr.ts` use too; this file only words the answers.
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

import { DNS1123_LABEL, DNS1123_SUBDOMAIN, LABEL_VALUE, PORT_NAME, QUALIFIED_NAME, splitQualifiedName } from './private/name-syntax';
import { formatIpv6, GoIpNet, isIpv4Mapped, parseGoCidr, StrictCidrProblem, strictCidrProblem } from './private/ip-syntax';

export { isIpv4Mapped, parseGoCidr } from './private/ip-syntax';
export type { GoIpNet } from './private/ip-syntax';

const LABEL_KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

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
  if (byteLength(value) > DNS1123_LABEL.maxLength) errs.push(`must be no more than ${DNS1123_LABEL.maxLength} characters`);
  if (!DNS1123_LABEL.matches(value)) {
    // a valid subdomain that is not a valid label can only be one with dots
    errs.push(
      DNS1123_SUBDOMAIN.matches(value) ? 'must not contain dots' : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL.fmt, 'my-name', '123-abc'),
    );
  }
  return errs;
}

/** A DNS-1123 subdomain (object names): the server's messages. */
export function apiDns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN.maxLength) errs.push(`must be no more than ${DNS1123_SUBDOMAIN.maxLength} characters`);
  if (!DNS1123_SUBDOMAIN.matches(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN.fmt, 'example.com'));
  return errs;
}

/** A qualified name (label keys, annotation keys, finalizers): the server's messages. */
export function apiQualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = splitQualifiedName(value);
  if (!parts) {
    return [
      `a valid label key ${regexError(LABEL_KEY_MSG, QUALIFIED_NAME.fmt, 'MyName', 'my.name', '123-abc')} ` +
        `with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const { prefix, name } = parts;
  if (prefix?.length === 0) {
    errs.push('prefix part must be non-empty');
  } else if (prefix !== undefined) {
    if (byteLength(prefix) > DNS1123_SUBDOMAIN.maxLength)
      errs.push(`prefix part must be no more than ${DNS1123_SUBDOMAIN.maxLength} bytes`);
    if (!DNS1123_SUBDOMAIN.matches(prefix))
      errs.push(`prefix part ${regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN.fmt, 'example.com')}`);
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > QUALIFIED_NAME.maxLength) errs.push(`name part must be no more than ${QUALIFIED_NAME.maxLength} bytes`);
  if (!QUALIFIED_NAME.matches(name))
    errs.push(`name part ${regexError(LABEL_KEY_MSG, QUALIFIED_NAME.fmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** A label value: the server's messages. The empty string is valid. */
export function apiLabelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE.maxLength) errs.push(`must be no more than ${LABEL_VALUE.maxLength} bytes`);
  if (!LABEL_VALUE.matches(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE.fmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** A port number: 1-65535. */
export function apiPortNumErrors(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** A port name (IANA_SVC_NAME), in the server's order of checks. */
export function apiPortNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (byteLength(name) > PORT_NAME.maxLength) errs.push(`must be no more than ${PORT_NAME.maxLength} characters`);
  if (!PORT_NAME.characters(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME.letter(name)) errs.push('must contain at least one letter (a-z)');
  if (!PORT_NAME.noConsecutiveHyphens(name)) errs.push('must not contain consecutive hyphens');
  if (!PORT_NAME.noEdgeHyphen(name)) errs.push('must not begin or end with a hyphen');
  return errs;
}

/**
 * The API server's detail strings for a CIDR in a legacy field such as `ipBlock.cidr`.
 * Strict (the default of API servers from 1.36, KEP-4858) adds one of: leading zeros,
 * IPv4-mapped IPv6, bits set beyond the prefix. `legacy` (API servers up to 1.35) checks syntax only.
 */
export function apiCidrErrors(value: string, options: { readonly legacy?: boolean } = {}): string[] {
  const net = parseGoCidr(value);
  if (!net) return ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
  const problem = options.legacy ? undefined : strictCidrProblem(net);
  return problem === undefined ? [] : [CIDR_PROBLEM_DETAIL[problem]];
}

const CIDR_PROBLEM_DETAIL: Readonly<Record<StrictCidrProblem, string>> = {
  'leading-zeros': 'must not have leading 0s in IP or prefix length',
  'ipv4-mapped': 'must not have an IPv4-mapped IPv6 address',
  'host-bits': 'must not have bits set beyond the prefix length',
};

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
  return v4 ? v4.join('.') : formatIpv6(ip);
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

function popcount(b: number): number {
  let n = 0;
  for (let x = b; x; x >>= 1) n += x & 1;
  return n;
}
