import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpolWith, node, NETPOL, ROOT, TSX } from './run';

// the temporary project has no node_modules: tsx is loaded from this repository
function netpol(cwd: string, ...args: string[]) {
  return netpolWith({ cwd, env: { ...process.env, CDK8S_OUTDIR: '' } }, ...args);
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-synth-cli-'));
  fs.mkdirSync(path.join(dir, 'environments'));
  fs.writeFileSync(path.join(dir, 'environments', 'dev.yaml'), 'name: dev\ncidrs: {office: 192.0.2.0/24}\n');
  fs.writeFileSync(path.join(dir, 'environments', 'prod.yaml'), 'name: prod\ncidrs: {office: 198.51.100.0/24}\n');
  // a project's app: DefaultDeny without DNS is an NP001 error, unless the app allows DNS
  fs.writeFileSync(
    path.join(dir, 'app.js'),
    `
const { Chart } = require(${JSON.stringify(path.join(ROOT, 'node_modules/cdk8s'))});
const { AllowDns, DefaultDeny, Port, Tier } = require(${JSON.stringify(path.join(ROOT, 'lib'))});
exports.build = (app, env) => {
  const chart = new Chart(app, 'web', { namespace: 'web' });
  new DefaultDeny(chart, 'default-deny');
  if (!process.env.NO_DNS) new AllowDns(chart, 'allow-dns', { dns: env.dns });
  new Tier(chart, 'web', { pods: { app: 'web' } }).allowFrom(env.cidr('office'), Port.tcp(443));
};
`,
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('netpol synth', () => {
  test('writes every environment of a folder, linted, with a kustomization', () => {
    const r = netpol(dir, 'synth', 'app.js');
    expect(r).toEqual({ code: 0, stdout: 'synthesized 4 files for dev, prod; netpol lint: no findings\n', stderr: '' });
    expect(fs.readdirSync(path.join(dir, 'dist', 'prod')).sort()).toEqual(['kustomization.yaml', 'web.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, 'dist', 'prod', 'web.k8s.yaml'), 'utf8')).toContain('cidr: 198.51.100.0/24');
  });

  test('stops on a lint error, writes nothing and exits 1', () => {
    const r = netpolWith({ cwd: dir, env: { ...process.env, NO_DNS: '1' } }, 'synth', 'app.js', 'environments/dev.yaml', '--outdir', 'out');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: dev: web\/default-deny spec\.policyTypes: NP001 error: /m);
    expect(r.stderr).toMatch(/synth failed with 1 problem; nothing was written\n$/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('--fail-on never and --no-lint let findings through', () => {
    const env = { ...process.env, NO_DNS: '1' };
    const never = netpolWith({ cwd: dir, env }, 'synth', 'app.js', '--fail-on', 'never');
    expect(never.code).toBe(0);
    expect(never.stdout).toBe('synthesized 4 files for dev, prod; netpol lint: 2 findings below --fail-on never\n');
    expect(
      never.stderr
        .split('\n')
        .filter((l) => l)
        .map((l) => l.split(' NP001')[0]),
    ).toEqual(['warning: dev: web/default-deny spec.policyTypes:', 'warning: prod: web/default-deny spec.policyTypes:']);
    const off = netpolWith({ cwd: dir, env }, 'synth', 'app.js', '--no-lint');
    expect(off.stdout).toBe('synthesized 4 files for dev, prod; netpol lint: not linted\n');
  });

  test('reports every bad environment file at once and exits 1', () => {
    fs.writeFileSync(path.join(dir, 'environments', 'prod.yaml'), 'name: Prod\ncidrs: {office: 198.51.100.0}\n');
    const r = netpol(dir, 'synth', 'app.js');
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^error: environments\/prod\.yaml: name: /);
    expect(r.stderr).toContain(
      'error: environments/prod.yaml: cidrs.office: CIDR mask is missing in "198.51.100.0". Did you mean "198.51.100.0/32"?',
    );
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  test('rejects an app module without a build function, and a missing one, with exit 2', () => {
    fs.writeFileSync(path.join(dir, 'nothing.js'), 'exports.other = 1;\n');
    expect(netpol(dir, 'synth', 'nothing.js')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'netpol: <app>: nothing.js exports no build function; export `build(app, env)` (or a default function) that adds the charts of one environment to the App (it exports other)\n',
    });
    expect(netpol(dir, 'synth', 'missing.js')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'netpol: <app>: missing.js: no such file; give the module that exports build(app, env), e.g. main.js\n',
    });
    expect(netpol(dir, 'synth', 'app.js', 'nowhere')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('error: nowhere: no such environment file or folder'),
    });
  });
});

describe('netpol synth names the real cause when the app cannot load or build', () => {
  test('an import the app cannot resolve is named with the file and line that imports it', () => {
    fs.writeFileSync(
      path.join(dir, 'needs.js'),
      "'use strict';\nconst { Tier } = require('cdk8s-netpol-missing');\nexports.build = () => Tier;\n",
    );
    expect(netpol(dir, 'synth', 'needs.js')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'netpol: <app>: needs.js cannot be loaded: needs.js:2:18 imports "cdk8s-netpol-missing", which is not installed where it looks; install it in the project (npm install cdk8s-netpol-missing), or run netpol from the project\'s folder\n',
    });
  });

  test('a missing file the app imports by path is named as such', () => {
    fs.writeFileSync(path.join(dir, 'local.js'), "exports.build = require('./charts/web');\n");
    expect(netpol(dir, 'synth', 'local.js').stderr).toBe(
      'netpol: <app>: local.js cannot be loaded: local.js:1:17 imports "./charts/web", which does not exist; check the path\n',
    );
  });

  test('an exception while the app loads is named with its file and line', () => {
    fs.writeFileSync(path.join(dir, 'top.js'), "'use strict';\n\nthrow new RangeError('replicas must be positive');\n");
    expect(netpol(dir, 'synth', 'top.js')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'netpol: <app>: top.js failed while loading: top.js:3:7: RangeError: replicas must be positive\n',
    });
  });

  test("an exception in the app's build is one problem, with its file and line, however many environments hit it", () => {
    fs.writeFileSync(
      path.join(dir, 'broken.js'),
      'exports.build = (app, env) => {\n  const charts = undefined;\n  charts.push(env.name);\n};\n',
    );
    expect(netpol(dir, 'synth', 'broken.js')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "error: dev, prod: broken.js:3:10: TypeError: Cannot read properties of undefined (reading 'push')\nsynth failed with 1 problem; nothing was written\n",
    });
  });
});

describe("a project's own script", () => {
  const script = (body: string) => {
    fs.writeFileSync(
      path.join(dir, 'main.js'),
      `const { Environment } = require(${JSON.stringify(path.join(ROOT, 'lib'))});\nconst { synthEnvironments } = require(${JSON.stringify(path.join(ROOT, 'lib/api/synth'))});\n${body}`,
    );
    return node({ cwd: dir }, 'main.js');
  };

  test('that does not catch an error of Environment.load prints one line per problem and exits 1', () => {
    fs.writeFileSync(path.join(dir, 'environments', 'prod.yaml'), 'name: prod\ncidrs: {office: 198.51.100.0, vpn: 10.0.0.0/33}\n');
    expect(script("Environment.load('environments/prod.yaml');\n")).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'error: environments/prod.yaml: cidrs.office: CIDR mask is missing in "198.51.100.0". Did you mean "198.51.100.0/32"?',
        'error: environments/prod.yaml: cidrs.vpn: "10.0.0.0/33" has an invalid prefix length "33"; an IPv4 prefix is 0-32',
        '',
      ].join('\n'),
    });
  });

  test('that does not catch an error of synthEnvironments prints one line per problem and exits 1', () => {
    const r = script(
      "synthEnvironments(Environment.loadAll(['environments']), (app, env) => { env.cidr('offices'); }, { outdir: 'out' });\n",
    );
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'error: dev: environments/dev.yaml: cidrs.offices: no CIDR named "offices" in environment "dev"; it defines office. Did you mean "office"? Use one of these names, or add "offices" under cidrs in the file',
        'error: prod: environments/prod.yaml: cidrs.offices: no CIDR named "offices" in environment "prod"; it defines office. Did you mean "office"? Use one of these names, or add "offices" under cidrs in the file',
        '',
      ].join('\n'),
    });
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('keeps its own handling of errors it catches, and of other errors', () => {
    const r = script(
      "try { Environment.load('environments/none.yaml'); } catch (e) { console.log('caught', e.code); }\nthrow new Error('unrelated');\n",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('caught env.file-missing\n');
    expect(r.stderr).toMatch(/^Error: unrelated\n {4}at /);
  });
});

