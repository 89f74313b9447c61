import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol, netpolWith, ROOT } from './run';

const NETPOL_COMMAND = `${process.execPath} --import tsx bin/netpol.ts`;

describe('netpol', () => {
  test('--help lists every verb', () => {
    const r = netpol('--help');
    expect(r.code).toBe(0);
    for (const verb of ['validate', 'reach', 'explain', 'lint', 'diagram', 'diff'])
      expect(r.stdout).toMatch(new RegExp(`^  ${verb}\\b`, 'm'));
  });

  test('an unknown verb is a usage error with exit code 2', () => {
    const r = netpol('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  test('stops quietly when the reader of its output goes away', () => {
    // 80 pods and no policy: 6,320 lines, far more than a pipe holds, so writes go on after `head` has left
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-epipe-'));
    try {
      const pods = Array.from({ length: 80 }, (_, i) => `{kind: Pod, metadata: {name: pod-${i}, namespace: busy}}`).join('\n---\n');
      fs.writeFileSync(path.join(dir, 'pods.yaml'), pods);
      const r = spawnSync(
        'sh',
        ['-c', `${NETPOL_COMMAND} reach --policies ${dir} --cluster ${dir} | head -c 10 > /dev/null; echo "status $?"`],
        {
          cwd: ROOT,
          encoding: 'utf8',
        },
      );
      expect(r.stdout.trim()).toBe('status 0');
      expect(r.stderr).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--version prints the version of the package', () => {
    expect(netpol('--version')).toEqual({
      code: 0,
      stdout: `${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`,
      stderr: '',
    });
  });

  test.each([
    ['validate', ['validate', 'test/fixtures/validate/seeds'], '7 NetworkPolicies checked, 7 invalid (7 errors)\n'],
    ['lint', ['lint', 'test/fixtures/lint/seeds'], 'netpol lint: 4 findings (4 errors)\n'],
    ['--version', ['--version'], ''],
    ['--help', ['--help'], ''],
  ])('%s into a full disk says so in one line and exits 3, not with its own verdict', (_what, args, before) => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const r = netpolWith({ stdio: ['ignore', full, 'pipe'] }, ...args);
      expect({ code: r.code, stderr: r.stderr }).toEqual({
        code: 3,
        stderr: `${before}netpol: cannot write the output to stdout: no space left on the device (ENOSPC)\n`,
      });
    } finally {
      fs.closeSync(full);
    }
  });
});
