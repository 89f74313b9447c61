/**
 * `-` as a path: the manifests come from standard input (`kubectl get networkpolicy -A -o yaml |
 * netpol lint -`). Standard input is read once and kept, so that a verb that reads its input
 * twice (the policies and the cluster, or lint's second pass for line numbers) sees the same text.
 */
import * as fs from 'fs';
import { NetpolError } from '../model/errors';
import { mib } from './private/limits';

/** The path that stands for standard input on the command line. */
export const STDIN_PATH = '-';
/** How standard input is named in messages and results. */
export const STDIN_NAME = '<stdin>';

let stdinText: string | undefined;

/** Standard input, read to its end once, refused past `maxBytes` (it is not read further). */
export function readStdinText(maxBytes: number): string {
  if (stdinText !== undefined) {
    if (Buffer.byteLength(stdinText, 'utf8') > maxBytes) throw tooLarge(maxBytes);
    return stdinText;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, chunk, 0, chunk.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // a non-blocking pipe with nothing in it yet: wait a moment instead of spinning
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw NetpolError.about(STDIN_NAME, 'io.read', `cannot be read (${code ?? String(e)})`);
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  stdinText = Buffer.concat(chunks, total).toString('utf8');
  return stdinText;
}

/** The text of a manifest file, or of standard input for `<stdin>` (as read before). */
export function readManifestText(file: string): string {
  if (file !== STDIN_NAME) return fs.readFileSync(file, 'utf8');
  return stdinText ?? readStdinText(Number.MAX_SAFE_INTEGER);
}

function tooLarge(maxBytes: number): NetpolError {
  return NetpolError.about(
    STDIN_NAME,
    'io.too-large',
    `is larger than ${mib(maxBytes)}, the most an input may hold; save it to files and give those`,
  );
}
