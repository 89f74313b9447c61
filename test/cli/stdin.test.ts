import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpolWith, ROOT } from './run';

const SHOP = path.join(ROOT, 'test/fixtures/analysis/cli-shop');
const POLICIES = fs.readFileSync(path.join(SHOP, 'policies.yaml'), 'utf8');
const BOTH = `${POLICIES}\n---\n${fs.readFileSync(path.join(SHOP, 'cluster.yaml'), 'utf8')}`;

function netpol(args: string[], input?: string) {
  return netpolWith({ input }, ...args);
}

/** The same verb reading files, for comparison. */
function fromFiles(args: string[]) {
  return netpol(args);
}

describe('- reads the manifests from standard input', () => {
  test.each([
    ['validate', ['validate', '-'], ['validate', path.join(SHOP, 'policies.yaml')], POLICIES],
    ['lint', ['lint', '-', '-o', 'json'], ['lint', path.join(SHOP, 'policies.yaml'), '-o', 'json'], POLICIES],
    ['reach', ['reach', '--policies', '-', '--cluster', '-'], ['reach', '--policies', SHOP, '--cluster', SHOP], BOTH],
    [
      'explain',
      ['explain', '--policies', '-', '--cluster', '-', '--from', 'shop/web', '--to', 'shop/db', '--port', '5432'],
      ['explain', '--policies', SHOP, '--cluster', SHOP, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432'],
      BOTH,
    ],
    ['diagram', ['diagram', '--policies', '-'], ['diagram', '--policies', path.join(SHOP, 'policies.yaml')], POLICIES],
    [
      'diff',
      ['diff', '-', path.join(SHOP, 'policies.yaml')],
      ['diff', path.join(SHOP, 'policies.yaml'), path.join(SHOP, 'policies.yaml')],
      POLICIES,
    ],
  ])('%s answers the same from stdin as from the file', (_verb, stdinArgs, fileArgs, input) => {
    const a = netpol(stdinArgs, input);
    const b = fromFiles(fileArgs);
    expect(a.code).toBe(b.code);
    const files = [path.join(SHOP, 'policies.yaml'), SHOP].map((f) => new RegExp(f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'));
    const neutral = (s: string) =>
      files.reduce((t, re) => t.replace(re, '<stdin>'), s).replace(/<stdin>\/(policies|cluster)\.yaml/g, '<stdin>');
    expect(neutral(a.stdout)).toEqual(neutral(b.stdout));
    expect(neutral(a.stderr)).toEqual(neutral(b.stderr));
    expect(a.code).toBe(_verb === 'validate' ? 0 : b.code);
    expect(a.stdout.length + a.stderr.length).toBeGreaterThan(0);
  });

  test('errors name <stdin> and the line', () => {
    expect(netpol(['validate', '-'], 'kind: NetworkPolicy\nmetadata: [\n')).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^netpol: <stdin>:\d+: YAML syntax error in document 0: /),
    });
  });
});

describe('--out-file', () => {
  test('writes what stdout would get, for every verb that prints a result', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-out-file-'));
    try {
      const out = path.join(dir, 'report.json');
      const printed = netpol(['lint', path.join(SHOP, 'policies.yaml'), '-o', 'json']);
      const written = netpol(['lint', path.join(SHOP, 'policies.yaml'), '-o', 'json', '--out-file', out]);
      expect(written.code).toBe(printed.code);
      expect(written.stdout).toBe('');
      expect(fs.readFileSync(out, 'utf8')).toBe(printed.stdout);
      for (const verb of [
        ['validate', SHOP],
        ['reach', '--policies', SHOP, '--cluster', SHOP],
        ['diff', SHOP, SHOP],
      ]) {
        const r = netpol([...verb, '--out-file', out]);
        expect(r.stdout).toBe('');
        expect(fs.readFileSync(out, 'utf8')).toBe(netpol(verb).stdout);
      }
      expect(fs.readdirSync(dir)).toEqual(['report.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
