/**
 * The three outputs: one line per finding, JSON for scripts, and SARIF 2.1.0 for code scanning.
 */
import { Finding, formatJson, formatSarif, formatText, RULES, SARIF_SCHEMA, summaryLine, toSarif } from '../../../lib/check/lint';
import { pathToFileURL } from 'url';
import { lintFiles } from '../../../lib/check/lint';
import { version } from '../../../package.json';
import { fixture } from './helpers';

const split: Finding = {
  ruleId: 'NP010',
  ruleName: 'split-peer',
  severity: 'error',
  object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'api' },
  path: 'spec.ingress[0].from[1]',
  message: 'from[1] (pods app=client) and from[0] (namespace team-a) are separate peers',
  fix: 'merge them into one peer',
  location: { file: 'deploy/api policy.yaml', doc: 2, line: 14 },
};
const namespaceWide: Finding = {
  ruleId: 'NP003',
  ruleName: 'no-default-deny-ingress',
  severity: 'warning',
  object: { kind: 'Namespace', name: 'shop' },
  path: '',
  message: 'namespace shop has no default-deny policy for ingress',
  fix: 'add a DefaultDeny.',
  location: { file: 'deploy/list.yaml', doc: 0, item: 3, line: 40 },
  suppression: { reason: 'public web servers only' },
};
const inCode: Finding = {
  ruleId: 'NP011',
  ruleName: 'shadowed-rule',
  severity: 'info',
  object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'web' },
  path: 'spec.ingress[1]',
  message: 'ingress rule 1 is covered by ingress rule 0',
  fix: 'remove ingress rule 1',
};

describe('text output', () => {
  test('one line per finding: location, object, field path, rule, severity, why and fix', () => {
    expect(formatText([split, inCode])).toBe(
      'deploy/api policy.yaml#2 shop/api spec.ingress[0].from[1]: NP010 error: from[1] (pods app=client) and from[0] (namespace team-a) are separate peers. Fix: merge them into one peer.\n' +
        '- shop/web spec.ingress[1]: NP011 info: ingress rule 1 is covered by ingress rule 0. Fix: remove ingress rule 1.\n',
    );
  });

  test('suppressed findings are left out unless asked for, then marked with their reason', () => {
    expect(formatText([namespaceWide])).toBe('');
    expect(formatText([namespaceWide], { showSuppressed: true })).toBe(
      'deploy/list.yaml#0.items[3] shop: NP003 warning: namespace shop has no default-deny policy for ingress. Fix: add a DefaultDeny. (suppressed: public web servers only)\n',
    );
  });

  test('the summary counts findings that are not suppressed, by severity', () => {
    expect(summaryLine([split, namespaceWide, inCode])).toBe('2 findings (1 error, 1 info), 1 suppressed');
    expect(summaryLine([split, { ...split, path: 'x' }])).toBe('2 findings (2 errors)');
    expect(summaryLine([])).toBe('no findings');
  });
});

describe('JSON output', () => {
  test('lists every finding, suppressed ones with suppressions, and counts', () => {
    const json = JSON.parse(formatJson([split, namespaceWide]));
    expect(json.summary).toEqual({ error: 1, warning: 0, info: 0, suppressed: 1 });
    expect(json.findings[0]).toEqual({
      ruleId: 'NP010',
      ruleName: 'split-peer',
      severity: 'error',
      object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'api' },
      path: 'spec.ingress[0].from[1]',
      message: split.message,
      fix: split.fix,
      location: { file: 'deploy/api policy.yaml', doc: 2, line: 14 },
    });
    expect(json.findings[1].suppressions).toEqual([{ kind: 'inSource', justification: 'public web servers only' }]);
  });
});

describe('SARIF output', () => {
  const log = toSarif([split, namespaceWide, inCode]);

  test('has the log-level fields SARIF 2.1.0 requires', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver.name).toBe('netpol lint');
    expect(log.runs[0].tool.driver.version).toBe(version);
  });

  test('describes every rule with its id, texts and default level', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(rules[0]).toEqual({
      id: 'NP001',
      name: 'egress-without-dns',
      shortDescription: { text: RULES[0].cause },
      fullDescription: { text: RULES[0].explanation },
      help: { text: RULES[0].fix },
      defaultConfiguration: { level: 'error' },
    });
    expect(rules.find((r) => r.id === 'NP011')?.defaultConfiguration).toEqual({ level: 'note' });
  });

  test('each result has ruleId, level, message text, and a physical location with a URI and start line', () => {
    const [a, b, c] = log.runs[0].results;
    expect(a).toMatchObject({
      ruleId: 'NP010',
      ruleIndex: 9,
      level: 'error',
      // square brackets escaped: in SARIF, `[text](id)` is an embedded link
      message: {
        text: 'from\\[1\\] (pods app=client) and from\\[0\\] (namespace team-a) are separate peers. Fix: merge them into one peer.',
      },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'deploy/api%20policy.yaml' }, region: { startLine: 14 } },
          logicalLocations: [{ name: 'api', fullyQualifiedName: 'NetworkPolicy/shop/api', kind: 'resource' }],
        },
      ],
      properties: { object: 'shop/api', kind: 'NetworkPolicy', fieldPath: 'spec.ingress[0].from[1]', document: 2 },
    });
    expect(a.suppressions).toBeUndefined();
    expect(b).toMatchObject({
      level: 'warning',
      suppressions: [{ kind: 'inSource', justification: 'public web servers only' }],
      properties: { item: 3 },
    });
    expect(c.level).toBe('note');
    expect(c.locations).toEqual([{ logicalLocations: [{ name: 'web', fullyQualifiedName: 'NetworkPolicy/shop/web', kind: 'resource' }] }]);
  });

  test('findings of files carry the line of their field; an absolute path becomes a file URI', () => {
    const sarif = JSON.parse(formatSarif(lintFiles([fixture('np010/noncompliant.yaml')])));
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'NP010');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: pathToFileURL(fixture('np010/noncompliant.yaml')).href },
      region: { startLine: 14 },
    });
  });
});
