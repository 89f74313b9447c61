/**
 * `netpol synth <app> [environment...]`: the main job of a cdk8s-netpol project. Loads every
 * environment file, builds one cdk8s App per environment with the app module's `build(app,
 * env)`, lints the policies in memory, and writes `<outdir>/<env>/<chart>.k8s.yaml` plus a
 * kustomization, all or nothing. Exit 0 when written; 1 when the parameters, the constructs or
 * the lint threshold stop it (nothing written); 2 on usage errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Option } from 'commander';
import type { DefineCommand } from './index';
import { errorLines, EXIT, runVerb } from '../cli-util';

interface SynthFlags {
  readonly outdir?: string;
  readonly failOn: 'error' | 'warning' | 'info' | 'never';
  readonly lint: boolean;
  readonly kustomization: boolean;
}

/** Declares the `synth` verb. */
export const defineSynth: DefineCommand = (program) => {
  program
    .command('synth')
    .description('synthesize a cdk8s app once per environment into <outdir>/<env>/, linted, all or nothing')
    .argument('<app>', 'a module exporting build(app, env) (or a default function): .js, or .ts when tsx is installed')
    .argument('[environments...]', 'environment files, or folders of them', ['environments'])
    .option('--outdir <dir>', 'output folder (default: $CDK8S_OUTDIR, or dist)')
    .addOption(
      new Option('--fail-on <severity>', 'lint findings at or above this severity stop the synth')
        .choices(['error', 'warning', 'info', 'never'])
        .default('error'),
    )
    .option('--no-lint', 'do not lint the policies')
    .option('--no-kustomization', 'do not write kustomization.yaml')
    .action((app: string, environments: string[], flags: SynthFlags) =>
      runVerb(() => {
        const build = loadBuild(app);
        const lib = require('../../lib/api/synth') as typeof import('../../lib/api/synth');
        // findings at or above --fail-on stop the synth (synthEnvironments stops on 'error');
        // lint and the analysis it runs are loaded only when the policies are linted
        const check = (a: import('cdk8s').App) => {
          const lint = {
            ...(require('../../lib/check/lint/app') as typeof import('../../lib/check/lint/app')),
            ...(require('../../lib/check/lint/finding') as typeof import('../../lib/check/lint/finding')),
          };
          return lint.lintApp(a).map((f) => ({
            ...f,
            severity: lint.atOrAbove(f.severity, flags.failOn)
              ? ('error' as const)
              : f.severity === 'error'
                ? ('warning' as const)
                : f.severity,
          }));
        };
        try {
          const envs = lib.loadEnvironments(environments);
          const result = lib.synthEnvironments(envs, build, {
            outdir: flags.outdir,
            kustomization: flags.kustomization,
            check: flags.lint ? check : undefined,
          });
          process.stderr.write(result.findings.map((f) => `${f.severity}: ${f.message}\n`).join(''));
          const lintSummary = !flags.lint
            ? 'not linted'
            : result.findings.length === 0
              ? 'no findings'
              : `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} below --fail-on ${flags.failOn}`;
          process.stdout.write(
            `synthesized ${result.files.length} files for ${envs.map((e) => e.name).join(', ')}; netpol lint: ${lintSummary}\n`,
          );
          return EXIT.ok;
        } catch (e) {
          const problems = errorLines(e);
          process.stderr.write(problems.map((p) => `error: ${p}\n`).join(''));
          process.stderr.write(`synth failed with ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written\n`);
          return EXIT.findings;
        }
      }),
    );
};

type Build = (app: import('cdk8s').App, env: import('../../lib').Environment) => void;

/** The app module's build function; TypeScript modules load through tsx when it is installed. */
function loadBuild(app: string): Build {
  const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
  const { describeUserError, userLocation } = require('../../lib/render/user-error') as typeof import('../../lib/render/user-error');
  const file = path.resolve(app);
  if (!fs.existsSync(file)) {
    throw NetpolError.of('synth.app', '<app>', `${app}: no such file; give the module that exports build(app, env), e.g. main.js`);
  }
  let mod: Record<string, unknown>;
  const limit = Error.stackTraceLimit;
  try {
    // enough frames to get past the module loaders to the app's own line
    Error.stackTraceLimit = 100;
    mod = loadModule(file);
  } catch (e) {
    if (NetpolError.isNetpolError(e)) throw e;
    const err = e as NodeJS.ErrnoException & { requireStack?: string[] };
    const missing = /^Cannot find (?:module|package) '([^']+)'/.exec(String(err.message))?.[1];
    if ((err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND') && missing !== undefined) {
      const where = userLocation(e) ?? (err.requireStack?.[0] ? path.relative(process.cwd(), err.requireStack[0]) : app);
      const relative = missing.startsWith('.') || path.isAbsolute(missing);
      const pkg = missing.startsWith('@') ? missing.split('/').slice(0, 2).join('/') : missing.split('/')[0];
      const fix = relative
        ? 'does not exist; check the path'
        : `is not installed where it looks; install it in the project (npm install ${pkg}), or run netpol from the project's folder`;
      throw NetpolError.of('synth.app', '<app>', `${app} cannot be loaded: ${where} imports "${missing}", which ${fix}`);
    }
    throw NetpolError.of('synth.app', '<app>', `${app} failed while loading: ${describeUserError(e)}`);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const build = typeof mod.build === 'function' ? mod.build : typeof mod.default === 'function' ? mod.default : undefined;
  if (!build) {
    const names = Object.keys(mod);
    throw NetpolError.of(
      'synth.app',
      '<app>',
      `${app} exports no build function; export \`build(app, env)\` (or a default function) that adds the ` +
        `charts of one environment to the App${names.length > 0 ? ` (it exports ${names.join(', ')})` : ''}`,
    );
  }
  return build as Build;
}

function loadModule(file: string): Record<string, unknown> {
  const typescript = /\.[cm]?ts$/.test(file);
  if (typescript && !require.extensions['.ts']) {
    let tsx: { require: (id: string, from: string) => unknown };
    try {
      tsx = require(require.resolve('tsx/cjs/api', { paths: [process.cwd(), __dirname] }));
    } catch {
      const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
      throw NetpolError.of(
        'synth.app',
        '<app>',
        `${path.relative(process.cwd(), file)} is TypeScript; install tsx (npm install --save-dev tsx) to ` +
          `synthesize it directly, or compile it to JavaScript and give the .js file`,
      );
    }
    return tsx.require(file, __filename) as Record<string, unknown>;
  }
  return require(file) as Record<string, unknown>;
}
