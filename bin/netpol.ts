#!/usr/bin/env node
/**
 * The `netpol` command line. Argument parsing and exit codes only: every verb lives in
 * `bin/commands/<verb>.ts`, which declares its options and loads the library lazily, so that
 * `netpol --help` starts fast.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { EXIT } from './cli-util';
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
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // A reader that stops early (`netpol reach ... | head`) is not an error: stop quietly.
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // Output that cannot be written (a full disk, /dev/full) is neither "invalid" nor a usage error.
    const { describeErrno } = require('../lib/render/output-folder') as typeof import('../lib/render/output-folder');
    process.stderr.write(`netpol: cannot write the output to stdout: ${describeErrno(e)}\n`);
    process.exit(EXIT.output);
  });
  const program = new Command('netpol')
    .description('Kubernetes NetworkPolicy tools: analyze reachability, validate and lint policies offline.')
    .version(packageVersion(), '-V, --version', 'print the version of netpol')
    .showHelpAfterError()
    // commander throws instead of exiting, so that output still being written can fail and say so
    .exitOverride();
  for (const define of COMMANDS) define(program);
  try {
    program.parse(argv);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // commander has printed the usage error, the help or the version; help and version exit 0
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
}

if (require.main === module) main(process.argv);
