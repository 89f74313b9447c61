/**
 * `parseEnvironment`: a plainly valid document is answered by the plain path, without zod;
 * any other, and every document with an extras schema, by the schema (and zod, which checks
 * it and words every problem), loaded on the first such document. Requiring the library, and
 * synthesizing with valid environment files, load no schema library.
 */
import type { ParsedEnvironment, ParseOptions } from '../schema';
import { plainEnvironment } from './plain-environment';

/** Checks an environment document and returns its values (see `schema.ts`). */
export function parseEnvironment(data: unknown, source: string, options?: ParseOptions): ParsedEnvironment {
  const plain = plainEnvironment(data, options);
  if (plain !== undefined) return plain;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the schema (and zod) load with the first document the plain path declines
  return (require('../schema') as typeof import('../schema')).parseEnvironment(data, source, options);
}
