/**
 * Hostile and unlucky input: one generator per class (a FIFO, a device, huge or endless files,
 * alias bombs, deep nesting, alias and list keys, symbolic links that lead out or loop). Each
 * is refused with one line naming the file, in bounded time, by the reader every verb uses; and
 * every verb run on it exits 2 with that line and no stack trace.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listManifestFiles, parseManifestText, readManifestDocuments } from '../../lib/io/documents';
import { NetpolError } from '../../lib/model/errors';

jest.setTimeout(180_000);

let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-hostile-')));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}
`;

/** The message of the error `fn` throws, or a note that it threw none. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (NetpolError.isNetpolError(e)) return e.message;
    throw e;
  }
  return '(no error)';
}

/** The input classes: each makes its input under `dir` and says the one line it must give. */
const CLASSES: Array<{ name: string; make: () => string; message: (p: string) => string }> = [
  {
    name: 'a FIFO',
    make: () => {
      const p = path.join(dir, 'fifo.yaml');
      if (!fs.existsSync(p)) spawnSync('mkfifo', [p]);
      return p;
    },
    message: (p) =>
      `${p}: is a FIFO (named pipe), not a regular file; netpol reads files and folders only (save the stream to a file first)`,
  },
  {
    name: 'a device that never ends',
    make: () => '/dev/zero',
    message: () =>
      '/dev/zero: is a character device, not a regular file; netpol reads files and folders only (save the stream to a file first)',
  },
  {
    name: 'a 200 MB file',
    make: () => {
      const p = path.join(dir, 'huge.yaml');
      fs.writeFileSync(p, '');
      fs.truncateSync(p, 200 * 1024 * 1024); // sparse: takes no disk space
      return p;
    },
    message: (p) => `${p}: is larger than 16 MiB, the most a file may hold; split it into smaller files`,
  },
  {
    name: 'more than 100,000 documents',
    make: () => write('documents.yaml', '---\n'.repeat(100_001)),
    message: (p) => `${p}: holds more than 100,000 YAML documents, the most a file may hold; split it into smaller files`,
  },
  {
    name: 'a billion laughs',
    make: () => {
      let s = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
      for (let i = 1; i < 12; i++) s += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
      return write('laughs.yaml', s);
    },
    message: (p) => `${p}:5: YAML aliases expand the file by more than 100,000 values, more than a manifest needs; write the values out`,
  },
  {
    name: 'more aliases than a manifest needs',
    make: () => write('aliases.yaml', `a: &a x\nb: [${Array.from({ length: 1_001 }, () => '*a').join(', ')}]\n`),
    message: (p) => `${p}:2: the file uses more than 1,000 YAML aliases, more than a manifest needs; write the values out`,
  },
  {
    // 1,000 deep already overflows the YAML composer's stack; the bench measures 100,000
    name: 'flow collections nested 5,000 deep',
    make: () => write('deep.yaml', `a: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`),
    message: (p) => `${p}:1: document 0 nests lists and mappings more than 100 deep, more than any Kubernetes object needs; flatten it`,
  },
  {
    name: 'block lists nested 5,000 deep on one line',
    make: () => write('dashes.yaml', `${'- '.repeat(5_000)}x\n`),
    message: (p) => `${p}:1: document 0 nests lists and mappings more than 100 deep, more than any Kubernetes object needs; flatten it`,
  },
  {
    name: 'aliases nesting deeper than the text',
    make: () =>
      write(
        'alias-depth.yaml',
        Array.from({ length: 300 }, (_, i) => (i === 0 ? 'a0: &a0 [x]' : `a${i}: &a${i} [*a${i - 1}]`)).join('\n') + '\n',
      ),
    message: (p) => `${p}:101: document 0 nests lists and mappings more than 100 deep once its aliases are expanded; write the values out`,
  },
  {
    name: 'an alias as a mapping key',
    make: () => write('alias-key.yaml', `${POLICY}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: &n x}\ndata:\n  *n : 1\n`),
    message: (p) =>
      `${p}:10: the alias *n is used as a mapping key in document 1; Kubernetes objects have plain keys, write the key out; fix the file, or pass skipInvalid to analyse only the documents before it`,
  },
  {
    name: 'a list as a mapping key',
    make: () => write('list-key.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {[a, b]: 1}\n'),
    message: (p) =>
      `${p}:4: a list is used as a mapping key in document 0; Kubernetes objects have plain keys; fix the file, or pass skipInvalid to analyse only the documents before it`,
  },
  {
    name: 'a symbolic link out of the input folder',
    make: () => {
      const d = path.join(dir, 'linked-out');
      fs.mkdirSync(d, { recursive: true });
      write('linked-out/web.yaml', POLICY);
      write('elsewhere.yaml', POLICY);
      link(path.join(dir, 'elsewhere.yaml'), path.join(d, 'more.yaml'));
      return d;
    },
    message: (p) =>
      `${p}/more.yaml: a symbolic link to ${path.join(dir, 'elsewhere.yaml')}, outside ${p}; give that path as an input of its own if it should be read, or remove the link`,
  },
  {
    name: 'a symbolic link to nothing',
    make: () => {
      const d = path.join(dir, 'dangling');
      fs.mkdirSync(d, { recursive: true });
      write('dangling/web.yaml', POLICY);
      link(path.join(d, 'gone.yaml'), path.join(d, 'policies.yaml'));
      return d;
    },
    message: (p) => `${p}/policies.yaml: a symbolic link to nothing; fix or remove the link`,
  },
];

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function link(target: string, at: string): void {
  if (!fs.existsSync(at) && !fs.lstatSync(at, { throwIfNoEntry: false })) fs.symlinkSync(target, at);
}

