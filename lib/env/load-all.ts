/**
 * Loading environment files, one or all of a project at once. A file either is the environment
 * document, or names where the document comes from: a `terraform output -json` file (with the
 * outputs laid over the file's own keys) or a ConfigMap manifest. So `netpol synth`, `cdk8s.yaml`
 * and `Environment.loadAll` read every kind of environment without glue code. The problems of
 * all files come in one error, so that a CI run reports everything to fix.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Issue, NetpolError } from '../model/errors';
import { readConfigMapDocument } from './configmap';
import type { Environment, LoadOptions } from './environment';
import { parseDataText, readTextFile } from './private/files';
import { formatPath, isPlainObject } from './private/paths';
import { didYouMean } from './private/suggest';
import { oneLineWhenUncaught } from './private/uncaught';
import { environmentOf } from './private/factory';
import { parseEnvironment } from './private/parse-environment';
import { DEFAULT_TERRAFORM_OUTPUT, readTerraformDocument } from './terraform';

const ENVIRONMENT_FILE = /\.(ya?ml|json)$/i;

/**
 * Loads the environment files at `paths`; the same as `Environment.loadAll`.
 *
 * @example
 * const envs = loadEnvironments(['environments']); // dev, prod, staging
 */
export function loadEnvironments(paths: readonly string[], options: LoadOptions = {}): Environment[] {
  return oneLineWhenUncaught(() => loadEnvironmentFiles([...paths], options));
}

/** The document with `name` replaced, when an override is given and the document is a mapping. @internal */
export function withName(data: unknown, name: string | undefined): unknown {
  return name !== undefined && (isPlainObject(data) || data === undefined || data === null)
    ? { ...(isPlainObject(data) ? data : {}), name }
    : data;
}

/** `Environment.load`. @internal */
export function loadEnvironmentFile(file: string, options: LoadOptions): Environment {
  return fromDocument(file, parseDataText(readTextFile(file, 'environment file'), file), options);
}

/** `Environment.loadAll`. @internal */
export function loadEnvironmentFiles(paths: readonly string[], options: LoadOptions): Environment[] {
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
    for (const f of found) files.push(f);
  }
  // Read every file first: a Terraform output or ConfigMap file that another environment file
  // names is that environment's source, not an environment of its own.
  const documents: Array<{ file: string; data?: unknown; error?: NetpolError }> = [];
  const referenced = new Set<string>();
  for (const file of files) {
    try {
      const data = parseDataText(readTextFile(file, 'environment file'), file);
      documents.push({ file, data });
      for (const ref of sourceFiles(file, data)) referenced.add(path.resolve(ref));
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      documents.push({ file, error: e });
    }
  }
  const environments: Environment[] = [];
  for (const doc of documents) {
    if (referenced.has(path.resolve(doc.file)) && !paths.some((p) => path.resolve(p) === path.resolve(doc.file))) continue;
    try {
      if (doc.error) throw doc.error;
      environments.push(fromDocument(doc.file, doc.data, options));
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      issues.push(...e.issues.map((i) => ({ ...i, path: [e.where, i.path].filter((s) => s).join(': ') })));
    }
  }
  if (issues.length > 0) throw new NetpolError(issues);
  return environments;
}

/** The files an environment document names as its source (`terraform.file`, `configMap.file`). */
function sourceFiles(file: string, data: unknown): string[] {
  if (!isPlainObject(data)) return [];
  const out: string[] = [];
  for (const section of ['terraform', 'configMap']) {
    const s = data[section];
    if (isPlainObject(s) && typeof s.file === 'string') out.push(path.join(path.dirname(file), s.file));
  }
  return out;
}

/** An environment from the parsed content of `file`: the document itself, or the source it names. */
function fromDocument(file: string, data: unknown, options: LoadOptions): Environment {
  hintForOtherFormats(file, data);
  if (
    isPlainObject(data) &&
    (Object.prototype.hasOwnProperty.call(data, 'terraform') || Object.prototype.hasOwnProperty.call(data, 'configMap'))
  ) {
    return fromNamedSource(file, data, options);
  }
  return environmentOf(parseEnvironment(withName(data, options.name), file, { extras: options.extras }), file);
}

const TERRAFORM_KEYS = ['file', 'output', 'map'];
const CONFIGMAP_KEYS = ['file', 'name', 'key'];

/**
 * An environment file that names its source:
 *
 * ```yaml
 * name: prod
 * terraform:                     # `terraform output -json > infra/prod-outputs.json`
 *   file: ../infra/prod-outputs.json
 *   map: { databases.orders.cidrs: orders_db_cidrs }
 * cidrs: { corporate: 172.20.0.0/16 }   # the file's own keys are the base the outputs go over
 * ```
 *
 * or `terraform: { file, output }` (one output holds the whole document), or
 * `configMap: { file, name?, key? }`. Paths are relative to the environment file.
 */
function fromNamedSource(file: string, data: Record<string, unknown>, options: LoadOptions): Environment {
  const { section, spec: s } = sourceSection(file, data);
  const target = path.join(path.dirname(file), s.file as string);
  const name = options.name ?? (typeof data.name === 'string' ? data.name : undefined);
  const own = Object.keys(data).filter((k) => k !== section && k !== 'name');

  if (section === 'configMap') {
    if (own.length > 0) {
      failSource(
        file,
        formatPath([own[0]]),
        `the environment comes from ConfigMap file ${s.file as string}, so this file holds only name and configMap; move ${own.join(', ')} into the ConfigMap's document`,
      );
    }
    const doc = readConfigMapDocument(target, { name: s.name as string | undefined, key: s.key as string | undefined });
    return environmentOf(parseEnvironment(withName(doc.data, name), doc.source, { extras: options.extras }), doc.source);
  }
  return fromTerraform(file, data, s, { target, name, own, options });
}

