/**
 * `netpol reach` against the ClusterNetworkPolicy conformance scenarios: for every step, the CLI
 * reads the step's cluster and policies and answers the step's ports as JSON, and every probe of
 * the upstream test must get the verdict the test expects.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { conformanceScenarios, ConformanceProbe } from './cnp-conformance';

const ROOT = path.resolve(__dirname, '../..');

jest.setTimeout(600_000);

interface Run {
  readonly cluster: readonly string[];
  readonly policies: readonly string[];
  readonly ports: Set<string>;
  readonly probes: ConformanceProbe[];
  readonly steps: string[];
}

function netpol(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/netpol.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Steps that read the same files are one run of the CLI, with the ports of all of them.
const runs = new Map<string, Run>();
for (const scenario of conformanceScenarios()) {
  for (const step of scenario.steps) {
    const key = [...step.cluster, '|', ...step.policies].join('\u0000');
    let run = runs.get(key);
    if (!run) runs.set(key, (run = { cluster: step.cluster, policies: step.policies, ports: new Set(), probes: [], steps: [] }));
    for (const p of step.probes) run.ports.add(`${p.port}/${p.protocol}`);
    run.probes.push(...step.probes);
    run.steps.push(`${scenario.upstream.test}: ${step.name}`);
  }
}

const results = new Map<Run, Promise<{ code: number | null; stdout: string; stderr: string }>>();
let queue: Promise<unknown> = Promise.resolve();
/** Two CLI processes at a time. */
function result(run: Run) {
  let r = results.get(run);
  if (!r) {
    const args = ['reach', '--policies', ...run.policies, '--cluster', ...run.cluster, '--ports', [...run.ports].join(','), '-o', 'json'];
    r = queue.then(() => netpol(args));
    queue = r.catch(() => undefined);
    results.set(run, r);
  }
  return r;
}

describe.each([...runs.values()].map((run) => [run.steps.join('; '), run] as const))('%s', (_, run) => {
  test(`netpol reach gives the verdict of every probe (${run.probes.length})`, async () => {
    const r = await result(run);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const verdicts = new Map<string, string>();
    for (const c of JSON.parse(r.stdout).connections) verdicts.set(`${c.from} -> ${c.to} ${c.port}/${c.protocol}`, c.verdict);
    const wrong = run.probes
      .map((p) => ({ probe: p.text, expect: p.expect, got: verdicts.get(p.text) ?? 'missing' }))
      .filter((x) => x.got !== x.expect);
    expect(wrong).toEqual([]);
  });
});
