/**
 * `parseEnvironment`, with the schema (and zod, which checks it) loaded on the first
 * environment parsed: requiring the library, and synthesizing without environments, load no
 * schema library.
 */
import type { ParsedEnvironment, ParseOptions } from '../schema';

/** Checks an environment document and returns its values (see `schema.ts`). */
export function parseEnvironment(data: unknown, source: string, options?: ParseOptions): ParsedEnvironment {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the schema (and zod) load with the first environment
  return (require('../schema') as typeof import('../schema')).parseEnvironment(data, source, options);
}
