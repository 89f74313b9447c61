/**
 * Output written piece by piece: `--out-file` is replaced whole or not at all, and the pieces
 * are worked out only as fast as the stream takes them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { emitChunks, writeChunks } from '../../bin/cli-util';
import { netpol, ROOT } from './run';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-out-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function* pieces(n: number, fail?: number): Generator<string> {
  for (let i = 0; i < n; i++) {
    if (i === fail) throw new Error(`piece ${i} failed`);
    yield `line ${i} ${'x'.repeat(100)}\n`;
  }
}

test('a file is written whole from its pieces, through a temporary file that is gone afterwards', async () => {
  const out = path.join(dir, 'out.txt');
  fs.writeFileSync(out, 'old\n');
  await emitChunks(pieces(5000), out);
  expect(fs.readFileSync(out, 'utf8')).toBe([...pieces(5000)].join(''));
  expect(fs.readdirSync(dir)).toEqual(['out.txt']);
});

test('an error while working out a piece leaves the file as it was, removes the temporary file and is passed on', async () => {
  const out = path.join(dir, 'out.txt');
  fs.writeFileSync(out, 'old\n');
  // well past the first batches, so that part of the output was written to the temporary file
  await expect(emitChunks(pieces(5000, 4000), out)).rejects.toThrow('piece 4000 failed');
  expect(fs.readFileSync(out, 'utf8')).toBe('old\n');
  expect(fs.readdirSync(dir)).toEqual(['out.txt']);
});

test('a file that cannot be written is one line naming it, and nothing is left behind', async () => {
  const out = path.join(dir, 'missing', 'out.txt');
  await expect(emitChunks(pieces(10), out)).rejects.toThrow(
    `--out-file: cannot write "${out}": its folder does not exist (ENOENT); nothing was written there`,
  );
  fs.mkdirSync(path.join(dir, 'folder'));
  await expect(emitChunks(pieces(10), path.join(dir, 'folder'))).rejects.toThrow('it is a folder (EISDIR); nothing was written there');
  expect(fs.readdirSync(dir)).toEqual(['folder']);
  expect(fs.readdirSync(path.join(dir, 'folder'))).toEqual([]);
});

test('pieces are asked for only as the stream takes them (back-pressure)', async () => {
  let produced = 0;
  let written = 0;
  let most = 0;
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      setImmediate(done);
    },
  });
  function* counted(): Generator<string> {
    for (let i = 0; i < 20_000; i++) {
      const piece = `${'y'.repeat(99)}\n`;
      produced += piece.length;
      most = Math.max(most, produced - written);
      yield piece;
    }
  }
  await writeChunks(slow, counted());
  await new Promise<void>((resolve) => slow.end(resolve));
  expect(written).toBe(2_000_000);
  // never more than about one batch (64 KiB) ahead of what the stream took
  expect(most).toBeLessThanOrEqual((1 << 16) + 100);
});

test('netpol reach --out-file into a missing folder exits 3 with one line and writes nothing', () => {
  const shop = path.join(ROOT, 'test/fixtures/analysis/cli-shop');
  const out = path.join(dir, 'missing', 'reach.json');
  const r = netpol(
    'reach',
    '--policies',
    path.join(shop, 'policies.yaml'),
    '--cluster',
    path.join(shop, 'cluster.yaml'),
    '-o',
    'json',
    '--out-file',
    out,
  );
  expect(r).toEqual({
    code: 3,
    stdout: '',
    stderr: `netpol: --out-file: cannot write "${out}": its folder does not exist (ENOENT); nothing was written there\n`,
  });
  expect(fs.readdirSync(dir)).toEqual([]);
});
