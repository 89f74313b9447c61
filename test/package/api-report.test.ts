/**
 * The public surface is deliberate: each entry point's API report in api/ matches what the
 * declarations export (regenerate with `node scripts/api-report.js --update` after a change
 * that is meant), internals stay out, and every import the README shows resolves.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const apiReport = require(path.join(ROOT, 'scripts/api-report.js')) as {
  buildReports(): Record<string, string>;
  compare(fresh: Record<string, string>): string[];
  entryPoints(): Array<{ name: string; subpath: string }>;
};

function reportOf(subpath: string): string {
  const entry = apiReport.entryPoints().find((e) => e.subpath === subpath);
  if (!entry) throw new Error(`no entry point ${subpath}`);
  return fs.readFileSync(path.join(ROOT, 'api', `${entry.name}.api.md`), 'utf8');
}

/** Names an API report declares as exported. */
function exportedNames(report: string): Set<string> {
  return new Set(
    [...report.matchAll(/^export (?:declare )?(?:abstract )?(?:class|interface|function|enum|type|const|namespace) (\w+)/gm)].map(
      (m) => m[1],
    ),
  );
}

test('the API reports in api/ match the declarations of every entry point', () => {
  expect(apiReport.compare(apiReport.buildReports())).toEqual([]);
}, 180_000);

test('the root exports no internals of the model or the analyzer', () => {
  const root = exportedNames(reportOf('.'));
  for (const internal of [
    'goIpNetContains',
    'compareStrings',
    'IssueCollector',
    'joinPath',
    'AppRegistry',
    'deferErrors',
    'analyze',
    'lint',
  ]) {
    expect(root.has(internal)).toBe(false);
  }
});

test('every name the README imports from the package is exported by that entry point', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const imports = [...readme.matchAll(/import \{([^}]*)\} from '(cdk8s-netpol(?:\/[\w/]+)?)'/g)];
  expect(imports.length).toBeGreaterThan(4);
  const missing: string[] = [];
  for (const [, names, spec] of imports) {
    const subpath = spec === 'cdk8s-netpol' ? '.' : `./${spec.slice('cdk8s-netpol/'.length)}`;
    const exported = exportedNames(reportOf(subpath));
    for (const n of names
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!exported.has(n)) missing.push(`${n} from ${spec}`);
    }
  }
  expect(missing).toEqual([]);
});
