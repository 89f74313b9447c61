/**
 * Opening input files and walking input folders without surprises: only regular files are
 * read (a FIFO or a device would block or never end), a file is read no further than its
 * limit, and symbolic links inside a folder are followed only where they stay inside it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Issue, NetpolError } from '../../model/errors';
import { mib } from './limits';

/** What a file that is not a regular file is, for messages. */
function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}

function notRegular(file: string, stat: fs.Stats): Issue {
  return {
    code: 'io.not-a-file',
    path: '',
    message: `${file}: is ${kindOf(stat)}, not a regular file; netpol reads files and folders only (save the stream to a file first)`,
  };
}

/**
 * The text of a regular file of at most `maxBytes` bytes (UTF-8). Opens without blocking and
 * checks what was opened, so a FIFO, a socket or a device is refused at once instead of hanging
 * or reading forever. Throws `NetpolError` (`io.not-a-file`, `io.too-large`, `io.read`).
 */
export function readRegularFile(file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw NetpolError.about(file, 'io.read', `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NetpolError([notRegular(file, stat)]);
    const tooLarge = () =>
      NetpolError.about(file, 'io.too-large', `is larger than ${mib(maxBytes)}, the most a file may hold; split it into smaller files`);
    if (stat.size > maxBytes) throw tooLarge();
    // read to the end, but never past the limit: the file may grow while it is read
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 0) + 1, maxBytes + 1 - total, 1 << 24) || 1);
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    if (NetpolError.isNetpolError(e)) throw e;
    throw NetpolError.about(file, 'io.read', `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The files under `root` whose names `wanted` accepts, sorted by name at each level, leaving out
 * hidden folders and `node_modules`. A symbolic link is followed when its target is inside
 * `root` (each folder and file is visited once, by the first path that reaches it, so loops
 * end); a link that leads outside `root` or nowhere, and a wanted name that is not a regular
 * file, are added to `issues`.
 */
export function walkFolder(root: string, wanted: (name: string) => boolean, issues: Issue[]): string[] {
  const rootReal = fs.realpathSync(root);
  const inside = (real: string) => real === rootReal || real.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep);
  const seenDirs = new Set<string>([rootReal]);
  const seenFiles = new Set<string>();
  const out: string[] = [];
  const visit = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      issues.push({ code: 'io.read', path: '', message: `${dir}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const skipFolder = e.name === 'node_modules' || e.name.startsWith('.');
      if (!e.isSymbolicLink()) {
        if (e.isDirectory()) {
          if (!skipFolder) enterFolder(full, fs.realpathSync(full));
        } else if (wanted(e.name)) {
          if (e.isFile()) addFile(full, fs.realpathSync(full));
          else issues.push(notRegular(full, fs.lstatSync(full)));
        }
        continue;
      }
      let real: string;
      let stat: fs.Stats;
      try {
        real = fs.realpathSync(full);
        stat = fs.statSync(real);
      } catch {
        if (wanted(e.name))
          issues.push({ code: 'io.link', path: '', message: `${full}: a symbolic link to nothing; fix or remove the link` });
        continue;
      }
      if (stat.isDirectory() ? skipFolder : !wanted(e.name)) continue;
      if (!inside(real)) {
        issues.push({
          code: 'io.link',
          path: '',
          message: `${full}: a symbolic link to ${real}, outside ${root}; give that path as an input of its own if it should be read, or remove the link`,
        });
      } else if (stat.isDirectory()) {
        enterFolder(full, real);
      } else if (stat.isFile()) {
        addFile(full, real);
      } else {
        issues.push(notRegular(full, stat));
      }
    }
  };
  const enterFolder = (full: string, real: string) => {
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    visit(full);
  };
  const addFile = (full: string, real: string) => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    out.push(full);
  };
  visit(root);
  return out;
}
