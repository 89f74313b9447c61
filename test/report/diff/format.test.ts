import { ConnectivityDiff, diffPolicies, FlowChange } from '../../../lib/analysis/diff';
import { ConnectionSet } from '../../../lib/model/connection-set';
import { Reach } from '../../../lib/model/reach';
import { Peer } from '../../../lib/model/peer';
import { Port, Protocol } from '../../../lib/model/port';
import { DIFF_FORMATS, DIFF_MARKER, diffChunks, diffJson, formatDiff, formatDiffMarkdown, formatDiffText } from '../../../lib/report/diff';
import { cluster, policy, rule, workload } from '../diagram/helpers';
import { Direction } from '../../../lib/model/rule';

const c = cluster([workload('shop', 'web', { app: 'web' }), workload('shop', 'backend', { app: 'backend' })]);
const deny = policy('shop', 'default-deny', {}, [Direction.INGRESS, Direction.EGRESS]);
const backend = (db: string, ...ports: Port[]) =>
  policy('shop', 'backend', { app: 'backend' }, [Direction.INGRESS, Direction.EGRESS], {
    ingress: [rule([Peer.pods({ app: 'web' })], ...ports)],
    egress: [rule([Peer.cidr(db)], Port.tcp(5432))],
  });
const web = policy('shop', 'web', { app: 'web' }, [Direction.EGRESS], { egress: [rule([Peer.pods({ app: 'backend' })])] });

/** staging → prod: the database moves, and the backend opens 8443 next to 8080. */
const diff = () =>
  diffPolicies([deny, web, backend('10.11.0.5/32', Port.tcp(8080))], [deny, web, backend('10.20.0.0/24', Port.tcp(8080), Port.tcp(8443))], {
    cluster: c,
  });
const labels = { before: 'staging', after: 'prod' };

describe('formatDiffText', () => {
  test('prints the summary, a table per kind of change, and the changed policies', () => {
    expect(formatDiffText(diff(), labels)).toBe(
      [
        'staging → prod: 1 flow added, 1 removed, 1 changed',
        '',
        'Added (allowed now, not before)',
        '  FROM          TO            ALLOWED',
        '  shop/backend  10.20.0.0/24  TCP 5432',
        '',
        'Removed (allowed before, not now)',
        '  FROM          TO            WAS ALLOWED',
        '  shop/backend  10.11.0.5/32  TCP 5432',
        '',
        'Changed ports',
        '  FROM      TO            BEFORE    AFTER',
        '  shop/web  shop/backend  TCP 8080  TCP 8080,8443',
        '',
        'Policies changed',
        '  shop/backend (changed; 3 flows of its pods changed)',
        '    + ingress from pods app=web: TCP 8443',
        '    - egress to 10.11.0.5/32: TCP 5432',
        '    + egress to 10.20.0.0/24: TCP 5432',
        '',
      ].join('\n'),
    );
  });

  test('says there is no change when there is none', () => {
    const same = diffPolicies([deny, web], [web, deny], { cluster: c });
    expect(formatDiffText(same)).toBe('no change in allowed connectivity\n');
  });
});

