import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyAtRevision } from '../../lib/io/revision';
import { NetpolError } from '../../lib/model/errors';

let root: string;
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=netpol', '-c', 'user.email=netpol@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: root,
    encoding: 'utf8',
  });

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-revision-')));
  git('init', '-q');
  fs.mkdirSync(path.join(root, 'deploy'));
  fs.writeFileSync(path.join(root, 'deploy/a.yaml'), 'before\n');
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  fs.writeFileSync(path.join(root, 'deploy/a.yaml'), 'after\n');
  fs.mkdirSync(path.join(root, 'dist'));
  fs.mkdirSync(path.join(root, 'new'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The issues of what `fn` throws, as `path: message` lines. */
function refusal(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (NetpolError.isNetpolError(e)) return e.issues.map((i) => `${i.code} ${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('did not throw');
}

describe('copyAtRevision', () => {
  test('copies a folder as it is committed at the revision, and cleanup removes the copy', () => {
    const copy = copyAtRevision('HEAD', path.join(root, 'deploy'));
    expect(fs.readFileSync(path.join(copy.dir!, 'a.yaml'), 'utf8')).toBe('before\n');
    copy.cleanup();
    expect(fs.existsSync(copy.dir!)).toBe(false);
  });

  test('has no folder for a path that does not exist at the revision, and says so', () => {
    const warnings: string[] = [];
    const copy = copyAtRevision('HEAD', path.join(root, 'new'), { onWarning: (m) => warnings.push(m) });
    expect(copy.dir).toBeUndefined();
    expect(warnings).toEqual(['new does not exist at HEAD; comparing with no policies']);
  });

  test('runs the synth command in a copy of the revision and returns what it wrote', () => {
    const progress: string[] = [];
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const copy = copyAtRevision('HEAD', path.join(root, 'dist'), {
        synth: 'mkdir -p dist && cp deploy/a.yaml dist/',
        onProgress: (m) => progress.push(m),
      });
      expect(fs.readFileSync(path.join(copy.dir!, 'a.yaml'), 'utf8')).toBe('before\n');
      copy.cleanup();
    } finally {
      process.chdir(cwd);
    }
    expect(progress).toEqual(['running "mkdir -p dist && cp deploy/a.yaml dist/" at HEAD']);
  });

  test('throws for an unknown revision, naming the revision option', () => {
    expect(refusal(() => copyAtRevision('nope', path.join(root, 'deploy')))).toEqual([
      `revision.unknown revision: git revision "nope" is not known in ${root}; fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0)`,
    ]);
  });

  test('throws for a path git ignores without a synth command, naming the synth option', () => {
    expect(refusal(() => copyAtRevision('HEAD', path.join(root, 'dist')))).toEqual([
      'revision.ignored synth: dist is ignored by git, so HEAD has no copy of it; give the command that writes it (e.g. "npm run synth") to build it at HEAD, or compare two folders',
    ]);
  });

  test('throws when the synth command fails, and leaves no temporary folder', () => {
    const before = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('netpol-base-')).length;
    expect(refusal(() => copyAtRevision('HEAD', path.join(root, 'dist'), { synth: 'exit 3' }))).toEqual([
      'revision.synth synth: "exit 3" failed at HEAD (exit code 3)',
    ]);
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('netpol-base-')).length).toBe(before);
  });
});
