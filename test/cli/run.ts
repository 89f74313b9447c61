/** Running `netpol` in a child process, as a user runs it: the one helper of the CLI tests. */
import { spawnSync, StdioOptions } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';

/** The repository root, where `netpol` is run from unless a test says otherwise. */
export const ROOT = path.resolve(__dirname, '../..');

/** The netpol entry point, run through tsx. */
export const NETPOL = path.join(ROOT, 'bin/netpol.ts');

/** tsx's loader by its file URL, for a run in a folder without node_modules. */
export const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/** The result of one run: exit code and output. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and how to run. */
export interface RunOptions {
  /** The working folder. @default the repository root */
  readonly cwd?: string;
  /** Standard input. @default nothing */
  readonly input?: string;
  /** The environment. @default this process's */
  readonly env?: NodeJS.ProcessEnv;
  /** The standard streams. @default pipes */
  readonly stdio?: StdioOptions;
}

/** Runs `netpol <args>` from the repository root. */
export function netpol(...args: string[]): Run {
  return netpolWith({}, ...args);
}

/** Runs `netpol <args>` with `options`. */
export function netpolWith(options: RunOptions, ...args: string[]): Run {
  return node(options, NETPOL, ...args);
}

/** Runs a TypeScript or JavaScript file of the repository through tsx, with `options`. */
export function node(options: RunOptions, ...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', TSX, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    input: options.input,
    stdio: options.stdio,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
