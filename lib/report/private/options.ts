/**
 * Checks of report options (formats, levels of detail, limits), each throwing one `NetpolError`
 * whose issue path names the option, so that every report refuses a bad option in the same words.
 */
import { NetpolError } from '../../model/errors';

/**
 * Returns `value` when it is one of `allowed`; otherwise throws `<what> "<value>" is not known;
 * use <allowed>` at `field`.
 */
export function oneOf<T extends string>(code: string, field: string, what: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw NetpolError.of(code, field, `${what} "${String(value)}" is not known; use ${allowed.join(', ')}`);
  }
  return value;
}

/**
 * Returns `value` when it is a whole number, 0 or more; otherwise throws `<what> must be a whole
 * number, 0 or more, not <value>` at `field`.
 */
export function wholeNumber(code: string, field: string, what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw NetpolError.of(code, field, `${what} must be a whole number, 0 or more, not ${value}`);
  }
  return value;
}
