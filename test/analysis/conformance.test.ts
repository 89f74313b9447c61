/**
 * np-guard conformance: every case of ../shared/conformance/np-guard (beside the checkout)
 * through the reader, the analyzer (ipBlocks never match pods, np-guard's convention) and the
 * np-guard report, compared with np-guard's own output as a set of lines. The corpus is not
 * part of the repository; without it, the cases are not run and a test says so.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../lib/analysis';
import { readManifests } from '../../lib/io';
import { formatNpGuard } from '../../lib/report';

const CORPUS = path.resolve(__dirname, '../../../shared/conformance/np-guard');
const present = fs.existsSync(path.join(CORPUS, 'cases.json'));

interface Case {
  readonly case: string;
  readonly tier: string;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function run(name: string, skipInvalid: boolean): string {
  const input = path.join(CORPUS, name, 'input');
  const { policies, cluster } = readManifests([input], { skipInvalid });
  // np-guard takes the manifests as the whole cluster: a namespace without a Namespace object has only its name label
  return formatNpGuard(analyze(policies, { ...cluster, complete: true }, { ipBlockPods: 'ignore' }));
}

if (!present) {
  test('np-guard conformance cases are not run: the corpus is absent', () => {
    const reason = `np-guard conformance corpus not found at ${CORPUS}; it lives in ../shared beside the checkout and is not part of the repository`;
    console.log(`skipping np-guard conformance: ${reason}`);
    expect(fs.existsSync(CORPUS)).toBe(false);
  });
} else {
  const cases: Case[] = JSON.parse(fs.readFileSync(path.join(CORPUS, 'cases.json'), 'utf8')).cases;

  describe('np-guard conformance', () => {
    test('the corpus holds its 51 cases', () => {
      expect(cases).toHaveLength(51);
    });

    test.each(cases.map((c) => [c.case, c.tier]))('%s (%s) gives the connectivity list np-guard gives', (name) => {
      const expected = fs.readFileSync(path.join(CORPUS, name, 'expected.txt'), 'utf8');
      const got = run(name, name === 'document_with_syntax_error');
      const want = new Set(lines(expected));
      const have = new Set(lines(got));
      expect({ missing: [...want].filter((l) => !have.has(l)), unexpected: [...have].filter((l) => !want.has(l)) }).toEqual({
        missing: [],
        unexpected: [],
      });
      // The line order is specified too (sorted by source, then destination, as byte strings).
      expect(got).toBe(expected);
    });

    test('rejects document_with_syntax_error without skipInvalid, naming the file and line', () => {
      expect(() => run('document_with_syntax_error', false)).toThrow(
        /document_with_syntax_error\.yaml:225: YAML syntax error in document 6: .*; fix the file, or pass skipInvalid to analyse only the documents before it/,
      );
    });
  });
}
