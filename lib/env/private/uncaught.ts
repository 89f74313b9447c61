/**
 * One line per problem, also when nobody catches the error. A project's own script
 * (`node main.js`, `npx ts-node main.ts`, the `app:` of cdk8s.yaml) that calls
 * `Environment.load` or `synthEnvironments` without a try/catch would otherwise die with Node's
 * report of an uncaught exception: the throwing line of this library, a stack trace, and a dump
 * of the error's fields. After the first `NetpolError` leaves a public entry point, an
 * uncaught `NetpolError` is printed as `error: <file>: <key path>: <message>` lines and the
 * process exits 1; any other uncaught error is printed as Node prints it.
 */
import { inspect } from 'util';
import { NetpolError } from '../../model/errors';

let armed = false;

/** Runs `fn`; when it throws a `NetpolError`, arranges for it to be printed in one line per problem if uncaught. */
export function oneLineWhenUncaught<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (NetpolError.isNetpolError(e)) arm();
    throw e;
  }
}

/**
 * The lines `netpol` prints for an error: `<where>: <path>: <message>`, one per problem, with
 * control characters (a newline, an ESC sequence from a value in a file) spelled out.
 */
export function problemLines(e: NetpolError): string[] {
  return e.issues.map((i) =>
    [e.where, i.path, i.message]
      .filter((s) => s)
      .join(': ')
      // eslint-disable-next-line no-control-regex -- control characters are what it escapes
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

/** Node's listener that the `domain` module adds: it clears the domain stack and handles nothing. */
function isNodeDomainListener(l: (...args: never[]) => unknown): boolean {
  return l.name === 'domainUncaughtExceptionClear';
}

function arm(): void {
  if (armed || typeof process?.on !== 'function') return;
  armed = true;
  const onUncaught = (e: unknown): void => {
    // Another listener (a test runner, the application's own) takes care of it. Node's own
    // listener of the `domain` module (loaded by ts-node, which cdk8s.yaml runs) handles
    // nothing: with only that one, returning here would end the process with exit code 0.
    if (process.listeners('uncaughtException').some((l) => l !== onUncaught && !isNodeDomainListener(l))) return;
    if (NetpolError.isNetpolError(e)) {
      process.stderr.write(
        problemLines(e)
          .map((l) => `error: ${l}\n`)
          .join(''),
      );
    } else {
      process.stderr.write(`${inspect(e)}\n`);
    }
    process.exit(1);
  };
  process.on('uncaughtException', onUncaught);
}
