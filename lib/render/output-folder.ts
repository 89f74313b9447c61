/**
 * Writing environment folders so that a crash cannot leave a half-written or mixed output.
 *
 * Plain folders cannot be replaced atomically (renaming a folder onto a non-empty one fails, so
 * there is a moment without `dist/prod`), and replacing several folders one by one lets a crash
 * leave some environments new and some old. So each `dist/<env>` is a symbolic link, and every
 * link goes through one switch:
 *
 * ```
 * dist/prod -> .netpol/current/prod
 * dist/.netpol/current -> generations/<generation>                  (the switch)
 * dist/.netpol/generations/<generation>/prod -> ../../environments/prod-<content hash>
 * dist/.netpol/environments/prod-<content hash>/shop.k8s.yaml, kustomization.yaml
 * ```
 *
 * A synth writes the new environment folders under temporary names, fsyncs them, renames them
 * into place, writes the generation (a folder of links), and then replaces `current` with one
 * rename(2): before it every `dist/<env>` reads the previous generation, after it the new one.
 * Names are content hashes, so synthesizing the same policies twice gives the same tree, and an
 * environment that did not change keeps its folder. Whatever a crash leaves besides (temporary
 * folders, generations no longer current) is removed by the next synth before it writes.
 */
import { createHash } from 'crypto';
import * as nodeFs from 'fs';
import * as path from 'path';
import { NetpolError } from '../model/errors';

/** The hidden folder inside the output folder that holds the generations. */
export const STATE_DIR = '.netpol';

/** One environment's files. */
export interface EnvironmentFiles {
  /** The environment's name: the folder `<outdir>/<name>`. */
  readonly name: string;
  /** File names (no folders) and their text. */
  readonly files: ReadonlyArray<{ readonly name: string; readonly text: string }>;
}

/**
 * The file-system operations the writer makes, one call each, so that a test can stop it
 * between any two of them as a crash would. Read-only calls are not listed.
 */
export interface FolderFs {
  mkdir(p: string): void;
  /** Creates (or truncates) a file and writes all of `text` to it, then closes it. */
  writeFile(p: string, text: string): void;
  /** Flushes a file or folder to disk. */
  fsync(p: string): void;
  symlink(target: string, p: string): void;
  rename(from: string, to: string): void;
  /** Removes a file, a link, or a folder with everything in it. */
  remove(p: string): void;
}

