import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { DIFF_MARKER } from '../../lib/report/diff';
import { netpol, ROOT, shopPolicies, writeFiles } from '../report/diff/cli-fixtures';
import { netpolWith } from './run';

jest.setTimeout(60_000);

/** The pods' address range: neither database range lies in it, so no pod is an ipBlock's address. */
const POD_RANGE = ['--pod-cidr', '10.244.0.0/16'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-cli-'));
  writeFiles(dir, {
    'staging/shop.yaml': shopPolicies('10.11.0.5/32'),
    'prod/shop.yaml': shopPolicies('10.20.0.0/24'),
    'other-port/shop.yaml': shopPolicies('10.11.0.5/32').replace('port: 5432', 'port: 5433'),
    'narrower/shop.yaml': shopPolicies('10.20.0.0/25'),
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh git repository in a temporary folder, with `files` committed. */
function repo(files: Record<string, string>): { root: string; git: (...args: string[]) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-git-'));
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      [
        '-c',
        'user.name=netpol',
        '-c',
        'user.email=netpol@example.invalid',
        '-c',
        'commit.gpgsign=false',
        '-c',
        'init.defaultBranch=main',
        ...args,
      ],
      { cwd: root, encoding: 'utf8' },
    );
  git('init', '-q');
  writeFiles(root, files);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return { root, git };
}

describe('netpol diff <before> <after>', () => {
  test('without --pod-cidr, the flows to pods whose IP may lie in either database range change too', () => {
    const run = netpol('diff', path.join(dir, 'staging'), path.join(dir, 'prod'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '  shop/backend  (others)/(others)  TCP 5432 if destination IP in 10.11.0.5/32  TCP 5432 if destination IP in 10.20.0.0/24',
    );
    expect(netpol('diff', path.join(dir, 'staging'), path.join(dir, 'prod'), '--pod-cidr', '10.0.0.0/33').stderr).toBe(
      'netpol: --pod-cidr: "10.0.0.0/33" has an invalid prefix length "33"; an IPv4 prefix is 0-32\n',
    );
  });

  test('prints the flows added and removed and the changed policies, and exits 0', () => {
    const before = path.join(dir, 'staging');
    const after = path.join(dir, 'prod');
    const run = netpol('diff', ...POD_RANGE, before, after);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `${before} → ${after}: 1 flow added, 1 removed, 0 changed`,
        '',
        'Added (allowed now, not before)',
        '  FROM          TO            ALLOWED',
        '  shop/backend  10.20.0.0/24  TCP 5432',
        '',
        'Removed (allowed before, not now)',
        '  FROM          TO            WAS ALLOWED',
        '  shop/backend  10.11.0.5/32  TCP 5432',
        '',
        'Policies changed',
        '  shop/backend (changed; 2 flows of its pods changed)',
        '    - egress to 10.11.0.5/32: TCP 5432',
        '    + egress to 10.20.0.0/24: TCP 5432',
        '',
      ].join('\n'),
    );
  });

  test('--fail-on-added exits 1 when the change allows something new', () => {
    const run = netpol('diff', ...POD_RANGE, path.join(dir, 'staging'), path.join(dir, 'prod'), '--fail-on-added');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 flow added');
  });

  test('--fail-on-added exits 1 for new ports on a flow that was allowed before', () => {
    // 5432 → 5433 toward the same host: the flow changed, and TCP 5433 is new
    const run = netpol('diff', ...POD_RANGE, path.join(dir, 'staging'), path.join(dir, 'other-port'), '--fail-on-added');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      `${path.join(dir, 'staging')} → ${path.join(dir, 'other-port')}: 0 flows added, 0 removed, 1 changed`,
    );
  });

  test('--fail-on-added exits 0 when the change only takes connections away', () => {
    const run = netpol('diff', ...POD_RANGE, path.join(dir, 'prod'), path.join(dir, 'narrower'), '--fail-on-added');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  shop/backend  10.20.0.128/25  TCP 5432');
    const same = netpol('diff', ...POD_RANGE, path.join(dir, 'prod'), path.join(dir, 'prod'), '--fail-on-added');
    expect(same.code).toBe(0);
    expect(same.stdout).toBe(`${path.join(dir, 'prod')} → ${path.join(dir, 'prod')}: no change in allowed connectivity\n`);
  });

  test('--output json and markdown', () => {
    const json = JSON.parse(
      netpol('diff', ...POD_RANGE, path.join(dir, 'staging'), path.join(dir, 'other-port'), '--output', 'json').stdout,
    );
    expect(json.summary).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(json.flows[0]).toMatchObject({
      change: 'changed',
      from: { name: 'shop/backend' },
      to: { name: '10.11.0.5/32' },
      added: { connections: 'TCP 5433' },
      removed: { connections: 'TCP 5432' },
    });
    const md = netpol('diff', ...POD_RANGE, path.join(dir, 'staging'), path.join(dir, 'prod'), '--output', 'markdown').stdout;
    expect(md.startsWith(`${DIFF_MARKER}\n### NetworkPolicy diff: `)).toBe(true);
    expect(md).toContain('| `shop/backend` | `10.20.0.0/24` | TCP 5432 |');
  });

  test('--cluster analyses both sides over the workloads of the manifests', () => {
    writeFiles(dir, {
      'cluster/backend.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: backend-0, namespace: shop, labels: {app: backend}}\nspec: {containers: [{name: c, image: x}]}\n',
    });
    const run = netpol(
      'diff',
      ...POD_RANGE,
      path.join(dir, 'staging'),
      path.join(dir, 'prod'),
      '--cluster',
      path.join(dir, 'cluster'),
      '--output',
      'json',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).flows.map((f: any) => `${f.change} ${f.from.name} -> ${f.to.name}`)).toEqual([
      'removed shop/backend-0 -> 10.11.0.5/32',
      'added shop/backend-0 -> 10.20.0.0/24',
    ]);
  });

  test('rejects one path without --base, with exit code 2', () => {
    const run = netpol('diff', ...POD_RANGE, path.join(dir, 'prod'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('netpol: give two paths to compare (before and after), or --base <git-rev> and one path; got 1\n');
  });

  test('rejects --synth without --base', () => {
    const run = netpol('diff', ...POD_RANGE, path.join(dir, 'staging'), path.join(dir, 'prod'), '--synth', 'true');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('netpol: --synth: --synth builds the before side at a git revision; use it with --base\n');
  });
});

describe('netpol diff --base <git-rev> <path>', () => {
  test('compares the working tree with the same path at the revision', () => {
    const { root } = repo({ 'deploy/shop.yaml': shopPolicies('10.11.0.5/32') });
    try {
      writeFiles(root, { 'deploy/shop.yaml': shopPolicies('10.20.0.0/24') });
      const run = netpol('diff', ...POD_RANGE, '--base', 'HEAD', path.join(root, 'deploy'), '--output', 'json');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const json = JSON.parse(run.stdout);
      expect([json.before, json.after]).toEqual(['HEAD', 'working tree']);
      expect(json.flows.map((f: any) => `${f.change} ${f.from.name} -> ${f.to.name}`)).toEqual([
        'removed shop/backend -> 10.11.0.5/32',
        'added shop/backend -> 10.20.0.0/24',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('treats a path that did not exist at the revision as new, with a warning', () => {
    const { root } = repo({ 'README.md': 'x\n' });
    try {
      writeFiles(root, { 'deploy/shop.yaml': shopPolicies('10.20.0.0/24') });
      const run = netpol('diff', ...POD_RANGE, '--base', 'HEAD', path.join(root, 'deploy'));
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('netpol: warning: deploy does not exist at HEAD; comparing with no policies\n');
      expect(run.stdout).toMatch(/^HEAD → working tree: 0 flows added, \d+ removed, \d+ changed\n/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('rejects a path that git ignores, suggesting --synth', () => {
    const { root } = repo({ '.gitignore': 'dist/\n' });
    try {
      writeFiles(root, { 'dist/shop.yaml': shopPolicies('10.20.0.0/24') });
      const run = netpol('diff', ...POD_RANGE, '--base', 'HEAD', path.join(root, 'dist'));
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'netpol: --synth: dist is ignored by git, so HEAD has no copy of it; give the command that writes it (e.g. "npm run synth") to build it at HEAD, or compare two folders\n',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('--synth writes the ignored path in a copy of the revision and compares with it', () => {
    const generator = `require('fs').mkdirSync('dist', { recursive: true });\nrequire('fs').writeFileSync('dist/shop.yaml', ${JSON.stringify(shopPolicies('10.11.0.5/32'))});\n`;
    const { root } = repo({ '.gitignore': 'dist/\n', 'gen.js': generator });
    try {
      writeFiles(root, { 'dist/shop.yaml': shopPolicies('10.20.0.0/24') });
      const run = netpol('diff', ...POD_RANGE, '--base', 'HEAD', '--synth', 'node gen.js', path.join(root, 'dist'));
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('netpol: running "node gen.js" at HEAD\n');
      expect(run.stdout.split('\n')[0]).toBe('HEAD → working tree: 1 flow added, 1 removed, 0 changed');
      expect(fs.readdirSync(root).sort()).toEqual(['.git', '.gitignore', 'dist', 'gen.js']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('--synth runs in the folder netpol runs in, for a project inside the repository', () => {
    const generator = `require('fs').mkdirSync('dist', { recursive: true });\nrequire('fs').writeFileSync('dist/shop.yaml', ${JSON.stringify(shopPolicies('10.11.0.5/32'))});\n`;
    const { root } = repo({ '.gitignore': 'dist/\n', 'pkg/gen.js': generator });
    try {
      writeFiles(root, { 'pkg/dist/shop.yaml': shopPolicies('10.20.0.0/24') });
      const r = netpolWith({ cwd: path.join(root, 'pkg') }, 'diff', ...POD_RANGE, '--base', 'HEAD', '--synth', 'node gen.js', 'dist');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('HEAD → working tree: 1 flow added, 1 removed, 0 changed');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('rejects --synth when the command fails', () => {
    const { root } = repo({ '.gitignore': 'dist/\n' });
    try {
      writeFiles(root, { 'dist/shop.yaml': shopPolicies('10.20.0.0/24') });
      const run = netpol('diff', ...POD_RANGE, '--base', 'HEAD', '--synth', 'exit 3', path.join(root, 'dist'));
      expect(run.code).toBe(2);
      expect(run.stderr.split('\n')).toContain('netpol: --synth: "exit 3" failed at HEAD (exit code 3)');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('rejects a revision git does not know', () => {
    const { root } = repo({ 'deploy/shop.yaml': shopPolicies('10.11.0.5/32') });
    try {
      const run = netpol('diff', ...POD_RANGE, '--base', 'origin/nope', path.join(root, 'deploy'));
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `netpol: --base: git revision "origin/nope" is not known in ${fs.realpathSync(root)}; fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0)\n`,
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('rejects a path outside any git repository', () => {
    const run = netpol('diff', ...POD_RANGE, '--base', 'HEAD', path.join(dir, 'prod'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`netpol: --base: ${path.join(dir, 'prod')} is not inside a git repository; compare two folders instead\n`);
  });

  test('rejects two paths with --base', () => {
    const run = netpol('diff', ...POD_RANGE, '--base', 'HEAD', path.join(dir, 'staging'), path.join(dir, 'prod'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('netpol: --base: --base compares one path with itself at a git revision; give one path, not 2\n');
  });
});

describe('the example GitHub Actions workflow', () => {
  const workflow = parse(fs.readFileSync(path.join(ROOT, 'examples/ci/github-actions.yml'), 'utf8'));
  const steps: Array<Record<string, any>> = Object.values(workflow.jobs as Record<string, { steps: Array<Record<string, any>> }>).flatMap(
    (j) => j.steps,
  );
  const runs = steps.map((s) => String(s.run ?? '')).join('\n');

  test('is well-formed YAML that runs on pull requests', () => {
    expect(Object.keys(workflow.on)).toContain('pull_request');
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
  });

  test('installs, synthesizes, validates and lints with a SARIF upload', () => {
    expect(runs).toContain('npm ci');
    expect(runs).toContain('npm run synth');
    expect(runs).toMatch(/netpol validate dist/);
    expect(runs).toMatch(/netpol lint dist --output sarif --out-file netpol\.sarif/);
    expect(steps.some((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'))).toBe(true);
    expect(workflow.permissions ?? {}).toMatchObject({ 'security-events': 'write', 'pull-requests': 'write' });
  });

  test('posts the semantic diff against the base branch as a pull-request comment', () => {
    const diff = steps.find((s) => String(s.run).includes('netpol diff'))!;
    expect(diff.run).toMatch(
      /npx netpol diff --base "origin\/\$BASE_REF" --synth "npm run synth" dist\/prod --pod-cidr 10\.244\.0\.0\/16 --output markdown --out-file netpol-diff\.md/,
    );
    expect(diff.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(steps.some((s) => String(s.uses).startsWith('actions/github-script@') && String(s.with?.script).includes(DIFF_MARKER))).toBe(
      true,
    );
    expect(steps.find((s) => String(s.uses).startsWith('actions/checkout@'))?.with?.['fetch-depth']).toBe(0);
  });
});
