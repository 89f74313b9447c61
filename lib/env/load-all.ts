/**
 * Loading every environment of a project at once: files and folders of environment files,
 * with the problems of all of them in one error, so that a CI run reports everything to fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Issue, NetpolError } from '../model/errors';
import { Environment, LoadOptions } from './environment';

const ENVIRONMENT_FILE = /\.(ya?ml|json)$/i;

/**
 * Loads the environment files at `paths` (a folder stands for its `*.yaml`, `*.yml` and
 * `*.json` files, sorted). Throws one `NetpolError` with every problem of every file, each
 * issue located at its file.
 *
 * @example
 * const envs = loadEnvironments(['environments']); // dev, prod, staging
 */
export function loadEnvironments<X = undefined>(paths: readonly string[], options: LoadOptions<X> = {}): Environment<X>[] {
  const issues: Issue[] = [];
  const files: string[] = [];
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      issues.push({ code: 'env.missing', path: '', message: `${p}: no such environment file or folder` });
      continue;
    }
    if (!stat.isDirectory()) {
      files.push(p);
      continue;
    }
    const found = fs
      .readdirSync(p)
      .filter((f) => ENVIRONMENT_FILE.test(f))
      .sort()
      .map((f) => path.join(p, f));
    if (found.length === 0)
      issues.push({ code: 'env.empty', path: '', message: `${p}: the folder holds no environment file (*.yaml, *.yml, *.json)` });
    files.push(...found);
  }
  const environments: Environment<X>[] = [];
  for (const file of files) {
    try {
      environments.push(Environment.load(file, options));
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, path: [e.where, i.path].filter((s) => s).join(': ') })));
    }
  }
  if (issues.length > 0) throw new NetpolError(issues);
  return environments;
}
