/**
 * Synthesizing one App per environment into `dist/<env>/`, all or nothing: every environment
 * is built, validated and rendered in memory first; only when all of them are clean is the new
 * generation written beside the old one and switched to with one atomic rename
 * (`lib/render/output-folder.ts`), so that a failed or killed synth leaves `dist/` as it was.
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { Environment } from '../env';
import { NetpolError, Issue } from '../model/errors';
import { oneLineWhenUncaught } from '../env/private/uncaught';
import { writeEnvironmentFolders } from '../render/output-folder';
import { describeUserError } from '../render/user-error';
import { kustomization, renderApp, toYaml, validateApp } from '../render/synth';

/** Options for `synthEnvironments`. */
export interface SynthEnvironmentsOptions {
  /**
   * The folder that receives one sub-folder per environment.
   * @default - `$CDK8S_OUTDIR`, or `dist`
   */
  readonly outdir?: string;
  /**
   * Also write `kustomization.yaml` listing the environment's files, so that
   * `kubectl apply -k dist/<env>`, Argo CD and Flux can use the folder as it is.
   * @default true
   */
  readonly kustomization?: boolean;
  /**
   * A check of each validated App before anything is written (the examples run `netpol lint`
   * here). Findings of severity `error` stop the synth like validation errors; the others are
   * returned in the result.
   * @default - no check
   */
  readonly check?: (app: App, env: Environment) => readonly SynthFinding[];
}

/** A finding of a `check`. */
export interface SynthFinding {
  readonly severity: 'error' | 'warning' | 'info';
  /** One line: what, where, and the fix. */
  readonly message: string;
}

/** What `synthEnvironments` wrote. */
export interface SynthResult {
  /** Files written, relative to the current directory, sorted. */
  readonly files: string[];
  /** Findings of the `check` below severity `error`, as `<env>: <message>`. */
  readonly findings: SynthFinding[];
}

/**
 * Builds one cdk8s `App` per environment with `build`, and writes each app's charts to
 * `<outdir>/<env.name>/<chart id>.k8s.yaml`.
 *
 * Throws `NetpolError` listing every problem of every environment (validation errors as
 * `[construct path] message`), and then writes nothing.
 *
 * @example
 * synthEnvironments(['environments/dev.yaml', 'environments/prod.yaml'].map((f) => Environment.load(f)),
 *   (app, env) => { new MyChart(app, 'shop', env); });
 */
export function synthEnvironments(
  environments: readonly Environment[],
  build: (app: App, env: Environment) => void,
  options: SynthEnvironmentsOptions = {},
): SynthResult {
  return oneLineWhenUncaught(() => synth(environments, build, options));
}

/** What the synth of every environment has gathered so far. */
interface SynthRun {
  readonly issues: Issue[];
  readonly rendered: Array<{ env: string; files: Array<{ name: string; text: string }> }>;
  readonly findings: SynthFinding[];
  /** Each exception that is not a `NetpolError`, described, with the environments it stopped. */
  readonly failures: Map<string, string[]>;
}

function synth(
  environments: readonly Environment[],
  build: (app: App, env: Environment) => void,
  options: SynthEnvironmentsOptions,
): SynthResult {
  const outdir = options.outdir ?? (process.env.CDK8S_OUTDIR || 'dist');
  const run: SynthRun = { issues: [], rendered: [], findings: [], failures: new Map() };
  const names = new Map<string, string>();
  for (const env of environments) {
    const clash = names.get(env.name);
    if (clash) {
      run.issues.push({
        code: 'env.duplicate',
        path: '',
        message: `${env.source}: environment name "${env.name}" is also used by ${clash}; each environment needs its own name (it is the output folder)`,
      });
      continue;
    }
    names.set(env.name, env.source);
    try {
      synthEnvironment(env, build, options, outdir, run);
    } catch (e) {
      recordFailure(env, e, run);
    }
  }
  const { issues, failures } = run;
  for (const i of issues) {
    if (i.code === 'synth.error') (i as { message: string }).message = `${failures.get(i.message)!.join(', ')}: ${i.message}`;
  }
  if (issues.length > 0) throw new NetpolError(issues);

  const written = writeEnvironmentFolders(
    outdir,
    run.rendered.map((r) => ({ name: r.env, files: r.files })),
  );
  return { files: written.files, findings: run.findings };
}

/** Builds, validates, checks and renders one environment's App in memory, or records why not. */
function synthEnvironment(
  env: Environment,
  build: (app: App, env: Environment) => void,
  options: SynthEnvironmentsOptions,
  outdir: string,
  run: SynthRun,
): void {
  const { issues, findings } = run;
  const app = new App({ outdir: path.join(outdir, env.name) });
  const returned = callBuild(build, app, env);
  if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
    (returned as Promise<unknown>).then(undefined, () => undefined); // reported below, not left unhandled
    issues.push({
      code: 'synth.async',
      path: '',
      message: `${env.name}: build returned a Promise; build must add its charts before it returns (load what it needs first, then synthesize)`,
    });
    return;
  }
  const errors = validateApp(app);
  if (errors.length > 0) {
    for (const e of errors) issues.push({ code: 'synth.validation', path: '', message: `${env.name}: ${e}` });
    return;
  }
  const found = (options.check?.(app, env) ?? []).map((f) => ({ ...f, message: `${env.name}: ${f.message}` }));
  const blocking = found.filter((f) => f.severity === 'error');
  for (const f of found) if (f.severity !== 'error') findings.push(f);
  if (blocking.length > 0) {
    for (const f of blocking) issues.push({ code: 'synth.check', path: '', message: f.message });
    return;
  }
  const files = renderApp(app).map((c) => ({ name: c.file, text: toYaml(c.objects) }));
  if (options.kustomization ?? true) files.push({ name: 'kustomization.yaml', text: kustomization(files.map((f) => f.name)) });
  run.rendered.push({ env: env.name, files });
}

/** Calls the user's `build` with deep enough stack traces to find the project's own frame of an exception. */
function callBuild(build: (app: App, env: Environment) => void, app: App, env: Environment): unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, 50); // to find the project's own frame of an exception
  try {
    return build(app, env);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Records what an environment's synth threw: a `NetpolError`'s issues, or the exception once for all environments. */
function recordFailure(env: Environment, e: unknown, run: SynthRun): void {
  if (NetpolError.isNetpolError(e)) {
    run.issues.push(
      ...e.issues.map((i) => ({
        ...i,
        message: `${env.name}: ${e.where ? `${e.where}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`,
        path: '',
      })),
    );
    return;
  }
  // the same exception in every environment is one problem, said once
  const what = describeUserError(e);
  const same = run.failures.get(what);
  if (same) same.push(env.name);
  else {
    run.failures.set(what, [env.name]);
    run.issues.push({ code: 'synth.error', path: '', message: what });
  }
}
