/**
 * The syntax of Kubernetes names, label keys and values, and port names, once: the patterns and
 * length limits of k8s.io/apimachinery/pkg/util/validation. `names.ts` (our messages) and
 * `apivalidation.ts` (the API server's messages) both test values with these, so they cannot
 * disagree on what is valid.
 */

/** A pattern (written as the server prints it in its messages) and a length limit. */
export interface SyntaxRule {
  readonly fmt: string;
  readonly maxLength: number;
  /** True if the whole value matches the pattern (its length is not checked). */
  matches(value: string): boolean;
}

function syntaxRule(fmt: string, maxLength: number): SyntaxRule {
  const re = new RegExp(`^${fmt}$`);
  return { fmt, maxLength, matches: (value) => re.test(value) };
}

/** A DNS-1123 label: namespace names. */
export const DNS1123_LABEL = syntaxRule('[a-z0-9]([-a-z0-9]*[a-z0-9])?', 63);
/** A DNS-1123 subdomain: object names, and the prefix of a qualified name. */
export const DNS1123_SUBDOMAIN = syntaxRule(`${DNS1123_LABEL.fmt}(\\.${DNS1123_LABEL.fmt})*`, 253);
/** The name part of a qualified name (a label key without its prefix). */
export const QUALIFIED_NAME = syntaxRule('([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]', 63);
/** A label value: empty, or what a qualified name's name part may be. */
export const LABEL_VALUE = syntaxRule(`(${QUALIFIED_NAME.fmt})?`, 63);

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

/** A port name (IANA_SVC_NAME): its length limit, and its character rules, each true when kept. */
export const PORT_NAME = {
  maxLength: 15,
  /** Only `a-z`, `0-9` and `-`, and at least one of them. */
  characters: (name: string): boolean => /^[-a-z0-9]+$/.test(name),
  /** At least one letter. */
  letter: (name: string): boolean => /[a-z]/.test(name),
  /** No `--`. */
  noConsecutiveHyphens: (name: string): boolean => !name.includes('--'),
  /** No `-` at either end. */
  noEdgeHyphen: (name: string): boolean => !name.startsWith('-') && !name.endsWith('-'),
} as const;
