#!/usr/bin/env node
/**
 * The `netpol` command line. Argument parsing and exit codes only: every verb lives in
 * `bin/commands/<verb>.ts`, which declares its options and loads the library lazily, so that
 * `netpol --help` starts fast.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { COMMANDS } from './commands';

/** The version in the package.json of the installed package (found upwards from this file). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (manifest.name === 'cdk8s-netpol' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not here: look in the folder above
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

export function main(argv: string[]): void {
  // A reader that stops early (`netpol reach ... | head`) is not an error: stop quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const program = new Command('netpol')
    .description('Kubernetes NetworkPolicy tools: analyze reachability, validate and lint policies offline.')
    .version(packageVersion(), '-V, --version', 'print the version of netpol')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander reports usage errors itself; map them to exit code 2 (help and version to 0)
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  for (const define of COMMANDS) define(program);
  program.parse(argv);
}

if (require.main === module) main(process.argv);
