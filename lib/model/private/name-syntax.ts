/**
 * The syntax of Kubernetes names, label keys and values, and port names, once: the patterns and
 * length limits of k8s.io/apimachinery/pkg/util/validation. `names.ts` (our messages) and
 * `apivalidation.ts` (the API server's messages) both test values with these, so they cannot
 * disagree on what is valid.
 */

/** The DNS-1123 label pattern, as the server prints it in its messages. */
export const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** The DNS-1123 subdomain pattern: labels joined by dots. */
export const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
/** The pattern of a qualified name's name part (a label key without its prefix). */
export const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
/** The pattern of a label value: empty, or a qualified name's name part. */
export const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;

/** At most 63 for a DNS-1123 label. */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** At most 253 for a DNS-1123 subdomain (also a qualified name's prefix). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** At most 63 for a qualified name's name part. */
export const QUALIFIED_NAME_MAX_LENGTH = 63;
/** At most 63 for a label value. */
export const LABEL_VALUE_MAX_LENGTH = 63;
/** At most 15 for a port name (IANA_SVC_NAME). */
export const PORT_NAME_MAX_LENGTH = 15;

const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** True if the characters make a DNS-1123 label (length not checked). */
export function matchesDns1123Label(value: string): boolean {
  return DNS1123_LABEL.test(value);
}

/** True if the characters make a DNS-1123 subdomain (length not checked). */
export function matchesDns1123Subdomain(value: string): boolean {
  return DNS1123_SUBDOMAIN.test(value);
}

/** True if the characters make a qualified name's name part (length not checked). */
export function matchesQualifiedName(value: string): boolean {
  return QUALIFIED_NAME.test(value);
}

/** True if the characters make a label value (length not checked). */
export function matchesLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value);
}

/**
 * A qualified name split at its `/`: the optional prefix and the name part; undefined if it
 * has more than one `/`.
 */
export function splitQualifiedName(value: string): { readonly prefix?: string; readonly name: string } | undefined {
  const parts = value.split('/');
  if (parts.length === 1) return { name: parts[0] };
  if (parts.length === 2) return { prefix: parts[0], name: parts[1] };
  return undefined;
}

/** The character rules of a port name (IANA_SVC_NAME) beyond its length, each true when kept. */
export const PORT_NAME_RULES = {
  /** Only `a-z`, `0-9` and `-`, and at least one of them. */
  characters: (name: string): boolean => /^[-a-z0-9]+$/.test(name),
  /** At least one letter. */
  letter: (name: string): boolean => /[a-z]/.test(name),
  /** No `--`. */
  noConsecutiveHyphens: (name: string): boolean => !name.includes('--'),
  /** No `-` at either end. */
  noEdgeHyphen: (name: string): boolean => !name.startsWith('-') && !name.endsWith('-'),
} as const;
