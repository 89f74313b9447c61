/**
 * The library as other projects get it: `npm pack`, installed (offline, from the npm cache)
 * into a fresh cdk8s app, type-checked against the shipped declarations, synthesized, and the
 * `netpol` bin run from the app's node_modules.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let appDir: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-pack-'));
  const out = execFileSync(NPM, ['pack', '--silent', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tarball = path.join(work, out.trim().split('\n').pop()!);
  appDir = path.join(work, 'app');
  fs.mkdirSync(appDir);
  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }));
  const cdk8s = require(path.join(ROOT, 'node_modules/cdk8s/package.json')).version;
  const constructs = require(path.join(ROOT, 'node_modules/constructs/package.json')).version;
  const typesNode = require(path.join(ROOT, 'node_modules/@types/node/package.json')).version;
  execFileSync(
    NPM,
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
      tarball,
      `cdk8s@${cdk8s}`,
      `constructs@${constructs}`,
      `@types/node@${typesNode}`,
    ],
    {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  fs.writeFileSync(
    path.join(appDir, 'main.ts'),
    [
      "import { App, Chart } from 'cdk8s';",
      "import { AllowDns, DefaultDeny, Peer, Port, Tier } from 'cdk8s-netpol';",
      "import { renderApp, toYaml } from 'cdk8s-netpol/analysis';",
      'const app = new App();',
      "const chart = new Chart(app, 'web', { namespace: 'web' });",
      "new DefaultDeny(chart, 'default-deny');",
      "new AllowDns(chart, 'allow-dns');",
      "const web: Tier = new Tier(chart, 'web', { pods: { app: 'web' } });",
      "const api = new Tier(chart, 'api', { pods: { app: 'api' } });",
      'web.allowFrom(Peer.anyIpv4(), Port.tcp(443));',
      'web.allowTo(api, Port.tcp(8080));',
      'const port: number | string | undefined = Port.tcp(1).port;',
      'void port;',
      '// @ts-expect-error Port.tcp takes a number; this line proves the declarations are not `any`',
      "Port.tcp('80');",
      "process.stdout.write(renderApp(app).map((c) => toYaml(c.objects)).join('---\\n'));",
      '',
    ].join('\n'),
  );
}, 240_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the packed library in a fresh cdk8s app', () => {
  test('ships compiled JavaScript and declarations, not sources or tests', () => {
    const pkg = path.join(appDir, 'node_modules/cdk8s-netpol');
    expect(fs.existsSync(path.join(pkg, 'build/lib/index.js'))).toBe(true);
    expect(fs.existsSync(path.join(pkg, 'build/lib/index.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(pkg, 'lib'))).toBe(false);
    expect(fs.existsSync(path.join(pkg, 'test'))).toBe(false);
  });

  test('type-checks strictly against the shipped declarations', () => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(
      process.execPath,
      [
        tsc,
        '--strict',
        '--noEmit',
        '--esModuleInterop',
        '--module',
        'commonjs',
        '--target',
        'es2022',
        '--moduleResolution',
        'node',
        'main.ts',
      ],
      { cwd: appDir, encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  test('synthesizes a chart', () => {
    fs.writeFileSync(
      path.join(appDir, 'main.ts'),
      fs.readFileSync(path.join(appDir, 'main.ts'), 'utf8').replace(/\/\/ @ts-expect-error.*\nPort\.tcp\('80'\);\n/, ''),
    );
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    execFileSync(
      process.execPath,
      [tsc, '--module', 'commonjs', '--target', 'es2022', '--moduleResolution', 'node', '--skipLibCheck', 'main.ts'],
      { cwd: appDir },
    );
    const yaml = execFileSync(process.execPath, ['main.js'], { cwd: appDir, encoding: 'utf8' });
    expect(yaml).toContain('kind: NetworkPolicy');
    expect(yaml).toContain('name: web');
    expect(yaml).toContain('port: 8080');
  }, 120_000);

  test('runs the netpol bin from the app', () => {
    const bin = path.join(appDir, 'node_modules/.bin/netpol');
    const r = spawnSync(bin, ['--help'], { cwd: appDir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: netpol');
  });
});