describe('netpol synth with environments from Terraform and ConfigMaps', () => {
  beforeEach(() => {
    fs.mkdirSync(path.join(dir, 'infra'));
    fs.writeFileSync(
      path.join(dir, 'infra', 'outputs.json'),
      JSON.stringify({ office_cidr: { sensitive: false, type: 'string', value: '203.0.113.0/24' } }),
    );
    fs.writeFileSync(
      path.join(dir, 'environments', 'prod.yaml'),
      'name: prod\nterraform:\n  file: ../infra/outputs.json\n  map: { cidrs.office: office_cidr }\n',
    );
    fs.writeFileSync(
      path.join(dir, 'infra', 'dev-configmap.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: netpol-dev }\ndata:\n  environment.yaml: |\n    name: dev\n    cidrs: { office: 192.0.2.0/24 }\n',
    );
    fs.writeFileSync(path.join(dir, 'environments', 'dev.yaml'), 'configMap: { file: ../infra/dev-configmap.yaml }\n');
  });

  test('reads them from environment files that name them, and lints what they give', () => {
    expect(netpol(dir, 'synth', 'app.js')).toEqual({
      code: 0,
      stdout: 'synthesized 4 files for dev, prod; netpol lint: no findings\n',
      stderr: '',
    });
    expect(fs.readFileSync(path.join(dir, 'dist', 'prod', 'web.k8s.yaml'), 'utf8')).toContain('cidr: 203.0.113.0/24');
    expect(fs.readFileSync(path.join(dir, 'dist', 'dev', 'web.k8s.yaml'), 'utf8')).toContain('cidr: 192.0.2.0/24');
    const r = netpolWith({ cwd: dir, env: { ...process.env, NO_DNS: '1' } }, 'synth', 'app.js', '--outdir', 'out');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: prod: web\/default-deny spec\.policyTypes: NP001 error: /m);
  });

  test('a Terraform output file among the environments says what it is and what to write', () => {
    fs.copyFileSync(path.join(dir, 'infra', 'outputs.json'), path.join(dir, 'environments', 'outputs.json'));
    const r = netpol(dir, 'synth', 'app.js');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: environments/outputs.json: is the output of "terraform output -json", not an environment file; write an environment file that names it (name: <environment> and terraform: { file: outputs.json, map: { "<key path>": <output> } } with outputs office_cidr, the path relative to that file), or read it with Environment.fromTerraformOutput\nsynth failed with 1 problem; nothing was written\n',
    });
  });
});