describe('formatDiffMarkdown', () => {
  test('writes a PR comment: marker, heading, tables, and the policy changes as a diff block', () => {
    expect(formatDiffMarkdown(diff(), labels)).toBe(
      [
        DIFF_MARKER,
        '### NetworkPolicy diff: `staging` → `prod`: 1 flow added, 1 removed, 1 changed',
        '',
        'This change **allows connections that were not allowed before**.',
        '',
        '**Added: allowed now, not before**',
        '',
        '| From | To | Allowed |',
        '| --- | --- | --- |',
        '| `shop/backend` | `10.20.0.0/24` | TCP 5432 |',
        '',
        '**Removed: allowed before, not now**',
        '',
        '| From | To | Was allowed |',
        '| --- | --- | --- |',
        '| `shop/backend` | `10.11.0.5/32` | TCP 5432 |',
        '',
        '**Changed ports**',
        '',
        '| From | To | Before | After |',
        '| --- | --- | --- | --- |',
        '| `shop/web` | `shop/backend` | TCP 8080 | TCP 8080,8443 |',
        '',
        '<details><summary>1 policy changed</summary>',
        '',
        '```diff',
        '@@ shop/backend (changed; 3 flows of its pods changed) @@',
        '+ ingress from pods app=web: TCP 8443',
        '- egress to 10.11.0.5/32: TCP 5432',
        '+ egress to 10.20.0.0/24: TCP 5432',
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  test('cuts long tables and says how many rows were left out', () => {
    const md = formatDiffMarkdown(diffPolicies([], [deny], { cluster: c }), { maxRows: 2 });
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(2);
    expect(md).toMatch(/_… and \d+ more; run `netpol diff` locally to see them all._/);
    expect(md).not.toContain('allows connections that were not allowed before');
  });

  test('keeps names with Markdown characters literal', () => {
    const odd = cluster([workload('x', 'a|b*c_', { app: 'odd' }), workload('x', 'b', { app: 'b' })]);
    const md = formatDiffMarkdown(diffPolicies([], [policy('x', 'deny', { app: 'odd' }, [Direction.INGRESS])], { cluster: odd }));
    expect(md).toContain('| `x/b` | `x/a\\|b*c_` | All Connections |');
  });
});

describe('diffJson', () => {
  test('gives each flow its ends, the sets before and after, and what was added and removed', () => {
    const j = diffJson(diff(), labels);
    expect(j.before).toBe('staging');
    expect(j.summary).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(j.widens).toBe(true);
    expect(j.flows[1]).toEqual({
      change: 'added',
      from: { type: 'workload', name: 'shop/backend' },
      to: { type: 'external', name: '10.20.0.0/24', addresses: ['10.20.0.0/24'] },
      before: { connections: 'No Connections', ports: {} },
      after: { connections: 'TCP 5432', ports: { TCP: [[5432, 5432]] } },
      added: { connections: 'TCP 5432', ports: { TCP: [[5432, 5432]] } },
      removed: { connections: 'No Connections', ports: {} },
    });
    expect(j.flows[2].added).toEqual({ connections: 'TCP 8443', ports: { TCP: [[8443, 8443]] } });
    expect(j.policies).toEqual([
      {
        id: 'shop/backend',
        change: 'changed',
        details: ['+ ingress from pods app=web: TCP 8443', '- egress to 10.11.0.5/32: TCP 5432', '+ egress to 10.20.0.0/24: TCP 5432'],
        flows: 3,
      },
    ]);
  });
});

describe('formatDiff', () => {
  test('picks the format', () => {
    expect(formatDiff(diff(), { output: 'json' })).toBe(`${JSON.stringify(diffJson(diff()), null, 2)}\n`);
    expect(formatDiff(diff()).startsWith('1 flow added')).toBe(true);
  });

  test('in pieces, each format is the text of formatDiff, and the JSON that of JSON.stringify', () => {
    const empty = diffPolicies([deny], [deny], { cluster: c });
    for (const d of [diff(), empty]) {
      for (const output of DIFF_FORMATS) {
        const pieces = [...diffChunks(d, { output, ...labels })];
        if (d !== empty) expect(pieces.length).toBeGreaterThan(1);
        expect(pieces.join('')).toBe(formatDiff(d, { output, ...labels }));
      }
      expect(formatDiff(d, { output: 'json', ...labels })).toBe(`${JSON.stringify(diffJson(d, labels), null, 2)}\n`);
      expect(formatDiff(d, { output: 'json' })).toBe(`${JSON.stringify(diffJson(d), null, 2)}\n`);
    }
    expect(formatDiff(empty, { output: 'json' })).toContain('"flows": [],\n  "policies": []\n}\n');
  });

  test('throws for an unknown format', () => {
    expect(() => diffChunks(diff(), { output: 'yaml' as any })).toThrow('output format "yaml" is not known; use text, json, markdown');
    expect(() => formatDiff(diff(), { output: 'yaml' as any })).toThrow('output format "yaml" is not known; use text, json, markdown');
  });
});

describe('size', () => {
  test('formatDiffText aligns 150,000 added flows without a stack overflow', () => {
    const none = ConnectionSet.none();
    const tcp = ConnectionSet.port(Protocol.TCP, 443);
    const flows: FlowChange[] = Array.from({ length: 150_000 }, (_, i) => {
      const w = workload(`ns${i % 300}`, `w${i}`, { app: `a${i}` });
      return {
        change: 'added',
        from: { type: 'workload', workload: w, name: `ns${i % 300}/w${i}` },
        to: { type: 'workload', workload: w, name: 'shop/backend' },
        before: none,
        after: tcp,
        added: tcp,
        removed: none,
        beforeReach: Reach.none(),
        afterReach: Reach.of(tcp),
        widens: true,
      };
    });
    const big: ConnectivityDiff = { flows, policies: [], summary: { added: flows.length, removed: 0, changed: 0 }, widens: true };
    const lines = formatDiffText(big, { detail: 'workloads' }).split('\n');
    expect(lines.slice(0, 4)).toEqual([
      '150000 flows added, 0 removed, 0 changed',
      '',
      'Added (allowed now, not before)',
      `  ${'FROM'.padEnd('ns299/w149999'.length)}  TO            ALLOWED`,
    ]);
    expect(lines[4]).toBe(`  ${'ns0/w0'.padEnd('ns299/w149999'.length)}  shop/backend  TCP 443`);
    expect(lines.length).toBe(4 + 150_000 + 1);
    // by default, past 10,000 flows, one row per namespace's group: its workloads all reach the backend alike
    const grouped = formatDiffText(big).split('\n');
    expect(grouped.slice(0, 2)).toEqual([
      '150000 flows added, 0 removed, 0 changed',
      '150000 changed flows shown as 300 between 301 workload groups and address ranges; --detail workloads lists every flow',
    ]);
    expect(grouped[5]).toMatch(/^ {2}ns0\/w0 \(\+499\) +shop\/backend +500 {2}TCP 443$/);
    expect(grouped.filter((l) => l.endsWith('  500  TCP 443'))).toHaveLength(300);
  });
});
