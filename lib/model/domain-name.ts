/**
 * Domain names as ClusterNetworkPolicy egress peers (`domainNames`): an exact name such as
 * `api.stripe.com`, or `*.` followed by a name, which matches one or more whole labels in front
 * of it (`*.stripe.com` matches `api.stripe.com` and `a.b.stripe.com`, not `stripe.com`).
 *
 * What is valid is the API's own pattern (kubernetes-sigs/network-policy-api,
 * `apis/v1alpha2/clusternetworkpolicy_types.go`, type `DomainName`, and the `pattern` of
 * `domainNames` items in `config/crd/experimental/...clusternetworkpolicies.yaml`): two or more
 * labels, a label being letters, digits, `-` and `_` that starts and ends with a letter or digit,
 * an optional trailing `.`, no length limit. The pattern spells its first character class
 * `[a-zA-z0-9]`, which also admits `[`, `\`, `]`, `^`, `_` and the backtick at the start of a
 * label; the API server accepts those, so this model does too (`_dmarc.example.com` is a real
 * name). Names compare without regard to letter case or a trailing dot, as DNS does (RFC 4343).
 *
 * @see https://network-policy-api.sigs.k8s.io/reference/spec/
 */
import { NetpolError } from './errors';
import { addBrand, hasBrand } from './brand';

const BRAND = Symbol.for('cdk8s-netpol.DomainName');

/**
 * The pattern the CRD gives `domainNames` items, character for character (its `[a-zA-z0-9]`
 * included), so that the model accepts exactly what the API server accepts.
 */
export const DOMAIN_NAME_PATTERN = '^(\\*\\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$';
const PATTERN = new RegExp(DOMAIN_NAME_PATTERN);

/**
 * A domain name peer. Immutable; build with `DomainName.of`.
 *
 * @example
 * DomainName.of('*.stripe.com').matches('api.stripe.com'); // true
 * DomainName.of('*.stripe.com').matches('stripe.com');     // false
 */
export class DomainName {
  /** Brand check that works across copies of the library. */
  public static isDomainName(x: unknown): x is DomainName {
    return hasBrand(x, BRAND);
  }

  /**
   * Checks `text` with the API's rules. Throws `NetpolError` (code `domain.invalid`) saying
   * what is wrong and what to write instead.
   */
  public static of(text: string): DomainName {
    if (typeof text !== 'string') {
      throw NetpolError.ofValue('domain.type', `expected a domain name such as "api.example.com", got ${JSON.stringify(text)}`);
    }
    if (!PATTERN.test(text)) throw NetpolError.ofValue('domain.invalid', `domain name "${text}" is invalid: ${problem(text)}`);
    return new DomainName(text);
  }

  /** The name as written, e.g. `*.stripe.com` or `API.Stripe.com.`. */
  public readonly text: string;
  /** True for a `*.` name, which matches subdomains only. */
  public readonly wildcard: boolean;
  /** The name after `*.`, in lower case, without a trailing dot: `stripe.com`. */
  public readonly base: string;

  private constructor(text: string) {
    this.text = text;
    this.wildcard = text.startsWith('*.');
    this.base = normalize(this.wildcard ? text.slice(2) : text);
    addBrand(this, BRAND);
  }

  /**
   * True if a connection to `host` is one this peer names: the same name for an exact peer, a
   * name with one or more labels before the base for a `*.` peer. Letter case and a trailing
   * dot do not matter.
   */
  public matches(host: string): boolean {
    const h = normalize(host);
    return this.wildcard ? h.length > this.base.length + 1 && h.endsWith(`.${this.base}`) : h === this.base;
  }

  /** True if some host name matches both peers. */
  public overlaps(other: DomainName): boolean {
    if (!this.wildcard && !other.wildcard) return this.base === other.base;
    if (this.wildcard && other.wildcard) return this.matchesOrIs(other.base) || other.matchesOrIs(this.base);
    const exact = this.wildcard ? other : this;
    const wild = this.wildcard ? this : other;
    return wild.matches(exact.base);
  }

  /** True if `name` is the base of this peer or matched by it. */
  private matchesOrIs(name: string): boolean {
    return name === this.base || this.matches(name);
  }

  /** True for the same name, letter case and trailing dot aside. */
  public isSameName(other: DomainName): boolean {
    return this.wildcard === other.wildcard && this.base === other.base;
  }

  /** A canonical string for sorting and de-duplication: `*.stripe.com`, `api.stripe.com`. */
  public get key(): string {
    return this.wildcard ? `*.${this.base}` : this.base;
  }

  /** The name as written. */
  public toString(): string {
    return this.text;
  }

  /** Orders names by their canonical form. */
  public static compare(a: DomainName, b: DomainName): number {
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  }
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Why `text` does not match the pattern, in the user's terms. */
function problem(text: string): string {
  const example = 'e.g. "api.example.com", or "*.example.com" for its subdomains';
  if (text === '') return `a domain name cannot be empty; ${example}`;
  if (/^https?:\/\//i.test(text) || text.includes('/') || text.includes(':')) {
    return `write the host name only, without scheme, port or path (${example})`;
  }
  const rest = text.startsWith('*.') ? text.slice(2) : text;
  if (rest.includes('*')) {
    return `"*" may only be the whole first label, followed by "." ("*.example.com"); it matches one or more whole labels, never part of one`;
  }
  const labels = rest.replace(/\.$/, '').split('.');
  if (labels.length < 2) return `a domain name needs at least two labels separated by "." (${example})`;
  if (labels.some((l) => l === '')) return `a domain name cannot have an empty label (two dots in a row, or a leading dot)`;
  return `each label must consist of letters, digits, '-' and '_', and start and end with a letter or digit (${example})`;
}
