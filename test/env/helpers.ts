import * as path from 'path';
import { NetpolError } from '../../lib/model/errors';

/** Path of a fixture file, relative to the repository root (the way users pass paths). */
export function fixture(name: string): string {
  return path.join('test', 'env', 'fixtures', name);
}

/**
 * Runs `fn`, which must throw a `NetpolError`, and returns its problems the way the CLI prints
 * them: `<where>: <path>: <message>`, one per issue.
 */
export function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    return e.issues.map((i) => [e.where, i.path, i.message].filter((s) => s).join(': '));
  }
  throw new Error('expected a NetpolError, but nothing was thrown');
}

/** The codes of the issues `fn` throws. */
export function codes(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    return e.issues.map((i) => i.code);
  }
  throw new Error('expected a NetpolError, but nothing was thrown');
}
