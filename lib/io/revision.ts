/**
 * A file or folder as it is at a git revision, copied into a temporary folder: taken from git
 * (`git archive` unpacked with `tar`), or, when the path is generated and not committed (a
 * `dist/` folder in .gitignore), written by a command run in a copy of the whole revision. This
 * is how a semantic diff compares the policies of a working tree with those of a base branch.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetpolError } from '../model/errors';

/** How to copy a path at a revision. */
export interface RevisionCopyOptions {
  /**
   * A shell command that writes the path in a copy of the whole revision, for a path that is
   * generated and not in git, e.g. `npm run synth`. It runs where this process runs (the same
   * folder of the repository), with the working tree's node_modules, its output on stderr.
   * @default - the path is taken from git as it is committed
   */
  readonly synth?: string;
  /** Told what is done and what is missing, one sentence each. @default - nothing is told */
  readonly onProgress?: (message: string) => void;
  /** Told when the path does not exist at the revision. @default - nothing is told */
  readonly onWarning?: (message: string) => void;
}

/** The copy: `dir` is undefined when the path does not exist at the revision. */
export interface RevisionCopy {
  /** The copy of the path, in a temporary folder. */
  readonly dir?: string;
  /** Removes the temporary folder. */
  cleanup(): void;
}

/**
 * A copy of `target` as it is at git revision `revision`. Errors are `NetpolError`s whose path
 * is the option at fault: `revision` (no git, not a repository, an unknown revision) or
 * `synth` (the command failed or did not write the path, or the path is ignored by git and
 * there is no command to write it).
 */
export function copyAtRevision(revision: string, target: string, options: RevisionCopyOptions = {}): RevisionCopy {
  if (!fs.existsSync(target)) throw NetpolError.of('revision.target', 'revision', `${target}: no such file or folder`);
  const abs = fs.realpathSync(target);
  const git = gitIn(fs.statSync(abs).isDirectory() ? abs : path.dirname(abs));
  const top = git(['rev-parse', '--show-toplevel']);
  if (top.status !== 0) {
    throw NetpolError.of('revision.repository', 'revision', `${target} is not inside a git repository; compare two folders instead`);
  }
  const root = fs.realpathSync(top.stdout.toString('utf8').trim());
  const inRoot = gitIn(root);
  if (inRoot(['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]).status !== 0) {
    throw NetpolError.of(
      'revision.unknown',
      'revision',
      `git revision "${revision}" is not known in ${root}; fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0)`,
    );
  }
  const rel = path.relative(root, abs).split(path.sep).join('/') || '.';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-base-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const unpack = (args: string[]) => extract(inRoot, revision, args, tmp);
    if (options.synth !== undefined) return { dir: synthesize(options.synth, { revision, root, rel, tmp, unpack, ...options }), cleanup };
    if (inRoot(['ls-tree', '-r', '--name-only', revision, '--', rel]).stdout.length === 0) {
      if (inRoot(['check-ignore', '-q', rel]).status === 0) {
        throw NetpolError.of(
          'revision.ignored',
          'synth',
          `${rel} is ignored by git, so ${revision} has no copy of it; give the command that writes it (e.g. ` +
            `"npm run synth") to build it at ${revision}, or compare two folders`,
        );
      }
      options.onWarning?.(`${rel} does not exist at ${revision}; comparing with no policies`);
      cleanup();
      return { cleanup: () => undefined };
    }
    unpack(['--', rel]);
    return { dir: path.join(tmp, rel), cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

type Git = (args: string[]) => { status: number | null; stdout: Buffer; stderr: string };

/** Runs git in `cwd`; a missing git is one error. */
function gitIn(cwd: string): Git {
  return (args) => {
    const r = spawnSync('git', args, { cwd, maxBuffer: 1 << 30 });
    if (r.error) {
      const why = (r.error as NodeJS.ErrnoException).code ?? r.error.message;
      throw NetpolError.of('revision.git', 'revision', `cannot run git (${why}); install git, or compare two folders`);
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8').trim() };
  };
}

/** Unpacks `git archive` of `revision` (limited to `args`) into `into`. */
function extract(git: Git, revision: string, args: string[], into: string): void {
  const archive = git(['archive', '--format=tar', revision, ...args]);
  if (archive.status !== 0) throw NetpolError.of('revision.archive', 'revision', `git archive of ${revision} failed: ${archive.stderr}`);
  const tar = spawnSync('tar', ['-x', '-C', into], { input: archive.stdout, maxBuffer: 1 << 30 });
  if (tar.error || tar.status !== 0) {
    const why = tar.error?.message ?? tar.stderr.toString('utf8').trim();
    throw NetpolError.of('revision.archive', 'revision', `cannot unpack ${revision} with tar: ${why}`);
  }
}

interface SynthContext extends RevisionCopyOptions {
  readonly revision: string;
  readonly root: string;
  readonly rel: string;
  readonly tmp: string;
  readonly unpack: (args: string[]) => void;
}

/** Unpacks the whole revision, runs `command` in it, and returns the path it wrote. */
function synthesize(command: string, c: SynthContext): string {
  c.unpack([]);
  // run where the user runs netpol (a project may live in a folder of the repository)
  const here = path.relative(c.root, fs.realpathSync(process.cwd()));
  const workdir = here.startsWith('..') ? c.tmp : path.join(c.tmp, here);
  const modules = path.join(here.startsWith('..') ? c.root : process.cwd(), 'node_modules');
  if (fs.existsSync(modules) && fs.existsSync(workdir) && !fs.existsSync(path.join(workdir, 'node_modules'))) {
    fs.symlinkSync(modules, path.join(workdir, 'node_modules'), 'dir');
  }
  c.onProgress?.(`running "${command}" at ${c.revision}`);
  // an absolute output folder would make the revision's synth overwrite the working tree's
  const env = { ...process.env };
  if (env.CDK8S_OUTDIR && path.isAbsolute(env.CDK8S_OUTDIR)) delete env.CDK8S_OUTDIR;
  const r = spawnSync(command, { cwd: fs.existsSync(workdir) ? workdir : c.tmp, shell: true, stdio: ['ignore', 2, 2], env });
  if (r.error || r.status !== 0) {
    const why = r.error?.message ?? `exit code ${r.status}`;
    throw NetpolError.of('revision.synth', 'synth', `"${command}" failed at ${c.revision} (${why})`);
  }
  const dir = path.join(c.tmp, c.rel);
  if (!fs.existsSync(dir)) throw NetpolError.of('revision.synth', 'synth', `"${command}" ran at ${c.revision} but did not write ${c.rel}`);
  return dir;
}
