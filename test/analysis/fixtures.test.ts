/**
 * The project's own cases, for what the np-guard corpus lacks: every controller kind as an
 * object, NotIn/DoesNotExist, egress ipBlocks with except, endPort, SCTP, IPv6, and ipBlocks
 * matching pod IPs. Each folder of test/fixtures/analysis holds `input/`, `case.json` (the
 * runs: ipBlockPods mode, output format, expected file) and the expected outputs, which were
 * checked line by line against the Kubernetes rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../lib/analysis';
import { readManifests } from '../../lib/io';
import { formatReachability, ReachFormat } from '../../lib/report';

const ROOT = path.resolve(__dirname, '../fixtures/analysis');

interface Run {
  readonly ipBlockPods: 'match' | 'ignore';
  readonly output: ReachFormat;
  readonly expected: string;
}

const runs = fs
  .readdirSync(ROOT)
  .filter((d) => fs.existsSync(path.join(ROOT, d, 'case.json')))
  .sort()
  .flatMap((d) => (JSON.parse(fs.readFileSync(path.join(ROOT, d, 'case.json'), 'utf8')).runs as Run[]).map((r) => ({ case: d, ...r })));

test('the own cases cover the features the np-guard corpus lacks', () => {
  expect([...new Set(runs.map((r) => r.case))]).toEqual([
    'controllers',
    'egress-ipblock-except',
    'endport-sctp',
    'ipblock-pod-ips',
    'ipv6',
    'notin-doesnotexist',
  ]);
});

test.each(runs.map((r) => [r.case, r.ipBlockPods, r.output, r]))(
  '%s with ipBlockPods %s gives the expected %s output',
  (name, mode, output, run) => {
    const { policies, cluster, warnings } = readManifests([path.join(ROOT, name as string, 'input')]);
    expect(warnings).toEqual([]);
    // the manifests of a case are its whole cluster, as np-guard assumes
    const got = formatReachability(analyze(policies, { ...cluster, complete: true }, { ipBlockPods: mode as Run['ipBlockPods'] }), {
      output: output as ReachFormat,
    });
    expect(got).toBe(fs.readFileSync(path.join(ROOT, name as string, (run as Run).expected), 'utf8'));
  },
);
