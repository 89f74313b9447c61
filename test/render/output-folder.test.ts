import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetpolError } from '../../lib/model/errors';
import { EnvironmentFiles, FolderFs, REAL_FS, STATE_DIR, writeEnvironmentFolders } from '../../lib/render/output-folder';

type Tree = Record<string, Record<string, string> | undefined>;

const files = (env: string, version: string, charts = ['shop', 'web']): EnvironmentFiles => ({
  name: env,
  files: [
    ...charts.map((c) => ({ name: `${c}.k8s.yaml`, text: `# ${env} ${c} ${version}\n` })),
    { name: 'kustomization.yaml', text: `resources: ${charts.join(',')}\n` },
  ],
});

/** What a reader of `<outdir>/<env>/` sees for each environment (undefined: no such folder). */
function read(outdir: string, envs: readonly string[]): Tree {
  const out: Tree = {};
  for (const env of envs) {
    const dir = path.join(outdir, env);
    if (!fs.existsSync(dir)) {
      out[env] = undefined;
      continue;
    }
    const content: Record<string, string> = {};
    for (const f of fs.readdirSync(dir).sort()) content[f] = fs.readFileSync(path.join(dir, f), 'utf8');
    out[env] = content;
  }
  return out;
}

function expected(envs: readonly EnvironmentFiles[], all: readonly string[]): Tree {
  const out: Tree = {};
  for (const env of all) {
    const e = envs.find((x) => x.name === env);
    out[env] = e ? Object.fromEntries([...e.files].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => [f.name, f.text])) : undefined;
  }
  return out;
}

/** Every entry under `dir`, links shown with their targets, sorted. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = path.join(d, n);
      const rel = path.relative(dir, p);
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out.push(`${rel} -> ${fs.readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.push(`${rel}/`);
        walk(p);
      } else out.push(`${rel}: ${fs.readFileSync(p, 'utf8').trim()}`);
    }
  };
  walk(dir);
  return out;
}

class Killed extends Error {}

/** The real operations, stopping for good (as SIGKILL would) before operation number `at`. */
function killingFs(at: number): FolderFs & { count: number } {
  const shim = { count: 0 } as FolderFs & { count: number };
  for (const [name, fn] of Object.entries(REAL_FS) as Array<[keyof FolderFs, (...a: unknown[]) => void]>) {
    (shim as any)[name] = (...args: unknown[]) => {
      if (shim.count >= at) throw new Killed(`killed before ${name} ${String(args[args.length - 1])}`);
      shim.count++;
      fn(...args);
    };
  }
  return shim;
}

