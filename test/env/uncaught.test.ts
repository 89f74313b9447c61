/**
 * A project's own script that calls `Environment.load` without a try/catch: the error is one
 * line and the process fails, whether it runs under plain Node.js or under ts-node (which loads
 * Node's `domain` module, as `cdk8s synth` does through cdk8s.yaml's `npx ts-node main.ts`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

const ROOT = path.resolve(__dirname, '../..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const LINE = 'error: environments/prod.yaml: cidrs.office: CIDR mask is missing in "198.51.100.0". Did you mean "198.51.100.0/32"?\n';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-uncaught-'));
  fs.mkdirSync(path.join(dir, 'environments'));
  fs.writeFileSync(path.join(dir, 'environments', 'prod.yaml'), 'name: prod\ncidrs: {office: 198.51.100.0}\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(before: string): { code: number | null; stdout: string; stderr: string } {
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(
    file,
    `${before}\nimport { Environment } from ${JSON.stringify(path.join(ROOT, 'lib'))};\nEnvironment.load('environments/prod.yaml');\nconsole.log('after load');\n`,
  );
  const r = spawnSync(process.execPath, ['--import', TSX, file], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('an uncaught error of Environment.load', () => {
  test('is one line and exit code 1', () => {
    expect(script('')).toEqual({ code: 1, stdout: '', stderr: LINE });
  });

  test("is one line and exit code 1 when Node's domain module is loaded", () => {
    expect(script("import 'domain';")).toEqual({ code: 1, stdout: '', stderr: LINE });
  });

  test("is left to the application's own uncaughtException listener", () => {
    const own = "process.on('uncaughtException', (e) => { console.log('handled:', (e as Error).name); process.exit(7); });";
    expect(script(own)).toEqual({ code: 7, stdout: 'handled: NetpolError\n', stderr: '' });
  });
});
