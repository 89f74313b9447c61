import { Issue, NetpolError } from '../../lib/model';

/** Runs `fn` and returns the `NetpolError` it throws; fails the test if it throws nothing or something else. */
export function caught(fn: () => unknown): NetpolError {
  try {
    fn();
  } catch (e) {
    if (NetpolError.isNetpolError(e)) return e;
    throw e;
  }
  throw new Error('expected a NetpolError, but nothing was thrown');
}

/** The issues `fn` throws. */
export function issuesOf(fn: () => unknown): readonly Issue[] {
  return caught(fn).issues;
}
