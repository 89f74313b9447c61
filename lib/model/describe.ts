/**
 * How messages show a value that code passed where another was expected: its kind and a short
 * form of it (`the number 42`, `the string "x"`, `an array`, `an instance of Date`), never its
 * whole content.
 */

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
      return isPlain(value as object) ? 'an object' : `an instance of ${(value as object).constructor?.name || 'a class'}`;
  }
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
