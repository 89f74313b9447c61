/**
 * Runs `netpol` invocations one after another in this process and prints, as JSON, what each
 * wrote and its exit code: the hostile-input tests run every verb on every input class without
 * starting a process for each. Usage: `node --import tsx test/hostile/run-verbs.ts '<json [[args...], ...]>'`.
 */
import { Command } from 'commander';
import { COMMANDS } from '../../bin/commands';

interface Result {
  readonly args: string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

async function run(args: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  const start = Date.now();
  let code: number;
  try {
    const program = new Command('netpol').exitOverride();
    for (const define of COMMANDS) define(program);
    await program.parseAsync(['node', 'netpol', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    stderr += `uncaught: ${(e as Error).stack ?? String(e)}\n`;
    code = -1;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { args, code, stdout, stderr, ms: Date.now() - start };
}

async function main(): Promise<void> {
  const invocations = JSON.parse(process.argv[2]) as string[][];
  const results: Result[] = [];
  for (const args of invocations) results.push(await run(args));
  process.exitCode = 0;
  process.stdout.write(JSON.stringify(results));
}

void main();
