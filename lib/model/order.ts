/**
 * The one string order of the project: by Unicode code point, which for well-formed text is the
 * order of the UTF-8 bytes, Go's string order (kubectl, the API server and np-guard sort so).
 * It never depends on the locale, so every output is the same on every machine.
 */

/** Compares by code point (UTF-8 byte order): negative, zero or positive, as `sort` takes it. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (0xd800-0xdfff) begins a code point above 0xffff: after every other unit.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}