describe('the one-line report of an uncaught error', () => {
  test('spells out control characters of the values it quotes', () => {
    const { problemLines } = require('../../lib/env/private/uncaught') as typeof import('../../lib/env/private/uncaught');
    const { NetpolError } = require('../../lib/model/errors') as typeof import('../../lib/model/errors');
    expect(problemLines(new NetpolError([{ code: 'x', path: 'cidrs.a', message: 'bad "\u001b[31mred\nnext"' }], 'prod.yaml'))).toEqual([
      'prod.yaml: cidrs.a: bad "\\u001b[31mred\\u000anext"',
    ]);
  });
});

describe('npx cdk8s synth through netpol synth', () => {
  test('a bad environment is our one line per problem, then the cdk8s CLI reports the failed app and exits non-zero', () => {
    fs.writeFileSync(path.join(dir, 'environments', 'prod.yaml'), 'name: prod\ncidrs: {office: 198.51.100.0}\n');
    fs.writeFileSync(
      path.join(dir, 'cdk8s.yaml'),
      `language: typescript\napp: ${JSON.stringify(`${process.execPath} --import ${TSX} ${NETPOL} synth app.js environments`)}\noutput: dist\n`,
    );
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/cdk8s-cli/bin/cdk8s'), 'synth', '--no-check-upgrade'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_OUTDIR: '' },
    });
    expect(r.status).not.toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'error: environments/prod.yaml: cidrs.office: CIDR mask is missing in "198.51.100.0". Did you mean "198.51.100.0/32"?',
      'synth failed with 1 problem; nothing was written',
    ]);
    // what follows is the cdk8s CLI's own report of an app that exited 1
    expect(lines[2]).toMatch(/^Error: command ".*" at .* returned a non-zero exit code 1$/);
  });
});

describe('netpol synth and an output folder it cannot write', () => {
  test('names the path and the reason in one line, writes nothing and exits 1', () => {
    fs.writeFileSync(path.join(dir, 'out'), 'a file where the output folder should be');
    expect(netpol(dir, 'synth', 'app.js', '--outdir', 'out')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: cannot create out: something else is already there (EEXIST); out was left as it was, nothing was switched\nsynth failed with 1 problem; nothing was written\n',
    });
    expect(fs.readFileSync(path.join(dir, 'out'), 'utf8')).toBe('a file where the output folder should be');
  });
});
