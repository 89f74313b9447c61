/**
 * `-` as a path: the manifests come from standard input (`kubectl get networkpolicy -A -o yaml |
 * netpol lint -`). Standard input is read once and kept, so that a verb that reads its input
 * twice (the policies and the cluster, or lint's second pass for line numbers) sees the same text.
 */
import * as fs from 'fs';

/** The path that stands for standard input on the command line. */
export const STDIN_PATH = '-';
/** How standard input is named in messages and results. */
export const STDIN_NAME = '<stdin>';

let stdinText: string | undefined;

/** The text of a manifest file, or of standard input for `<stdin>`. */
export function readManifestText(file: string): string {
  if (file !== STDIN_NAME) return fs.readFileSync(file, 'utf8');
  stdinText ??= fs.readFileSync(0, 'utf8');
  return stdinText;
}
