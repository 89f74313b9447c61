/**
 * Shared plumbing of the CLI verbs: turning errors into one line per problem and an exit code,
 * never a stack trace.
 */
import { NetpolError } from '../lib/model/errors';
import { messageLine } from '../lib/report/escape';

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
  printWarning(`${n} not part of the ${what}, which covers NetworkPolicies only`);
}

/**
 * One line per problem, without a stack trace, each shortened and with control characters
 * spelled out (`messageLine`): a message that quotes a hostile or huge value stays one short line.
 */
export function errorLines(e: unknown): string[] {
  if (NetpolError.isNetpolError(e)) {
    return e.issues.map((i) => messageLine([e.where, i.path, i.message].filter((s) => s).join(': ')));
  }
  if (e instanceof Error) return e.message.split('\n').map(messageLine);
  return [messageLine(String(e))];
}

/** Prints a warning of the library as one `netpol: warning: ...` line on stderr (see `errorLines`). */
export function printWarning(message: string): void {
  process.stderr.write(`netpol: warning: ${messageLine(message)}\n`);
}
