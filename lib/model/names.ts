/**
 * Name and label syntax, as the Kubernetes API server checks it
 * (k8s.io/apimachinery/pkg/util/validation). Each check returns the list of reasons a value
 * is invalid (empty when valid), so that callers can report all of them. The rules themselves
 * (patterns, length limits) live in `private/name-syntax.ts`, shared with `apivalidation.ts`,
 * which words the same answers as the API server does; these messages are ours.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */

import { DNS1123_LABEL, DNS1123_SUBDOMAIN, LABEL_VALUE, PORT_NAME, QUALIFIED_NAME, splitQualifiedName } from './private/name-syntax';

/** A DNS-1123 label (namespace names, port names' outer form): at most 63 characters. */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL.maxLength) errs.push(`must be no more than ${DNS1123_LABEL.maxLength} characters`);
  if (!DNS1123_LABEL.matches(value)) {
    errs.push(
      "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')",
    );
  }
  return errs;
}

/** A DNS-1123 subdomain (object names such as a NetworkPolicy's): at most 253 characters. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN.maxLength) errs.push(`must be no more than ${DNS1123_SUBDOMAIN.maxLength} characters`);
  if (!DNS1123_SUBDOMAIN.matches(value)) {
    errs.push(
      "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return errs;
}

/** A label key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
export function labelKeyErrors(key: string): string[] {
  const parts = splitQualifiedName(key);
  if (!parts) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end " +
        "with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const { prefix, name } = parts;
  const errs: string[] = [];
  if (prefix?.length === 0) errs.push('prefix part must be non-empty');
  else if (prefix !== undefined) errs.push(...dns1123SubdomainErrors(prefix).map((e) => `prefix part ${e}`));
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME.maxLength) errs.push(`name part must be no more than ${QUALIFIED_NAME.maxLength} characters`);
  if (name.length > 0 && !QUALIFIED_NAME.matches(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
        "alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')",
    );
  }
  return errs;
}

/** A label value: empty, or at most 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE.maxLength) errs.push(`must be no more than ${LABEL_VALUE.maxLength} characters`);
  if (!LABEL_VALUE.matches(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and " +
        "must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')",
    );
  }
  return errs;
}

/**
 * A port name (IANA_SVC_NAME): 1-15 lower-case alphanumerics or `-`, at least one letter,
 * no leading, trailing or doubled `-`.
 */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > PORT_NAME.maxLength) errs.push(`must be no more than ${PORT_NAME.maxLength} characters`);
  if (!PORT_NAME.characters(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!PORT_NAME.noConsecutiveHyphens(name)) errs.push('must not contain consecutive hyphens');
  if (!PORT_NAME.letter(name)) errs.push('must contain at least one letter (a-z)');
  if (!PORT_NAME.noEdgeHyphen(name)) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Turns a construct id or free text into a DNS-1123 label (`WebTier` → `web-tier`), or undefined if nothing is left. */
export function toDnsLabel(id: string): string | undefined {
  const s = id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, DNS1123_LABEL.maxLength)
    .replace(/-+$/, '');
  return s.length > 0 ? s : undefined;
}
