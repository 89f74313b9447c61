/**
 * The library as other projects get it: `npm pack`, then a fresh app made exactly like
 * `cdk8s init typescript-app` (its tsconfig.json copied unchanged from the cdk8s-cli template)
 * that installs the tarball. No registry and no npm cache are involved: the tarball is unpacked
 * into the app's node_modules the way npm lays out a package, and every package it declares as a
 * dependency, and every package of the app, is linked from this repository's node_modules. A
 * dependency the tarball does not declare is therefore missing in the app, as it would be for a
 * user. The app then compiles with tsc, runs its jest test with the matchers, synthesizes
 * workloads of cdk8s-plus-27 and cdk8s-plus-33 through the `netpol` bin, and asks its version.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const TEMPLATE = path.join(ROOT, 'node_modules/cdk8s-cli/templates/typescript-app');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** What `cdk8s init typescript-app` installs (its package.json), and cdk8s-plus-27 beside cdk8s-plus-33. */
const APP_PACKAGES = ['cdk8s', 'constructs', 'cdk8s-plus-27', 'cdk8s-plus-33', 'typescript', '@types/jest', 'jest', 'ts-jest'];
/**
 * The Node.js types of the app: `cdk8s init` asks for an old major (`^14`), older than the one
 * this repository builds with, so the app gets that major, installed here under an alias.
 */
const APP_NODE_TYPES = 'types-node-14';

/** Modules a shipped declaration may import: the peer dependencies, which every cdk8s app has. */
const PEERS = ['cdk8s', 'constructs'];

