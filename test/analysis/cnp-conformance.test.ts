/**
 * `netpol reach` against the ClusterNetworkPolicy conformance scenarios: for every step, the CLI
 * reads the step's cluster and policies and answers the step's ports as JSON, and every probe of
 * the upstream test must get the verdict the test expects.
 */
import { netpol } from '../cli/run';
import { conformanceScenarios, ConformanceProbe } from './cnp-conformance';

jest.setTimeout(600_000);

interface Run {
  readonly cluster: readonly string[];
  readonly policies: readonly string[];
  readonly ports: Set<string>;
  readonly probes: ConformanceProbe[];
  readonly steps: string[];
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

describe.each([...runs.values()].map((run) => [run.steps.join('; '), run] as const))('%s', (_, run) => {
  test(`netpol reach gives the verdict of every probe (${run.probes.length})`, () => {
    const r = netpol(
      'reach',
      '--policies',
      ...run.policies,
      '--cluster',
      ...run.cluster,
      '--ports',
      [...run.ports].join(','),
      '-o',
      'json',
    );
    expect([r.code, r.stderr]).toEqual([0, '']);
    const verdicts = new Map<string, string>();
    for (const c of JSON.parse(r.stdout).connections) verdicts.set(`${c.from} -> ${c.to} ${c.port}/${c.protocol}`, c.verdict);
    const wrong = run.probes
      .map((p) => ({ probe: p.text, expect: p.expect, got: verdicts.get(p.text) ?? 'missing' }))
      .filter((x) => x.got !== x.expect);
    expect(wrong).toEqual([]);
  });
});
