/**
 * The package's entry points as a user's project reaches them: the root and every subpath of
 * the `exports` map, type-checked under the resolution a `cdk8s init typescript-app` project
 * uses (CommonJS, `node` resolution, which ignores `exports` and reads `typesVersions`) and
 * under `node16` and `bundler` resolution; loaded by Node; and the jest setup module listed in
 * a jest configuration by its package name.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const SUBPATHS = ['analysis', 'check', 'testing', 'testing/setup', 'synth', 'plugin'];
let work: string;
let appDir: string;

function link(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.symlinkSync(from, to);
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-entry-'));
  // the package as it is installed: its package.json, the compiled build/, its dependencies
  const pkg = path.join(work, 'pkg');
  fs.mkdirSync(pkg);
  execFileSync(process.execPath, [TSC, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', path.join(pkg, 'build')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  link(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'));

  appDir = path.join(work, 'app');
  fs.mkdirSync(appDir);
  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }));
  link(pkg, path.join(appDir, 'node_modules/cdk8s-netpol'));
  for (const dep of ['cdk8s', 'constructs', '@types/node', '@types/jest']) {
    link(path.join(ROOT, 'node_modules', dep), path.join(appDir, 'node_modules', dep));
  }
  fs.writeFileSync(
    path.join(appDir, 'main.ts'),
    [
      "import { App, Chart } from 'cdk8s';",
      "import { AllowDns, DefaultDeny, Direction, Peer, Port, Protocol, Tier } from 'cdk8s-netpol';",
      "import { analyze, constructModel, inferCluster, NetpolError } from 'cdk8s-netpol/analysis';",
      "import { lint, validateNetworkPolicy } from 'cdk8s-netpol/check';",
      "import { modelOf } from 'cdk8s-netpol/testing';",
      "import { synthEnvironments } from 'cdk8s-netpol/synth';",
      "import { NetpolLintValidation } from 'cdk8s-netpol/plugin';",
      'const app = new App();',
      "const chart = new Chart(app, 'web', { namespace: 'web' });",
      "new DefaultDeny(chart, 'default-deny', { directions: [Direction.INGRESS] });",
      "new AllowDns(chart, 'allow-dns');",
      "const web: Tier = new Tier(chart, 'web', { pods: { app: 'web' } });",
      "web.allowFrom(Peer.anyIpv4(), Port.tcp(443), Port.named('metrics', Protocol.TCP));",
      'const { policies } = constructModel(app);',
      "const reachable: boolean = analyze(policies, inferCluster(policies)).allows('web/web', 'web/web', 443);",
      'const e: NetpolError | undefined = undefined;',
      'export const used = [reachable, e, lint, validateNetworkPolicy, modelOf, synthEnvironments, NetpolLintValidation];',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(appDir, 'chart.test.ts'),
    [
      "import { App, Chart } from 'cdk8s';",
      "import { Peer, Port, Tier } from 'cdk8s-netpol';",
      "import type {} from 'cdk8s-netpol/testing';",
      "test('web is reachable on 443 only', () => {",
      "  const chart = new Chart(new App(), 'web', { namespace: 'web' });",
      "  new Tier(chart, 'web', { pods: { app: 'web' } }).allowFrom(Peer.anyIpv4(), Port.tcp(443));",
      "  expect(chart).toAllow({ from: '0.0.0.0/0', to: 'web', port: 443 });",
      "  expect(chart).toDeny({ from: '0.0.0.0/0', to: 'web', port: 80 });",
      '});',
      '',
    ].join('\n'),
  );
}, 240_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs tsc in the app with the `cdk8s init typescript-app` tsconfig and `overrides`. */
function typeCheck(overrides: Record<string, unknown>): string {
  const template = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/cdk8s-cli/templates/typescript-app/tsconfig.json'), 'utf8'));
  const tsconfig = {
    ...template,
    compilerOptions: { ...template.compilerOptions, noEmit: true, types: ['node', 'jest'], ...overrides },
  };
  fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: appDir, encoding: 'utf8' });
  return r.stdout + r.stderr;
}

describe('the entry points in a user project', () => {
  // The declarations' own third-party dependencies are the pack test's subject; here, with
  // skipLibCheck, what counts is that every import resolves and is typed.
  test('resolve with CommonJS and node resolution, as cdk8s init sets up a project', () => {
    expect(typeCheck({ skipLibCheck: true })).toBe('');
  }, 120_000);

  test('resolve with node16 resolution, through the exports map', () => {
    expect(typeCheck({ skipLibCheck: true, module: 'node16', moduleResolution: 'node16' })).toBe('');
  }, 120_000);

  test('resolve with bundler resolution, through the exports map', () => {
    expect(typeCheck({ skipLibCheck: true, module: 'esnext', moduleResolution: 'bundler' })).toBe('');
  }, 120_000);

  test('an import of a module that is no entry point does not resolve', () => {
    fs.writeFileSync(path.join(appDir, 'deep.ts'), "import { Port } from 'cdk8s-netpol/build/lib/model/port';\nexport const p = Port;\n");
    try {
      expect(typeCheck({ skipLibCheck: true, module: 'node16', moduleResolution: 'node16' })).toContain(
        "deep.ts(1,22): error TS2307: Cannot find module 'cdk8s-netpol/build/lib/model/port'",
      );
    } finally {
      fs.rmSync(path.join(appDir, 'deep.ts'));
    }
  }, 120_000);

  test('load in Node by their package names, and nothing else does', () => {
    const script = [
      "const names = ['cdk8s-netpol', ...process.argv.slice(1).map((s) => 'cdk8s-netpol/' + s)];",
      'for (const n of names) require(n);',
      "try { require('cdk8s-netpol/build/lib/model/port'); console.log('deep import loaded'); }",
      'catch (e) { console.log(e.code); }',
      "console.log(typeof require('cdk8s-netpol').Tier, typeof require('cdk8s-netpol/analysis').analyze);",
    ].join('\n');
    const out = execFileSync(process.execPath, ['-e', script, ...SUBPATHS.filter((s) => s !== 'testing/setup')], {
      cwd: appDir,
      encoding: 'utf8',
    });
    expect(out).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED\nfunction function\n');
  });

  test('jest takes the setup module by its package name, and the matchers work', () => {
    fs.writeFileSync(
      path.join(appDir, 'jest.config.js'),
      "module.exports = { testEnvironment: 'node', setupFilesAfterEnv: ['cdk8s-netpol/testing/setup'], testMatch: ['**/*.test.js'] };\n",
    );
    execFileSync(
      process.execPath,
      [TSC, '--module', 'commonjs', '--target', 'es2022', '--skipLibCheck', '--types', 'node,jest', 'chart.test.ts'],
      {
        cwd: appDir,
      },
    );
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--config', 'jest.config.js'], {
      cwd: appDir,
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('Tests:       1 passed, 1 total');
    expect(r.status).toBe(0);
  }, 120_000);
});
