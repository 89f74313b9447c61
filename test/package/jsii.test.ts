/**
 * The package root is the construct API of every language cdk8s supports: the jsii compiler
 * (the one that builds cdk8s) accepts it with no error, and its assembly holds every class,
 * interface and enum the root exports, so that none is silently left out of Python, Java, Go
 * or .NET. A control package shows that the check reports what jsii refuses.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const { jsiiCheck } = require(path.join(ROOT, 'scripts/jsii-check.js')) as {
  jsiiCheck(sources?: string): { errors: string[]; types: string[]; output: string };
};

/** Classes, interfaces and enums of the root's API report (type aliases are TypeScript's own). */
function rootDeclarations(): string[] {
  const report = fs.readFileSync(path.join(ROOT, 'api/cdk8s-netpol.api.md'), 'utf8');
  return [...report.matchAll(/^export (?:declare )?(?:abstract )?(?:class|interface|enum) (\w+)/gm)].map((m) => m[1]).sort();
}

test('the package root compiles with the jsii compiler without errors, and its assembly holds every root export', () => {
  const { errors, types } = jsiiCheck();
  expect(errors).toEqual([]);
  expect(types).toEqual(rootDeclarations());
  for (const name of ['Tier', 'DefaultDeny', 'AllowDns', 'ExternalDatabase', 'Peer', 'Port', 'Cidr', 'LabelSelector', 'Environment']) {
    expect(types).toContain(name);
  }
}, 300_000);

test('the check reports each construct jsii refuses, and each warning about the sources, with its file and position', () => {
  const { errors, types } = jsiiCheck(path.join(ROOT, 'test/fixtures/jsii/lib'));
  expect(errors.map((e) => e.replace(/ - (?:error|warning) (JSII\d+):.*/, ' $1')).sort()).toEqual([
    'lib/index.ts:15:19 JSII5019',
    'lib/index.ts:18:10 JSII5016',
    'lib/index.ts:9:19 JSII3001',
  ]);
  expect(errors.find((e) => e.includes('JSII3001'))).toContain('Type "ReadonlyArray" cannot be used as the property type');
  expect(types).toEqual([]);
}, 300_000);