let work: string;
let appDir: string;
let pkgDir: string;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function link(name: string, as: string = name): void {
  const target = path.join(ROOT, 'node_modules', name);
  if (!fs.existsSync(target)) throw new Error(`${name} is not installed in this repository; run npm ci`);
  const at = path.join(appDir, 'node_modules', as);
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at, 'dir');
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-pack-'));
  const pack = run(NPM, ['pack', '--silent', '--pack-destination', work], ROOT, { npm_config_offline: 'true' });
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = path.join(work, pack.stdout.trim().split('\n').pop()!);

  // the app: package.json, tsconfig.json and jest.config.js as cdk8s init writes them
  appDir = path.join(work, 'app');
  fs.mkdirSync(appDir);
  const template = JSON.parse(fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8'));
  template.name = 'fresh-app';
  template.dependencies = { ...template.dependencies, 'cdk8s-plus-27': '*', 'cdk8s-netpol': `file:${tarball}` };
  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify(template, null, 2));
  fs.copyFileSync(path.join(TEMPLATE, 'tsconfig.json'), path.join(appDir, 'tsconfig.json'));
  fs.copyFileSync(path.join(TEMPLATE, 'jest.config.js'), path.join(appDir, 'jest.config.js'));

  // node_modules as npm lays it out: the unpacked tarball, its declared dependencies, the app's packages
  pkgDir = path.join(appDir, 'node_modules', 'cdk8s-netpol');
  fs.mkdirSync(pkgDir, { recursive: true });
  const tar = run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], work);
  if (tar.code !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  for (const dep of Object.keys(manifest.dependencies ?? {})) link(dep);
  for (const p of APP_PACKAGES) link(p);
  link(APP_NODE_TYPES, '@types/node');
  fs.mkdirSync(path.join(appDir, 'node_modules', '.bin'));
  for (const [name, file] of Object.entries(manifest.bin as Record<string, string>)) {
    fs.chmodSync(path.join(pkgDir, file), 0o755);
    fs.symlinkSync(path.join('..', 'cdk8s-netpol', file), path.join(appDir, 'node_modules', '.bin', name));
  }

  fs.mkdirSync(path.join(appDir, 'environments'));
  fs.writeFileSync(
    path.join(appDir, 'environments', 'prod.yaml'),
    'name: prod\ncidrs:\n  corporate: 172.20.0.0/16\ndatabases:\n  orders: { cidrs: [10.20.0.0/24], port: 5432 }\n',
  );
  fs.writeFileSync(
    path.join(appDir, 'main.ts'),
    `import { App, Chart } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { AllowDns, DefaultDeny, Environment, ExternalDatabase, Port, Tier } from 'cdk8s-netpol';

/** One environment's charts: a cdk8s-plus-33 web tier calls a cdk8s-plus-27 api, which calls a database. */
export function build(app: App, env: Environment): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns', { dns: env.dns });
  const web = new kplus33.Deployment(chart, 'web-deployment', { containers: [{ image: 'nginx', portNumber: 8080 }] });
  const api = new kplus27.Deployment(chart, 'api-deployment', { containers: [{ image: 'api', portNumber: 8443 }] });
  const webTier: Tier = new Tier(chart, 'web', { workload: web });
  const apiTier = new Tier(chart, 'api', { workload: api });
  webTier.allowFrom(env.cidr('corporate'), Port.tcp(8080));
  webTier.allowTo(apiTier, Port.tcp(8443));
  apiTier.allowTo(new ExternalDatabase(chart, 'orders', env.database('orders')));
  return chart;
}

// @ts-expect-error Port.tcp takes a number; this line proves the declarations are not \`any\`
export const wrong = () => Port.tcp('80');
`,
  );
  fs.writeFileSync(
    path.join(appDir, 'main.test.ts'),
    `import { Testing } from 'cdk8s';
import { Environment } from 'cdk8s-netpol';
import { installNetpolMatchers } from 'cdk8s-netpol/testing';
import { build } from './main';

installNetpolMatchers();

test('the web tier reaches the api, and nothing else does', () => {
  const chart = build(Testing.app(), Environment.load('environments/prod.yaml'));
  expect(chart).toAllow({ from: 'web', to: 'api', port: 8443 });
  expect(chart).toAllow({ from: '172.20.0.0/16', to: 'web', port: 8080 });
  expect(chart).toDeny({ from: 'api', to: 'web' });
});
`,
  );
}, 240_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the packed library in a fresh cdk8s app', () => {
  test('ships compiled JavaScript, declarations and the licence, not sources or tests', () => {
    expect(fs.existsSync(path.join(pkgDir, 'build/lib/index.js'))).toBe(true);
    expect(fs.existsSync(path.join(pkgDir, 'build/lib/index.d.ts'))).toBe(true);
    expect(fs.readFileSync(path.join(pkgDir, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0, January 2004',
    );
    expect(fs.existsSync(path.join(pkgDir, 'lib'))).toBe(false);
    expect(fs.existsSync(path.join(pkgDir, 'test'))).toBe(false);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.repository.url).toMatch(/^git\+https:\/\//);
  });

  test('has no script that npm would run when a user installs it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare'];
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => lifecycle.includes(s))).toEqual([]);
  });

  test('no shipped declaration file imports a module other than its own files, Node.js and the peer dependencies', () => {
    const offending: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(file);
        else if (entry.name.endsWith('.d.ts')) {
          const text = fs.readFileSync(file, 'utf8');
          const info = ts.preProcessFile(text, true, true);
          const specifiers = [
            ...info.importedFiles.map((f) => f.fileName),
            ...info.typeReferenceDirectives.map((f) => `types:${f.fileName}`),
            ...[...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]),
          ];
          for (const s of specifiers) {
            const root = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];
            const ok = s.startsWith('.') || s.startsWith('node:') || s === 'types:node' || PEERS.includes(root) || isBuiltin(root);
            if (!ok) offending.push(`${path.relative(pkgDir, file)}: ${s}`);
          }
        }
      }
    };
    visit(pkgDir);
    expect(offending).toEqual([]);
  });

  test("the app's Node.js types are the major that cdk8s init asks for", () => {
    const wanted: string = JSON.parse(fs.readFileSync(path.join(TEMPLATE, 'package.json'), 'utf8')).devDependencies['@types/node'];
    const installed: string = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules/@types/node/package.json'), 'utf8')).version;
    expect(wanted).toMatch(/^\^\d+$/);
    expect(installed.split('.')[0]).toBe(wanted.slice(1));
  });

  test('the app compiles with the unchanged cdk8s init tsconfig and zero errors', () => {
    expect(fs.readFileSync(path.join(appDir, 'tsconfig.json'), 'utf8')).toBe(fs.readFileSync(path.join(TEMPLATE, 'tsconfig.json'), 'utf8'));
    const r = run(process.execPath, [path.join(appDir, 'node_modules/typescript/bin/tsc'), '-p', '.'], appDir);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(appDir, 'main.js'))).toBe(true);
  }, 180_000);

  test("the app's jest test uses the matchers", () => {
    const r = run(process.execPath, [path.join(appDir, 'node_modules/jest/bin/jest.js'), '--ci', '--colors=false'], appDir);
    expect(r.stderr).toContain('Tests:       1 passed, 1 total');
    expect(r.code).toBe(0);
  }, 180_000);

  test('netpol synth builds the cdk8s-plus-27 and cdk8s-plus-33 workloads of the compiled app', () => {
    const r = run(path.join(appDir, 'node_modules/.bin/netpol'), ['synth', 'main.js', 'environments'], appDir, { CDK8S_OUTDIR: '' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('synthesized 2 files for prod; netpol lint: no findings\n');
    expect(r.code).toBe(0);
    const yaml = fs.readFileSync(path.join(appDir, 'dist/prod/shop.k8s.yaml'), 'utf8');
    const selectors = [...yaml.matchAll(/cdk8s\.io\/metadata\.addr: (shop-[a-z]+-deployment-c8[0-9a-f]+)/g)].map((m) => m[1]);
    expect(new Set(selectors).size).toBe(2);
    expect(yaml).toContain('port: 8443');
    expect(yaml).toContain('cidr: 10.20.0.0/24');
  }, 180_000);

  test('netpol --version prints the packed version', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    const r = run(path.join(appDir, 'node_modules/.bin/netpol'), ['--version'], appDir);
    expect(r).toMatchObject({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });
});

function isBuiltin(name: string): boolean {
  return require('module').builtinModules.includes(name);
}
