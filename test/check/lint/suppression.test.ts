/**
 * Suppressions: `netpol.dev/lint-suppress` on the object, each entry with a reason; a
 * suppression without one is itself a finding (NP012) and suppresses nothing.
 */
import { failsAt, lint, lintFiles, parseSuppressions } from '../../../lib/check/lint';
import { Policy } from '../../../lib/model/policy';
import { Rule, Direction } from '../../../lib/model/rule';
import { fixture } from './helpers';

describe('parseSuppressions', () => {
  test('reads entries separated by semicolons, keeping a semicolon inside a reason', () => {
    expect(parseSuppressions('NP001: DNS is served by a sidecar; NP008: VPN only; see ticket 12').entries).toEqual([
      { ruleId: 'NP001', reason: 'DNS is served by a sidecar' },
      { ruleId: 'NP008', reason: 'VPN only; see ticket 12' },
    ]);
  });

  test('reads entries on separate lines, and an entry without a reason as an empty reason', () => {
    expect(parseSuppressions('NP003: batch only\nNP004\n').entries).toEqual([
      { ruleId: 'NP003', reason: 'batch only' },
      { ruleId: 'NP004', reason: '' },
    ]);
  });

  test('reports text that is not an entry, and a lower-case id with the fix', () => {
    expect(parseSuppressions('np009: lower; ignore everything').problems).toEqual([
      {
        text: 'np009: lower; ignore everything',
        problem: '"np009: lower; ignore everything" names the rule "np009"; rule ids are upper case, write "NP009"',
      },
    ]);
    expect(parseSuppressions('ignore everything').problems).toEqual([
      {
        text: 'ignore everything',
        problem: '"ignore everything" is not a suppression; write "NPnnn: reason", e.g. "NP001: DNS is served by a sidecar"',
      },
    ]);
  });
});

describe('suppressed findings', () => {
  test('a policy annotation with reasons suppresses its findings, which keep their reason', () => {
    const found = lintFiles([fixture('suppression/with-reasons.yaml')]);
    const np009 = found.find((f) => f.ruleId === 'NP009');
    expect(np009?.suppression).toEqual({ reason: 'the crawler fetches arbitrary public sites; egress is metered by the NAT gateway' });
    expect(found.filter((f) => f.ruleId === 'NP012')).toEqual([]);
  });

  test('a suppression on a policy does not reach findings about its namespace', () => {
    const found = lintFiles([fixture('suppression/with-reasons.yaml')]);
    expect(found.find((f) => f.ruleId === 'NP003')).toMatchObject({ object: { kind: 'Namespace', name: 'jobs' } });
    expect(found.find((f) => f.ruleId === 'NP003')?.suppression).toBeUndefined();
  });

  test('a Namespace annotation suppresses namespace-wide findings', () => {
    const found = lintFiles([fixture('suppression/suppressed.yaml')]);
    expect(found.filter((f) => f.object.kind === 'Namespace').map((f) => [f.ruleId, f.suppression?.reason])).toEqual([
      ['NP003', 'the namespace only serves public static content'],
      ['NP004', 'egress is filtered by the cloud firewall'],
    ]);
  });

  test('an entry without a reason suppresses nothing and is reported as NP012', () => {
    const found = lintFiles([fixture('suppression/suppressed.yaml')]);
    expect(found.find((f) => f.ruleId === 'NP009')?.suppression).toBeUndefined();
    expect(found.find((f) => f.ruleId === 'NP008')?.suppression).toEqual({ reason: 'the cache holds public data only' });
    expect(found.filter((f) => f.ruleId === 'NP012').map((f) => f.message)).toEqual([
      'the suppression of NP009 gives no reason, so it suppresses nothing',
    ]);
  });

  test('unknown ids and malformed entries are reported and suppress nothing', () => {
    const found = lintFiles([fixture('suppression/malformed.yaml')]);
    expect(found.filter((f) => f.ruleId === 'NP012').map((f) => f.message)).toEqual([
      'the suppression names the rule NP099, which does not exist (suppressible rules: NP001, NP002, NP003, NP004, NP005, NP006, NP007, NP008, NP009, NP010, NP011, NP013, NP014, NP015, NP016, NP017, NP018), so it suppresses nothing',
      '"np009: lower case id" names the rule "np009"; rule ids are upper case, write "NP009"; it suppresses nothing',
    ]);
    expect(found.find((f) => f.ruleId === 'NP009')?.suppression).toBeUndefined();
  });

  test('NP012 cannot be suppressed', () => {
    const p = Policy.of({
      name: 'w',
      namespace: 'jobs',
      policyTypes: [Direction.EGRESS],
      egress: [Rule.of([], [])],
      annotations: { 'netpol.dev/lint-suppress': 'NP009; NP012: please' },
    });
    const np012 = lint([p]).filter((f) => f.ruleId === 'NP012');
    expect(np012.map((f) => [f.message, f.suppression])).toEqual([
      ['the suppression of NP009 gives no reason, so it suppresses nothing', undefined],
      ['NP012 reports broken suppressions and cannot be suppressed itself, so this entry suppresses nothing', undefined],
    ]);
  });

  test('suppressed findings do not fail the run; namespace annotations can be given to lint directly', () => {
    const p = Policy.of({
      name: 'w',
      namespace: 'jobs',
      policyTypes: [Direction.EGRESS],
      egress: [Rule.of([], [])],
      annotations: { 'netpol.dev/lint-suppress': 'NP009: crawler; NP013: every job of the namespace crawls' },
    });
    const found = lint([p], undefined, { namespaceAnnotations: { jobs: { 'netpol.dev/lint-suppress': 'NP003: batch jobs only' } } });
    expect(found.map((f) => [f.ruleId, f.suppression?.reason])).toEqual([
      ['NP003', 'batch jobs only'],
      ['NP009', 'crawler'],
      ['NP013', 'every job of the namespace crawls'],
    ]);
    expect(failsAt(found, 'info')).toBe(false);
  });
});
