/**
 * Shared plumbing of the CLI verbs: turning errors into one line per problem and an exit code,
 * never a stack trace.
 */
import { NetpolError } from '../lib/model/errors';

/** Exit codes every verb follows. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

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

/**
 * Says on stderr that ClusterNetworkPolicies were read but are not part of an answer, which then
 * covers NetworkPolicies only; nothing when there are none.
 */
export function warnClusterPoliciesNotAnalysed(count: number, what: string): void {
  if (count === 0) return;
  const n = count === 1 ? '1 ClusterNetworkPolicy is' : `${count} ClusterNetworkPolicies are`;
  process.stderr.write(`netpol: warning: ${n} not part of the ${what}, which covers NetworkPolicies only\n`);
}

/** One line per problem, without a stack trace. */
export function errorLines(e: unknown): string[] {
  if (NetpolError.isNetpolError(e)) {
    return e.issues.map((i) => [e.where, i.path, i.message].filter((s) => s).join(': '));
  }
  if (e instanceof Error) return [e.message];
  return [String(e)];
}
