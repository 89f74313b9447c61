/**
 * Collects validation issues, worded the way the API server words them: `Invalid value: <v>:
 * <detail>`, `Required value`, `Forbidden: <detail>`, `Unsupported value: <v>: supported
 * values: ...` (apimachinery `util/validation/field` ErrorBody), with values printed as Go's
 * `%q` / `%v` would print them.
 */
import type { ValidationIssue } from '../issue';

/** Go's `strconv.Quote`: double quotes, backslash escapes for what is not printable. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp > 0x7f && PRINTABLE.test(ch)) out += ch;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/** Go's `%#v` of a `[]T` of strings, e.g. `[]networking.PolicyType{"Ingress", "Egress"}`. */
export function goStringSlice(type: string, values: readonly string[]): string {
  return `[]${type}{${values.map(goQuote).join(', ')}}`;
}

/** Issues of one object, in the order they were found. */
export class Report {
  public readonly issues: ValidationIssue[] = [];

  /** Adds an issue; `hint` (our advice, not the server's words) only when given. */
  public add(code: string, path: string, message: string, hint?: string): void {
    this.issues.push(hint ? { code, path, message, hint } : { code, path, message });
  }

  /** `field.Invalid`: `Invalid value: <value>: <detail>`; `value` is already formatted. */
  public invalid(path: string, value: string, detail: string, hint?: string): void {
    this.add('field.invalid', path, `Invalid value: ${value}: ${detail}`, hint);
  }

  /** `field.Required`: `Required value` or `Required value: <detail>`. */
  public required(path: string, detail: string, hint?: string): void {
    this.add('field.required', path, detail ? `Required value: ${detail}` : 'Required value', hint);
  }

  /** `field.Forbidden`: `Forbidden: <detail>`. */
  public forbidden(path: string, detail: string, hint?: string): void {
    this.add('field.forbidden', path, `Forbidden: ${detail}`, hint);
  }

  /** `field.NotSupported`: `Unsupported value: <value>: supported values: "A", "B"`. */
  public notSupported(path: string, value: string, supported: readonly string[], hint?: string): void {
    this.add('field.not-supported', path, `Unsupported value: ${value}: supported values: ${supported.map(goQuote).join(', ')}`, hint);
  }

  /** `field.TooLong` without a value: `Too long: must have at most <n> bytes`. */
  public tooLong(path: string, max: number): void {
    this.add('field.too-long', path, `Too long: must have at most ${max} bytes`);
  }
}

/** A child field path: `spec` + `ingress` = `spec.ingress`. */
export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** A list index path: `spec.ingress` + 0 = `spec.ingress[0]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
