/**
 * Run-time checks of the arguments of public calls. The declarations say what a call takes, but
 * callers in JavaScript, through `any`, or from other languages are not held to them; a value
 * the library cannot render exactly must be refused, never rendered as something wider (an
 * absent port as "every port", an absent selector as "every pod").
 */
import { NetpolError } from '../errors';

/** A short, printable description of any value, for messages: `undefined`, `80n`, `"x"`, `an object`. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `the BigInt ${value}n`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'string': {
      const text = value.length > 60 ? `${value.slice(0, 60)}…` : value;
      return `the string ${JSON.stringify(text)}`;
    }
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return 'an array';
      return isPlainObject(value) ? 'an object' : `an instance of ${(value as object).constructor?.name || 'a class'}`;
  }
}

/** True for `{...}` literals and `Object.create(null)` objects: label maps, props. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Throws the one-line refusal of an argument: `Port.tcp: port: expected …, got undefined` for
 * a value factory, `<construct path>: allowFrom: ports[0]: expected …, got the number 443` for
 * a construct (`where`).
 */
export function refuse(call: string, field: string, expected: string, value: unknown, where?: string): never {
  const got = `expected ${expected}, got ${describeValue(value)}`;
  if (where !== undefined) throw new NetpolError([{ code: 'argument', path: '', message: `${call}: ${field}: ${got}` }], where);
  throw new NetpolError([{ code: 'argument', path: field, message: got }], call);
}

/** Props of a construct or options of a call: a plain object, or undefined when optional. */
export function checkProps(call: string, value: unknown, optional: boolean, where?: string): Record<string, unknown> {
  if (value === undefined && optional) return {};
  if (!isPlainObject(value) && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    refuse(call, 'props', optional ? 'an object of properties, or nothing' : 'an object of properties', value, where);
  }
  return value as Record<string, unknown>;
}
