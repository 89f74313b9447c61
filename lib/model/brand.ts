/**
 * Brands: how `Peer.isPeer(x)`, `NetpolError.isNetpolError(x)` and the like recognise an instance
 * made by another copy of the library (two versions in one node_modules), where `instanceof`
 * fails. Each class marks its instances with a symbol of the global registry,
 * `Symbol.for('cdk8s-netpol.<Class>')`.
 */

/** True if `x` is an object marked with `brand`. */
export function hasBrand(x: unknown, brand: symbol): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[brand] === true;
}

/** Marks `target` with `brand`: a property that is not enumerable, not writable, and not copied by a spread. */
export function addBrand(target: object, brand: symbol): void {
  Object.defineProperty(target, brand, { value: true });
}
