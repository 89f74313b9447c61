/**
 * How messages show a value that is not what was expected: its kind and a short form of it
 * (`the number 42`, `the string "x"`, `a list of 3 entries`), never its whole content. One
 * vocabulary for values that code passed (arrays, objects, instances of classes) and one for
 * values read from YAML or JSON (lists, maps, `null`, nothing at all).
 */

/** How `describeValue` shows a value. */
export interface DescribeOptions {
  /**
   * The value was read from YAML or JSON (a manifest, an environment file), and is named in
   * their words: `nothing` (absent), `null`, `a list of 2 entries`, `a map`, `the boolean true`.
   * @default false - a value that code passed: `undefined`, `an array`, `an object`, `an instance of Date`, `true`
   */
  readonly data?: boolean;
  /**
   * How a string is quoted.
   * @default JSON.stringify
   */
  readonly quote?: (text: string) => string;
}

/** The longest string shown whole; a longer one is cut there and ends in `…`. */
const MAX_STRING = 60;

/** A short, printable description of any value, for messages: `undefined`, `the BigInt 80n`, `the string "x"`, `an object`. */
export function describeValue(value: unknown, options: DescribeOptions = {}): string {
  const data = options.data === true;
  switch (typeof value) {
    case 'undefined':
      return data ? 'nothing' : 'undefined';
    case 'bigint':
      return `the BigInt ${value}n`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return data ? `the boolean ${value}` : `${value}`;
    case 'string': {
      const text = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
      return `the string ${(options.quote ?? JSON.stringify)(text)}`;
    }
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return data ? listOf(value.length) : 'an array';
      if (data) return 'a map';
      return isPlain(value as object) ? 'an object' : `an instance of ${(value as object).constructor?.name || 'a class'}`;
  }
}

function listOf(n: number): string {
  return n === 0 ? 'an empty list' : `a list of ${n} ${n === 1 ? 'entry' : 'entries'}`;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
