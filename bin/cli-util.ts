/**
 * Shared plumbing of the CLI verbs: turning errors into one line per problem and an exit code,
 * never a stack trace.
 */
import { once } from 'events';
import * as fs from 'fs';
import * as path from 'path';
import { finished } from 'stream/promises';
import { NetpolError } from '../lib/model/errors';
import { messageLine } from '../lib/report/escape';

/**
 * Exit codes every verb follows: 0 done, 1 findings (invalid, lint findings, a synth stopped by
 * them), 2 usage errors and bad input, 3 the output could not be written (stdout or a file).
 */
export const EXIT = { ok: 0, findings: 1, usage: 2, output: 3 } as const;

/**
 * Runs a verb's body. A `NetpolError` is printed to stderr as one line per issue
 * (`<where>: <path>: <message>`) and exits 2; any other error prints its message and exits 2.
 * The body returns the exit code. `flags` names the flag of each library option (`output` is
 * `--output`): an issue of the library about that option, located nowhere else, names the flag.
 */
export function runVerb(body: () => number | Promise<number>, flags: Readonly<Record<string, string>> = {}): Promise<void> {
  return Promise.resolve()
    .then(body)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(
        errorLines(withFlags(e, flags))
          .map((l) => `netpol: ${l}\n`)
          .join(''),
      );
      process.exitCode = NetpolError.isNetpolError(e) && e.code === OUTPUT_ERROR ? EXIT.output : EXIT.usage;
    });
}

const OUTPUT_ERROR = 'cli.output';

/** The flags of the read options that every verb reading manifests has. */
const READ_FLAGS: Readonly<Record<string, string>> = { skipInvalid: '--skip-invalid' };

/**
 * `e` with the flags of `flags` (and `READ_FLAGS`) for the options its issues name: an issue
 * whose path is an option, located nowhere else, gets the flag as its path; an issue that offers
 * an option as a way out (`Issue.option`) names the flag in its message instead.
 */
function withFlags(e: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!NetpolError.isNetpolError(e)) return e;
  const all = { ...READ_FLAGS, ...flags };
  const flag = (p: string | undefined) => (p !== undefined && Object.prototype.hasOwnProperty.call(all, p) ? all[p] : undefined);
  const issues = e.issues.map((i) => {
    const way = flag(i.option);
    // the option is named last in the message, after any file name that could hold the same word
    const at = way === undefined ? -1 : i.message.lastIndexOf(i.option!);
    const message = at < 0 ? i.message : `${i.message.slice(0, at)}${way}${i.message.slice(at + i.option!.length)}`;
    return { ...i, message, path: e.where === undefined ? (flag(i.path) ?? i.path) : i.path };
  });
  return new NetpolError(issues, e.where);
}

/** The help text of `--out-file`, the same for every verb. */
export const OUT_FILE_HELP = 'write the output to this file instead of stdout (replaced as a whole, or left as it was on error)';

/**
 * Writes a verb's output to stdout, or to `outFile` (`--out-file`): to a temporary file beside
 * it, then renamed over it, so that a reader never sees half of it. A failure is one line and
 * exit code 3.
 */
export function emit(text: string, outFile: string | undefined): void {
  if (outFile === undefined || outFile === '-') {
    process.stdout.write(text);
    return;
  }
  const tmp = temporaryPath(outFile);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, outFile);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw outputError(e, outFile);
  }
}

/**
 * `emit` for output written piece by piece: each piece is worked out only when the ones before
 * are on their way (the stream's back-pressure is waited for), so that output of any size takes
 * little memory. With `outFile`, the pieces go to a temporary file beside it that is renamed
 * over it once complete; on any error, including one thrown while working out a piece, the
 * temporary file is removed and `outFile` left as it was. A reader of stdout that goes away
 * (EPIPE, as `| head` does) ends the output quietly.
 */
export async function emitChunks(chunks: Iterable<string>, outFile: string | undefined): Promise<void> {
  if (outFile === undefined || outFile === '-') {
    try {
      await writeChunks(process.stdout, chunks);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
    }
    return;
  }
  const tmp = temporaryPath(outFile);
  let out: fs.WriteStream | undefined;
  try {
    out = fs.createWriteStream(tmp, { highWaterMark: 1 << 20 });
    await once(out, 'open');
    await writeChunks(out, chunks);
    out.end();
    await finished(out);
    fs.renameSync(tmp, outFile);
  } catch (e) {
    // writes still queued fail once the stream is destroyed: their errors are this one's
    out?.on('error', () => undefined).destroy();
    fs.rmSync(tmp, { force: true });
    throw isErrno(e) ? outputError(e, outFile) : e;
  }
}

/**
 * Writes the pieces to `out` in batches of about 64 KiB, asking for the next piece only once
 * `out` takes more (after its `drain` when `write` said to wait). Rejects with `out`'s error.
 */
export async function writeChunks(out: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let failed: unknown;
  const onError = (e: unknown) => {
    failed ??= e;
  };
  out.on('error', onError);
  try {
    let batch = '';
    const flush = async () => {
      const more = out.write(batch);
      batch = '';
      if (!more && failed === undefined) await once(out as NodeJS.EventEmitter, 'drain');
      if (failed !== undefined) throw failed;
    };
    for (const c of chunks) {
      batch += c;
      if (batch.length >= 1 << 16) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    out.off('error', onError);
  }
}

function temporaryPath(outFile: string): string {
  return path.join(path.dirname(outFile), `.${path.basename(outFile)}.${process.pid}.tmp`);
}

function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return (
    typeof e === 'object' && e !== null && !NetpolError.isNetpolError(e) && /^E[A-Z]+$/.test(String((e as NodeJS.ErrnoException).code))
  );
}

/** The one line of a failure to write `outFile`. */
function outputError(e: unknown, outFile: string): NetpolError {
  const { describeErrno } = require('../lib/render/output-folder') as typeof import('../lib/render/output-folder');
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT' ? 'its folder does not exist (ENOENT)' : err.code === 'EISDIR' ? 'it is a folder (EISDIR)' : describeErrno(err);
  return NetpolError.of(OUTPUT_ERROR, '--out-file', `cannot write "${outFile}": ${why}; nothing was written there`);
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
