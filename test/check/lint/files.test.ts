/**
 * `lintFiles`: where findings point (file, document, List item, line), their order, and how
 * the policies and the cluster are read.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintFiles } from '../../../lib/check/lint';
import { fixture } from './helpers';

describe('lintFiles', () => {
  test('a finding about a policy inside a List is located at the item and the line of its field', () => {
    const found = lintFiles([fixture('seeds/policies.yaml')]).filter((f) => f.ruleId === 'NP001');
    expect(found.map((f) => [f.object, f.path, f.location])).toEqual([
      [
        { kind: 'NetworkPolicy', namespace: 'monitoring', name: 'default-deny' },
        'spec.policyTypes',
        { file: fixture('seeds/policies.yaml'), doc: 0, item: 2, line: 18 },
      ],
    ]);
  });

  test('findings come sorted by file, document and line', () => {
    const found = lintFiles([fixture('seeds')], { cluster: [fixture('seeds')] });
    const keys = found.map((f) => [f.location!.file, f.location!.doc!, f.location!.line!] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
    expect(found.map((f) => f.ruleId)).toEqual(['NP002', 'NP006', 'NP010']);
  });

  test('without a Namespace manifest, a namespace finding points at the first workload of the namespace', () => {
    const found = lintFiles([fixture('np003/noncompliant.yaml'), fixture('np002/egress-without-ingress.yaml')]).filter(
      (f) => f.ruleId === 'NP003',
    );
    expect(found.map((f) => [f.object.name, f.location])).toEqual([
      ['data', { file: fixture('np002/egress-without-ingress.yaml'), doc: 2, line: 21 }],
      ['shop', { file: fixture('np003/noncompliant.yaml'), doc: 0, line: 2 }],
    ]);
  });

  test('the cluster option reads workloads from other paths only', () => {
    const withCluster = lintFiles([fixture('seeds/policies.yaml')], { cluster: [fixture('seeds/cluster.yaml')] });
    expect(withCluster.map((f) => f.ruleId)).toEqual(['NP002', 'NP006', 'NP010']);
  });

  test('warnings about the input go to onWarning, and skipInvalid keeps the documents before a syntax error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-'));
    try {
      const file = path.join(dir, 'broken.yaml');
      fs.writeFileSync(file, `${fs.readFileSync(fixture('np009/noncompliant.yaml'), 'utf8')}---\nkind: [\n`);
      const warnings: string[] = [];
      const found = lintFiles([file], { skipInvalid: true, onWarning: (m) => warnings.push(m) });
      expect(found.filter((f) => f.ruleId === 'NP009')).toHaveLength(2);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^.*broken\.yaml:\d+: YAML syntax error in document 1: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects a path that does not exist', () => {
    expect(() => lintFiles(['no/such/file.yaml'])).toThrow('no/such/file.yaml: no such file or folder');
  });
});