describe('the reader refuses each class with one line naming the file', () => {
  for (const c of CLASSES) {
    test(`throws on ${c.name}`, () => {
      const p = c.make();
      const start = Date.now();
      expect(messageOf(() => readManifestDocuments([p]))).toBe(c.message(p));
      expect(Date.now() - start).toBeLessThan(30_000); // bounded; a hang would end in the jest timeout
    });
  }
});

describe('symbolic links inside an input folder', () => {
  test('a linked file and a linked folder inside the folder are read, once each, and a loop ends', () => {
    const d = path.join(dir, 'links');
    fs.mkdirSync(path.join(d, 'team/sub'), { recursive: true });
    fs.writeFileSync(path.join(d, 'team/sub/web.yaml'), POLICY);
    link(path.join(d, 'team/sub/web.yaml'), path.join(d, 'alias.yaml')); // the same file again
    link(path.join(d, 'team'), path.join(d, 'team/sub/up')); // a loop back to an ancestor
    link(path.join(d, 'team/sub'), path.join(d, 'z-sub')); // the same folder again
    expect(listManifestFiles([d])).toEqual([path.join(d, 'alias.yaml')]);
    const real = path.join(d, 'other');
    fs.mkdirSync(real, { recursive: true });
    fs.writeFileSync(path.join(real, 'api.yaml'), POLICY.replace('name: web', 'name: api'));
    link(real, path.join(d, 'team/linked'));
    expect(listManifestFiles([d])).toEqual([path.join(d, 'alias.yaml'), path.join(d, 'other/api.yaml')]);
  });

  test('a FIFO inside a folder is reported, not skipped', () => {
    const d = path.join(dir, 'with-fifo');
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'a.yaml'), POLICY);
    spawnSync('mkfifo', [path.join(d, 'b.yaml')]);
    expect(messageOf(() => listManifestFiles([d]))).toBe(
      `${d}/b.yaml: is a FIFO (named pipe), not a regular file; netpol reads files and folders only (save the stream to a file first)`,
    );
  });
});

describe('limits are options', () => {
  test('each limit can be raised or lowered per read', () => {
    const p = write('three.yaml', `${POLICY}---\n${POLICY}---\n${POLICY}`);
    expect(messageOf(() => readManifestDocuments([p], { limits: { maxDocuments: 2 } }))).toBe(
      `${p}: holds more than 2 YAML documents, the most a file may hold; split it into smaller files`,
    );
    expect(messageOf(() => readManifestDocuments([p], { limits: { maxFileBytes: 100 } }))).toBe(
      `${p}: is larger than 100 bytes, the most a file may hold; split it into smaller files`,
    );
    expect(readManifestDocuments([p]).documents).toHaveLength(3);
  });

  test('all inputs together may hold at most maxTotalBytes', () => {
    const a = write('total-a.yaml', POLICY);
    const b = write('total-b.yaml', POLICY);
    expect(messageOf(() => readManifestDocuments([a, b], { limits: { maxTotalBytes: POLICY.length + 10 } }))).toBe(
      `${b}: the inputs hold more than ${POLICY.length + 10} bytes together with this file; analyse fewer files at once`,
    );
  });

  test('text given directly (standard input) has the same limits', () => {
    expect(messageOf(() => parseManifestText('x'.repeat(200), '-', { limits: { maxFileBytes: 100 } }))).toBe(
      '-: holds more than 100 bytes, the most a file may hold; split it into smaller files',
    );
  });

  test('aliases within the limits are expanded as before, merge keys included', () => {
    const docs = parseManifestText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: &l {app: web}}\ndata: {<<: *l, b: "1"}\n',
      'x.yaml',
    );
    expect(docs[0].object).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { app: 'web' } },
      data: { app: 'web', b: '1' },
    });
  });

  test('keys named __proto__ and constructor are kept as keys', () => {
    const docs = parseManifestText('kind: ConfigMap\ndata: {__proto__: a, constructor: b}\n', 'x.yaml');
    const data = docs[0].object.data as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe('a');
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });
});

describe('every verb', () => {
  test('exits 2 with the one line and no stack trace on every class, in bounded time', () => {
    const inputs = CLASSES.map((c) => ({ c, p: c.make() }));
    const policies = write('ok.yaml', POLICY);
    const invocations: string[][] = [];
    for (const { p } of inputs) {
      invocations.push(
        ['validate', p],
        ['lint', p],
        ['reach', '--policies', p, '--cluster', p],
        ['explain', '--policies', p, '--cluster', p, '--from', 'shop/a', '--to', 'shop/b', '--port', '80'],
        ['diagram', '--policies', p],
        ['diff', policies, p],
      );
    }
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/hostile/run-verbs.ts', JSON.stringify(invocations)], {
      cwd: path.join(__dirname, '../..'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 170_000,
    });
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as Array<{ args: string[]; code: number; stdout: string; stderr: string }>;
    expect(results).toHaveLength(invocations.length);
    results.forEach((r, i) => {
      const { c, p } = inputs[Math.floor(i / 6)];
      // the library offers its option skipInvalid, the command line its flag
      const line = `netpol: ${c.message(p).replace('pass skipInvalid', 'pass --skip-invalid')}\n`;
      expect({ args: r.args, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        args: r.args,
        code: 2,
        stdout: '',
        stderr: line,
      });
    });
  });
});
