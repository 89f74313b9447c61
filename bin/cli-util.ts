/**
 * Shared plumbing of the CLI verbs: turning errors into one line per problem and an exit code,
 * never a stack trace.
 */
import { NetpolError } from '../lib/model/errors';

/**
 * Exit codes every verb follows: 0 done, 1 findings (invalid, lint findings, a synth stopped by
 * them), 2 usage errors and bad input, 3 the output could not be written (stdout or a file).
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, output: 3 } as const;

/**
 * Runs a verb's body. A `NetpolError` is printed to stderr as one line per issue
 * (`<where>: <path>: <message>`) and exits 2; any other error prints its message and exits 2.
 * The body returns the exit code.
 */
export function runVerb(body: () => number | Promise<number>): Promise<void> {
  return Promise.resolve()
    .then(body)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(
        errorLines(e)
          .map((l) => `netpol: ${l}\n`)
          .join(''),
      );
      process.exitCode = EXIT.usage;
    });
}

/** One line per problem, without a stack trace. */
export function errorLines(e: unknown): string[] {
  if (NetpolError.isNetpolError(e)) {
    return e.issues.map((i) => [e.where, i.path, i.message].filter((s) => s).join(': '));
  }
  if (e instanceof Error) return [e.message];
  return [String(e)];
}