/** The operations on the real file system. */
export const REAL_FS: FolderFs = {
  mkdir: (p) => nodeFs.mkdirSync(p),
  writeFile: (p, text) => nodeFs.writeFileSync(p, text),
  fsync: (p) => {
    const fd = nodeFs.openSync(p, 'r');
    try {
      nodeFs.fsyncSync(fd);
    } catch (e) {
      // some file systems cannot flush a folder; the rename order still holds
      if (!['EINVAL', 'ENOTSUP', 'EISDIR', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    } finally {
      nodeFs.closeSync(fd);
    }
  },
  symlink: (target, p) => nodeFs.symlinkSync(target, p),
  rename: (from, to) => nodeFs.renameSync(from, to),
  remove: (p) => nodeFs.rmSync(p, { recursive: true, force: true }),
};

/** What a write changed. */
export interface FolderWriteResult {
  /** `<outdir>/<env>/<file>` of every file of the given environments, sorted. */
  readonly files: string[];
  /** Names of the environments whose content changed (or that are new), sorted. */
  readonly changed: string[];
}

/**
 * Makes `<outdir>/<env>` read the given files for every given environment, all environments at
 * once (see the file comment); environments of earlier synths that are not given stay as they
 * are. Throws `NetpolError` naming the path and the reason (read-only, disk full, permission)
 * when the new generation cannot be written; the output folder then reads exactly as before.
 */
export function writeEnvironmentFolders(
  outdir: string,
  environments: readonly EnvironmentFiles[],
  fsops: FolderFs = REAL_FS,
): FolderWriteResult {
  const state = path.join(outdir, STATE_DIR);
  const current = path.join(state, 'current');
  let step = `create ${outdir}`;
  const op = <T>(what: string, fn: () => T): T => {
    step = what;
    return fn();
  };
  const at: Folders = {
    outdir,
    state,
    envRoot: path.join(state, 'environments'),
    genRoot: path.join(state, 'generations'),
    current,
    fsops,
    op,
  };
  try {
    for (const dir of [outdir, state, at.envRoot, at.genRoot]) {
      if (!isDirectory(dir)) op(`create ${dir}`, () => fsops.mkdir(dir));
    }
    const previous = readGeneration(current);
    cleanUp(outdir, previous, fsops, op);
    const { next, changed } = writeEnvironments(at, environments, previous);
    const { names, genName } = writeGeneration(at, next, previous);
    linkEnvironments(at, names);
    // 4. the switch
    if (genName !== previous.name) {
      const tmp = path.join(state, 'current.tmp');
      op(`link ${tmp}`, () => fsops.symlink(path.join('generations', genName), tmp));
      op(`rename ${tmp} to ${current}`, () => fsops.rename(tmp, current));
      op(`write ${state}`, () => fsops.fsync(state));
    }

    // 5. what the previous generation alone used; a failure here leaves it for the next synth
    try {
      cleanUp(outdir, readGeneration(current), fsops, op);
    } catch (e) {
      if (!isErrno(e)) throw e;
    }
    const files = environments.flatMap((env) => env.files.map((f) => path.join(outdir, env.name, f.name))).sort();
    return { files, changed: changed.sort() };
  } catch (e) {
    if (!isErrno(e)) throw e;
    const failed = step;
    try {
      // what this attempt wrote under temporary names; anything left is removed by the next synth
      cleanUp(outdir, readGeneration(current), fsops, op);
    } catch {
      // the next synth cleans up
    }
    throw new NetpolError([
      {
        code: 'synth.write',
        path: '',
        message: `cannot ${failed}: ${describeErrno(e)}; ${outdir} was left as it was, nothing was switched`,
      },
    ]);
  }
}

/** The folders of one write, and the operations it makes on them. */
interface Folders {
  readonly outdir: string;
  /** `<outdir>/.netpol` */
  readonly state: string;
  /** `<outdir>/.netpol/environments` */
  readonly envRoot: string;
  /** `<outdir>/.netpol/generations` */
  readonly genRoot: string;
  /** `<outdir>/.netpol/current`, the switch */
  readonly current: string;
  readonly fsops: FolderFs;
  /** Runs one operation, remembering it as the step a failure names. */
  readonly op: <T>(what: string, fn: () => T) => T;
}

/** A generation as `readGeneration` reads it. */
type Generation = { name?: string; environments: Map<string, string> };

/**
 * 1. Each environment's folder, under a temporary name, then renamed to its content hash; returns
 * every environment of the next generation and the names of those that changed.
 */
function writeEnvironments(
  { envRoot, fsops, op }: Folders,
  environments: readonly EnvironmentFiles[],
  previous: Generation,
): { next: Map<string, string>; changed: string[] } {
  const next = new Map(previous.environments);
  const changed: string[] = [];
  for (const env of environments) {
    const hash = contentHash(env.files);
    let dirName = `${env.name}-${hash}`;
    const existing = path.join(envRoot, dirName);
    if (nodeFs.existsSync(existing) && !sameContent(existing, env.files)) dirName = `${dirName}-${Date.now().toString(36)}`;
    if (!nodeFs.existsSync(path.join(envRoot, dirName))) {
      const tmp = path.join(envRoot, `${dirName}.tmp`);
      op(`create ${tmp}`, () => fsops.mkdir(tmp));
      for (const f of env.files) {
        const file = path.join(tmp, f.name);
        op(`write ${file}`, () => fsops.writeFile(file, f.text));
        op(`write ${file}`, () => fsops.fsync(file));
      }
      op(`write ${tmp}`, () => fsops.fsync(tmp));
      op(`rename ${tmp}`, () => fsops.rename(tmp, path.join(envRoot, dirName)));
    }
    if (previous.environments.get(env.name) !== dirName) changed.push(env.name);
    next.set(env.name, dirName);
  }
  return { next, changed };
}

/** 2. The generation: a folder of links, one per environment, unless it is the previous one. */
function writeGeneration(
  { envRoot, genRoot, fsops, op }: Folders,
  next: Map<string, string>,
  previous: Generation,
): { names: string[]; genName: string } {
  const names = [...next.keys()].sort();
  const genName = `g-${hashOf(names.map((n) => `${n}=${next.get(n)}`).join('\n'))}`;
  if (genName !== previous.name) {
    const tmp = path.join(genRoot, `${genName}.tmp`);
    op(`create ${tmp}`, () => fsops.mkdir(tmp));
    for (const n of names)
      op(`link ${path.join(tmp, n)}`, () => fsops.symlink(path.join('..', '..', 'environments', next.get(n)!), path.join(tmp, n)));
    op(`write ${tmp}`, () => fsops.fsync(tmp));
    op(`rename ${tmp}`, () => fsops.rename(tmp, path.join(genRoot, genName)));
    op(`write ${envRoot}`, () => fsops.fsync(envRoot));
    op(`write ${genRoot}`, () => fsops.fsync(genRoot));
  }
  return { names, genName };
}

/** 3. The links `<outdir>/<env>`: a new environment's link dangles (reads as absent) until the switch. */
function linkEnvironments({ outdir, state, fsops, op }: Folders, names: readonly string[]): void {
  for (const n of names) {
    const link = path.join(outdir, n);
    const target = path.join(STATE_DIR, 'current', n);
    const stat = lstat(link);
    if (stat?.isSymbolicLink() && nodeFs.readlinkSync(link) === target) continue;
    if (stat && !stat.isSymbolicLink()) {
      // a plain folder of an older layout (or of `cdk8s synth`): moved aside, replaced by the link
      const aside = path.join(state, `replaced-${n}.tmp`);
      op(`rename ${link}`, () => fsops.rename(link, aside));
    }
    const tmp = path.join(outdir, `.${n}.link.tmp`);
    op(`link ${tmp}`, () => fsops.symlink(target, tmp));
    op(`rename ${tmp}`, () => fsops.rename(tmp, link));
  }
  op(`write ${outdir}`, () => fsops.fsync(outdir));
}

/** The environments of the generation `current` points to (name → folder under `environments/`). */
function readGeneration(current: string): { name?: string; environments: Map<string, string> } {
  let target: string;
  try {
    target = nodeFs.readlinkSync(current);
  } catch {
    return { environments: new Map() };
  }
  const dir = path.join(path.dirname(current), target);
  const environments = new Map<string, string>();
  for (const n of readdir(dir)) {
    try {
      environments.set(n, path.basename(nodeFs.readlinkSync(path.join(dir, n))));
    } catch {
      // not a link: not ours
    }
  }
  return { name: path.basename(target), environments };
}

/**
 * Removes what the generation `live` does not use: temporary names, other generations,
 * environment folders no generation uses, and links `<outdir>/<env>` to environments it lacks.
 */
function cleanUp(
  outdir: string,
  live: { name?: string; environments: Map<string, string> },
  fsops: FolderFs,
  op: <T>(what: string, fn: () => T) => T,
): void {
  const state = path.join(outdir, STATE_DIR);
  const used = new Set(live.environments.values());
  for (const n of readdir(path.join(state, 'environments'))) {
    if (!used.has(n)) op(`remove ${path.join(state, 'environments', n)}`, () => fsops.remove(path.join(state, 'environments', n)));
  }
  for (const n of readdir(path.join(state, 'generations'))) {
    if (n !== live.name) op(`remove ${path.join(state, 'generations', n)}`, () => fsops.remove(path.join(state, 'generations', n)));
  }
  for (const n of readdir(state)) {
    if (n.endsWith('.tmp')) op(`remove ${path.join(state, n)}`, () => fsops.remove(path.join(state, n)));
  }
  for (const n of readdir(outdir)) {
    const p = path.join(outdir, n);
    if (n.startsWith('.') && n.endsWith('.link.tmp')) {
      op(`remove ${p}`, () => fsops.remove(p));
      continue;
    }
    const stat = lstat(p);
    if (stat?.isSymbolicLink() && nodeFs.readlinkSync(p) === path.join(STATE_DIR, 'current', n) && !live.environments.has(n)) {
      op(`remove ${p}`, () => fsops.remove(p));
    }
  }
}

function contentHash(files: EnvironmentFiles['files']): string {
  return hashOf(
    [...files]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((f) => `${f.name}\0${f.text.length}\0${f.text}`)
      .join('\0'),
  );
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function sameContent(dir: string, files: EnvironmentFiles['files']): boolean {
  const names = readdir(dir);
  if (names.length !== files.length) return false;
  return files.every((f) => {
    try {
      return nodeFs.readFileSync(path.join(dir, f.name), 'utf8') === f.text;
    } catch {
      return false;
    }
  });
}

function readdir(dir: string): string[] {
  try {
    return nodeFs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function lstat(p: string): nodeFs.Stats | undefined {
  try {
    return nodeFs.lstatSync(p);
  } catch {
    return undefined;
  }
}

function isDirectory(p: string): boolean {
  try {
    return nodeFs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall !== undefined;
}

/** The reason of a failed file-system call, in words, with its code. */
export function describeErrno(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EDQUOT':
      return 'the disk quota is exceeded (EDQUOT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${e.code})`;
    case 'ENOTDIR':
      return `a part of the path is a file, not a folder (ENOTDIR)`;
    case 'EEXIST':
      return 'something else is already there (EEXIST)';
    default:
      return `${e.message.split(',')[0]} (${e.code})`;
  }
}
