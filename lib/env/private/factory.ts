/**
 * Hands `Environment`'s private constructor to the loaders, without an import cycle at load
 * time: the class registers it when it is defined.
 */
import type { Environment } from '../environment';
import type { ParsedEnvironment } from '../schema';

let factory: ((parsed: ParsedEnvironment, source: string) => Environment) | undefined;

/** Called once, by the class. */
export function setEnvironmentFactory(f: (parsed: ParsedEnvironment, source: string) => Environment): void {
  factory = f;
}

/** An `Environment` of a checked document. */
export function environmentOf(parsed: ParsedEnvironment, source: string): Environment {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the class, which registers itself, only when first needed
  if (!factory) require('../environment');
  return factory!(parsed, source);
}
