/**
 * The main job: synthesizes every example for every environment in examples/environments/
 * (or the environment files given as arguments) into dist/<env>/. All or nothing: on any error
 * it prints one line per problem, exits 1 and leaves dist/ as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { constructModel, Environment, NetpolError, SynthFinding, synthEnvironments } from '../lib';
import { lint } from '../lib/check/lint';
import { buildExamples } from './index';

/** `netpol lint` over the App's policies, as the cdk8s validation plugin runs it on the output. */
function lintApp(app: App): SynthFinding[] {
  return lint(constructModel(app).policies)
    .filter((f) => !f.suppression)
    .map((f) => ({ severity: f.severity, message: `${f.object.kind === 'Namespace' ? f.object.name : `${f.object.namespace}/${f.object.name}`}${f.path ? ` ${f.path}` : ''}: ${f.ruleId} ${f.severity}: ${f.message} Fix: ${f.fix}` }));
}

function main(args: string[]): number {
  const dir = path.join(__dirname, 'environments');
  const files = args.length > 0 ? args : fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.relative(process.cwd(), path.join(dir, f)));
  const problems: string[] = [];
  const environments: Environment<any>[] = [];
  for (const file of files) {
    try {
      environments.push(Environment.load(file));
    } catch (e) {
      problems.push(...describe(e));
    }
  }
  if (problems.length === 0) {
    try {
      const result = synthEnvironments(environments, buildExamples, { check: lintApp });
      process.stderr.write(result.findings.map((f) => `${f.severity}: ${f.message}\n`).join(''));
      process.stdout.write(`synthesized ${result.files.length} files for ${environments.map((e) => e.name).join(', ')}; netpol lint: ${result.findings.length === 0 ? 'no findings' : `${result.findings.length} findings below error`}\n`);
      return 0;
    } catch (e) {
      problems.push(...describe(e));
    }
  }
  process.stderr.write(problems.map((p) => `error: ${p}\n`).join(''));
  process.stderr.write(`synth failed with ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written\n`);
  return 1;
}

function describe(e: unknown): string[] {
  if (NetpolError.isNetpolError(e)) return e.issues.map((i) => [e.where, i.path, i.message].filter((s) => s).join(': '));
  throw e;
}

process.exitCode = main(process.argv.slice(2));