/** Throws the one error of a named source at field path `p`. */
function failSource(file: string, p: string, message: string, code = 'env.source'): never {
  throw new NetpolError([{ code, path: p, message }], file);
}

/** The source section of an environment file (`terraform` or `configMap`), its keys checked. */
function sourceSection(file: string, data: Record<string, unknown>): { section: 'terraform' | 'configMap'; spec: Record<string, unknown> } {
  const fail = (p: string, message: string): never => failSource(file, p, message);
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  if (has('terraform') && has('configMap')) {
    fail('configMap', 'an environment comes from one source; give either terraform or configMap, not both');
  }
  const section = has('terraform') ? 'terraform' : 'configMap';
  const spec = data[section];
  const allowed = section === 'terraform' ? TERRAFORM_KEYS : CONFIGMAP_KEYS;
  if (!isPlainObject(spec)) {
    fail(
      section,
      section === 'terraform'
        ? 'expected a mapping such as { file: ../infra/outputs.json, map: { "databases.orders.cidrs": orders_db_cidrs } }'
        : 'expected a mapping such as { file: netpol-env.yaml, name: netpol-prod, key: environment.yaml }',
    );
  }
  const s = spec as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (!allowed.includes(k)) {
      fail(formatPath([section, k]), `unknown key "${k}" in ${section}; expected one of ${allowed.join(', ')}.${didYouMean(k, allowed)}`);
    }
  }
  if (typeof s.file !== 'string' || s.file === '') {
    fail(
      formatPath([section, 'file']),
      section === 'terraform'
        ? 'required: the file written by "terraform output -json", relative to this file (e.g. file: ../infra/prod-outputs.json)'
        : 'required: the ConfigMap manifest, relative to this file (e.g. file: netpol-env.yaml)',
    );
  }
  for (const k of section === 'terraform' ? ['output'] : ['name', 'key']) {
    if (s[k] !== undefined && (typeof s[k] !== 'string' || s[k] === '')) fail(formatPath([section, k]), `expected a name (text)`);
  }
  return { section, spec: s };
}

/** An environment from the Terraform outputs that `terraform: { file, output | map }` names. */
function fromTerraform(
  file: string,
  data: Record<string, unknown>,
  s: Record<string, unknown>,
  at: { target: string; name: string | undefined; own: string[]; options: LoadOptions },
): Environment {
  const fail = (p: string, message: string): never => failSource(file, p, message);
  const { own } = at;
  let map: Record<string, string> | undefined;
  if (s.map !== undefined) {
    if (!isPlainObject(s.map))
      fail('terraform.map', 'expected a mapping of key paths to output names, e.g. { "cidrs.corporate": corporate_cidr }');
    map = {};
    for (const [k, v] of Object.entries(s.map as Record<string, unknown>)) {
      if (typeof v !== 'string')
        fail(formatPath(['terraform', 'map', k]), `expected the name of a Terraform output, got ${JSON.stringify(v)}`);
      map[k] = v as string;
    }
  }
  if (s.output !== undefined && own.length > 0) {
    fail(
      'terraform.output',
      `output "${s.output as string}" holds the whole environment, so this file holds only name and terraform; move ${own.join(', ')} into the output, or map outputs onto this file's keys with terraform.map instead`,
    );
  }
  if (s.output === undefined && map === undefined) {
    fail(
      'terraform',
      `give output (the output that holds the whole environment, e.g. output: ${DEFAULT_TERRAFORM_OUTPUT}) or map (key paths set from outputs, e.g. map: { "databases.orders.cidrs": orders_db_cidrs })`,
    );
  }
  const base = s.output === undefined ? { data: withoutKey(data, 'terraform'), source: file } : undefined;
  const doc = readTerraformDocument(at.target, { output: s.output as string | undefined, map }, base);
  return environmentOf(
    parseEnvironment(withName(doc.data, at.name), doc.source, { extras: at.options.extras, annotate: doc.annotate }),
    doc.source,
  );
}

function withoutKey(data: Record<string, unknown>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data))
    if (k !== key) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Refuses, with what to do instead, a Terraform output file or a ConfigMap given as an environment file. */
function hintForOtherFormats(file: string, data: unknown): void {
  if (!isPlainObject(data)) return;
  const entries = Object.values(data);
  const terraform = entries.length > 0 && entries.every((o) => isPlainObject(o) && 'value' in o && 'type' in o);
  if (terraform) {
    const name = path.basename(file);
    const how = Object.prototype.hasOwnProperty.call(data, DEFAULT_TERRAFORM_OUTPUT)
      ? `terraform: { file: ${name}, output: ${DEFAULT_TERRAFORM_OUTPUT} }`
      : `terraform: { file: ${name}, map: { "<key path>": <output> } } with outputs ${Object.keys(data).sort().join(', ')}`;
    throw new NetpolError(
      [
        {
          code: 'env.terraform-file',
          path: '',
          message: `is the output of "terraform output -json", not an environment file; write an environment file that names it (name: <environment> and ${how}, the path relative to that file), or read it with Environment.fromTerraformOutput`,
        },
      ],
      file,
    );
  }
  if (data.kind === 'ConfigMap' || (typeof data.kind === 'string' && data.kind.endsWith('List') && Array.isArray(data.items))) {
    throw new NetpolError(
      [
        {
          code: 'env.configmap-file',
          path: '',
          message: `is a Kubernetes ${data.kind as string} manifest, not an environment file; write an environment file that names it (name: <environment> and configMap: { file: ${path.basename(file)}, key: environment.yaml }, the path relative to that file), or read it with Environment.fromConfigMap`,
        },
      ],
      file,
    );
  }
}