/** A fault in operation number `at` (counting from 0) with an errno code, as the kernel reports it. */
function failingFs(at: number, code: string): FolderFs {
  let count = 0;
  const shim = {} as FolderFs;
  for (const [name, fn] of Object.entries(REAL_FS) as Array<[keyof FolderFs, (...a: unknown[]) => void]>) {
    (shim as any)[name] = (...args: unknown[]) => {
      if (count++ === at) throw Object.assign(new Error(`${code}: failed, ${name}`), { code, syscall: name });
      fn(...args);
    };
  }
  return shim;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-out-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ENVS = ['dev', 'prod', 'staging'];
const A = [files('dev', 'a'), files('prod', 'a'), files('staging', 'a')];
// prod changes, dev loses a chart, staging stays the same
const B = [files('dev', 'b', ['shop']), files('prod', 'b'), files('staging', 'a')];

/** After a clean synth of `envs`: links, one generation, the environment folders it uses, nothing else. */
function expectNoLeftovers(outdir: string, envs: readonly EnvironmentFiles[]): void {
  const names = envs.map((e) => e.name).sort();
  expect(fs.readdirSync(outdir).sort()).toEqual([STATE_DIR, ...names].sort());
  for (const n of names) expect(fs.readlinkSync(path.join(outdir, n))).toBe(path.join(STATE_DIR, 'current', n));
  const state = path.join(outdir, STATE_DIR);
  expect(fs.readdirSync(state).sort()).toEqual(['current', 'environments', 'generations']);
  expect(fs.readdirSync(path.join(state, 'generations'))).toHaveLength(1);
  expect(fs.readdirSync(path.join(state, 'environments')).sort()).toEqual(
    names.map((n) => path.basename(fs.readlinkSync(path.join(state, 'current', n)))).sort(),
  );
}

describe('writeEnvironmentFolders', () => {
  test('writes every environment, readable through <outdir>/<env>/', () => {
    const r = writeEnvironmentFolders(dir, A);
    expect(read(dir, ENVS)).toEqual(expected(A, ENVS));
    expect(r.files).toEqual(ENVS.flatMap((e) => ['kustomization.yaml', 'shop.k8s.yaml', 'web.k8s.yaml'].map((f) => path.join(dir, e, f))));
    expect(r.changed).toEqual(ENVS);
    expectNoLeftovers(dir, A);
  });

  test('replaces environments as a whole and keeps the folder of one that did not change', () => {
    writeEnvironmentFolders(dir, A);
    const stagingBefore = fs.realpathSync(path.join(dir, 'staging'));
    const r = writeEnvironmentFolders(dir, B);
    expect(read(dir, ENVS)).toEqual(expected(B, ENVS));
    expect(r.changed).toEqual(['dev', 'prod']);
    expect(fs.realpathSync(path.join(dir, 'staging'))).toBe(stagingBefore);
    expectNoLeftovers(dir, B);
  });

  test('the same content twice gives the same tree, byte for byte, and changes nothing', () => {
    writeEnvironmentFolders(dir, B);
    const first = listing(dir);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-out-'));
    try {
      writeEnvironmentFolders(other, A);
      writeEnvironmentFolders(other, B);
      expect(listing(other)).toEqual(first);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    expect(writeEnvironmentFolders(dir, B).changed).toEqual([]);
    expect(listing(dir)).toEqual(first);
  });

  test('environments not given keep what an earlier synth wrote', () => {
    writeEnvironmentFolders(dir, A);
    writeEnvironmentFolders(dir, [files('dev', 'c')]);
    expect(read(dir, ENVS)).toEqual(expected([files('dev', 'c'), A[1], A[2]], ENVS));
    expectNoLeftovers(dir, A);
  });

  test('replaces a plain folder of an older layout by a link', () => {
    fs.mkdirSync(path.join(dir, 'dev'));
    fs.writeFileSync(path.join(dir, 'dev', 'old-chart.k8s.yaml'), 'stale');
    writeEnvironmentFolders(dir, [files('dev', 'a')]);
    expect(read(dir, ['dev'])).toEqual(expected([files('dev', 'a')], ['dev']));
    expectNoLeftovers(dir, [files('dev', 'a')]);
  });

  describe.each([
    ['an empty output folder', [] as EnvironmentFiles[], A],
    ['a previous generation', A, B],
    ['a previous generation with fewer environments', A.slice(0, 2), B],
  ])('killed at every file-system operation, over %s', (_what, before, after) => {
    const total = (() => {
      const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-out-'));
      try {
        writeEnvironmentFolders(probe, before);
        const counter = killingFs(Infinity);
        writeEnvironmentFolders(probe, after, counter);
        return counter.count;
      } finally {
        fs.rmSync(probe, { recursive: true, force: true });
      }
    })();

    test('the operations are counted', () => {
      expect(total).toBeGreaterThan(10);
    });

    test.each(Array.from({ length: total + 1 }, (_, i) => i))(
      'killed before operation %i: every environment reads all of one generation, and the next synth cleans up',
      (at) => {
        writeEnvironmentFolders(dir, before);
        const shim = killingFs(at);
        if (at < total) expect(() => writeEnvironmentFolders(dir, after, shim)).toThrow(Killed);
        else writeEnvironmentFolders(dir, after, shim);
        const seen = read(dir, ENVS);
        const old = expected(before, ENVS);
        const fresh = expected(after, ENVS);
        expect([old, fresh]).toContainEqual(seen);
        if (at === 0) expect(seen).toEqual(old);
        if (at === total) expect(seen).toEqual(fresh);
        // the next synth (of either generation) finishes with nothing left over
        writeEnvironmentFolders(dir, after);
        expect(read(dir, ENVS)).toEqual(fresh);
        expectNoLeftovers(dir, after);
      },
    );
  });

  test('throws naming a read-only file system, and leaves the folder as it was', () => {
    writeEnvironmentFolders(dir, A);
    const before = listing(dir);
    const e = caught(() => writeEnvironmentFolders(dir, B, failingFs(0, 'EROFS')));
    expect(e.message).toMatch(
      new RegExp(
        `^cannot create ${escape(path.join(dir, STATE_DIR, 'environments'))}/dev-[0-9a-f]{16}\\.tmp: the file system is read-only \\(EROFS\\); ${escape(dir)} was left as it was, nothing was switched$`,
      ),
    );
    expect(listing(dir)).toEqual(before);
  });

  test('throws naming a full disk at the second environment, removes what it wrote, and leaves the folder as it was', () => {
    writeEnvironmentFolders(dir, A);
    const before = listing(dir);
    // dev: mkdir, 2 × (write, fsync), fsync, rename = 7 operations; then prod's mkdir and first write
    const e = caught(() => writeEnvironmentFolders(dir, B, failingFs(8, 'ENOSPC')));
    expect(e.message).toMatch(
      new RegExp(
        `^cannot write ${escape(path.join(dir, STATE_DIR, 'environments'))}/prod-[0-9a-f]{16}\\.tmp/shop\\.k8s\\.yaml: no space left on the device \\(ENOSPC\\); ${escape(dir)} was left as it was, nothing was switched$`,
      ),
    );
    expect(listing(dir)).toEqual(before);
  });

  test('throws naming a permission problem of the output folder itself', () => {
    const out = path.join(dir, 'dist');
    const e = caught(() => writeEnvironmentFolders(out, A, failingFs(0, 'EACCES')));
    expect(e.message).toBe(`cannot create ${out}: permission denied (EACCES); ${out} was left as it was, nothing was switched`);
    expect(fs.existsSync(out)).toBe(false);
  });
});

function caught(fn: () => unknown): NetpolError {
  try {
    fn();
  } catch (e) {
    if (NetpolError.isNetpolError(e)) return e;
    throw e;
  }
  throw new Error('expected a NetpolError');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
