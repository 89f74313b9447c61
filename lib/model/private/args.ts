/**
 * Run-time checks of the arguments of public calls. The declarations say what a call takes, but
 * callers in JavaScript, through `any`, or from other languages are not held to them; a value
 * the library cannot render exactly must be refused, never rendered as something wider (an
 * absent port as "every port", an absent selector as "every pod").
 */
import { describeValue } from '../describe';
import { NetpolError } from '../errors';

export { describeValue };

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
