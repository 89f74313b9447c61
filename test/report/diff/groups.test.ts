import fc from 'fast-check';
import { diffPolicies } from '../../../lib/analysis/diff';
import { Peer } from '../../../lib/model/peer';
import { Port } from '../../../lib/model/port';
import { Direction } from '../../../lib/model/rule';
import { DIFF_GROUP_ABOVE, diffChunks, diffJson, formatDiff, groupDiff } from '../../../lib/report/diff';
import { cluster, policy, rule, workload } from '../diagram/helpers';

/**
 * Three web replicas that the policies do not tell apart call the backend, which opens 8443 next
 * to 8080; two caches start talking to each other (and each to itself) on 6379.
 */
const c = cluster([
  ...['web-1', 'web-2', 'web-3'].map((n) => workload('shop', n, { app: 'web' })),
  workload('shop', 'backend', { app: 'backend' }),
  ...['cache-a', 'cache-b'].map((n) => workload('shop', n, { app: 'cache' })),
]);
const deny = policy('shop', 'default-deny', {}, [Direction.INGRESS, Direction.EGRESS]);
const web = policy('shop', 'web', { app: 'web' }, [Direction.EGRESS], { egress: [rule([Peer.pods({ app: 'backend' })])] });
const backend = (...ports: Port[]) =>
  policy('shop', 'backend', { app: 'backend' }, [Direction.INGRESS], { ingress: [rule([Peer.pods({ app: 'web' })], ...ports)] });
const cache = (on: boolean) =>
  policy(
    'shop',
    'cache',
    { app: 'cache' },
    [Direction.INGRESS, Direction.EGRESS],
    on
      ? { ingress: [rule([Peer.pods({ app: 'cache' })], Port.tcp(6379))], egress: [rule([Peer.pods({ app: 'cache' })], Port.tcp(6379))] }
      : {},
  );
const diff = () =>
  diffPolicies([deny, web, backend(Port.tcp(8080)), cache(false)], [deny, web, backend(Port.tcp(8080), Port.tcp(8443)), cache(true)], {
    cluster: c,
  });
const options = { before: 'a', after: 'b', groupAbove: 6 };
const LINE = '7 changed flows shown as 2 between 3 workload groups and address ranges; --detail workloads lists every flow';

describe('the grouped diff', () => {
  test('text: past groupAbove changed flows, one row per pair of groups with PAIRS, a line saying so and the groups', () => {
    expect(formatDiff(diff(), options)).toBe(
      [
        'a → b: 4 flows added, 0 removed, 3 changed',
        LINE,
        '',
        'Added (allowed now, not before)',
        '  FROM               TO                 PAIRS  ALLOWED',
        '  shop/cache-a (+1)  shop/cache-a (+1)      4  TCP 6379',
        '',
        'Changed ports',
        '  FROM             TO            PAIRS  BEFORE    AFTER',
        '  shop/web-1 (+2)  shop/backend      3  TCP 8080  TCP 8080,8443',
        '',
        'Workload groups',
        '  GROUP              WORKLOADS',
        '  shop/cache-a (+1)  shop/cache-a, shop/cache-b',
        '  shop/web-1 (+2)    shop/web-1, shop/web-2, shop/web-3',
        '',
        'Policies changed',
        '  shop/backend (changed; 3 flows of its pods changed)',
        '    + ingress from pods app=web: TCP 8443',
        '  shop/cache (changed; 4 flows of its pods changed)',
        '    + ingress from pods app=cache: TCP 6379',
        '    + egress to pods app=cache: TCP 6379',
        '',
      ].join('\n'),
    );
  });

  test('up to groupAbove changed flows, or with detail workloads, every flow as before', () => {
    const d = diff();
    const plain = formatDiff(d, { before: 'a', after: 'b' });
    expect(plain).toContain('  shop/web-2  shop/backend  TCP 8080  TCP 8080,8443\n');
    expect(plain).not.toContain('PAIRS');
    expect(formatDiff(d, { ...options, groupAbove: 7 })).toBe(plain);
    expect(formatDiff(d, { ...options, detail: 'workloads' })).toBe(plain);
    expect(formatDiff(d, { before: 'a', after: 'b', detail: 'groups' })).toBe(formatDiff(d, options));
    expect(DIFF_GROUP_ABOVE).toBe(10_000);
    expect(groupDiff(d)).toBeUndefined();
  });

  test('asked again for the same diff and options, gives the grouping it made before', () => {
    const d = diff();
    const first = groupDiff(d, { detail: 'groups' });
    expect(first).toBeDefined();
    expect(groupDiff(d, { detail: 'groups' })).toBe(first);
    expect(groupDiff(d, { detail: 'auto', groupAbove: 6 })).toEqual(first);
    expect(groupDiff(d, { detail: 'auto', groupAbove: 6 })).not.toBe(first);
    expect(groupDiff(diff(), { detail: 'groups' })).not.toBe(first);
  });

  test('Markdown: the line in italics, a Pairs column and the groups in a collapsed table', () => {
    const md = formatDiff(diff(), { ...options, output: 'markdown' });
    expect(md).toContain(`\n_${LINE}_\n`);
    expect(md).toContain(
      '| From | To | Pairs | Before | After |\n| --- | --- | --- | --- | --- |\n| `shop/web-1 (+2)` | `shop/backend` | 3 | TCP 8080 | TCP 8080,8443 |\n',
    );
    expect(md).toContain(
      '<details><summary>2 workload groups</summary>\n\n| Group | Workloads |\n| --- | --- |\n' +
        '| `shop/cache-a (+1)` | `shop/cache-a`, `shop/cache-b` |\n| `shop/web-1 (+2)` | `shop/web-1`, `shop/web-2`, `shop/web-3` |\n',
    );
  });

  test('JSON gains fields only: grouped, groups, pairs and the workloads of a group end', () => {
    const d = diff();
    const json = JSON.parse(formatDiff(d, { ...options, output: 'json' }));
    expect(json).toEqual(diffJson(d, options));
    expect(json.grouped).toBe(LINE);
    expect(json.groups).toEqual([
      { name: 'shop/cache-a (+1)', workloads: ['shop/cache-a', 'shop/cache-b'] },
      { name: 'shop/web-1 (+2)', workloads: ['shop/web-1', 'shop/web-2', 'shop/web-3'] },
    ]);
    expect(json.flows.map((f: { pairs: number; change: string; from: unknown; to: unknown }) => [f.pairs, f.change, f.from, f.to])).toEqual(
      [
        [
          4,
          'added',
          { type: 'workload', name: 'shop/cache-a (+1)', workloads: ['shop/cache-a', 'shop/cache-b'] },
          { type: 'workload', name: 'shop/cache-a (+1)', workloads: ['shop/cache-a', 'shop/cache-b'] },
        ],
        [
          3,
          'changed',
          { type: 'workload', name: 'shop/web-1 (+2)', workloads: ['shop/web-1', 'shop/web-2', 'shop/web-3'] },
          { type: 'workload', name: 'shop/backend' },
        ],
      ],
    );
    // every other field as the ungrouped flow's
    const plain = diffJson(d);
    const { pairs, from, to, ...rest } = json.flows[1];
    expect([pairs, from.name, to.name]).toEqual([3, 'shop/web-1 (+2)', 'shop/backend']);
    expect(rest).toEqual((({ from: _f, to: _t, ...r }) => r)(plain.flows.find((f) => f.from.name === 'shop/web-1')!));
    expect(Object.keys(plain)).toEqual(['summary', 'widens', 'flows', 'policies']);
  });

  test('throws for an unknown detail before the first piece', () => {
    expect(() => diffChunks(diff(), { detail: 'pods' as never })).toThrow('detail "pods" is not known; use auto, groups, workloads');
    expect(() => diffChunks(diff(), { groupAbove: -1 })).toThrow(
      'the rows above which a diff is grouped must be a whole number, 0 or more, not -1',
    );
  });
});

test('property: the grouped rows stand for exactly the changed flows, each once, with what changed', () => {
  const APPS = ['web', 'api', 'db'];
  const peer = fc.constantFrom(...APPS).map((app) => Peer.pods({ app }));
  const pol = fc.record({
    app: fc.constantFrom(...APPS),
    from: fc.array(peer, { maxLength: 2 }),
    port: fc.constantFrom(Port.tcp(80), Port.tcp(443), Port.udp(53)),
  });
  const side = fc.array(pol, { maxLength: 3 });
  const apps = fc.array(fc.constantFrom(...APPS), { minLength: 1, maxLength: 7 });
  fc.assert(
    fc.property(side, side, apps, (before, after, ws) => {
      const toPolicies = (ps: typeof before) =>
        ps.map((p, i) =>
          policy('ns', `p${i}`, { app: p.app }, [Direction.INGRESS], { ingress: p.from.length > 0 ? [rule(p.from, p.port)] : [] }),
        );
      const cl = cluster(ws.map((app, i) => workload('ns', `w${i}`, { app })));
      const d = diffPolicies(toPolicies(before), toPolicies(after), { cluster: cl });
      const g = groupDiff(d, { detail: 'groups' })!;
      const members = new Map(g.groups.map((x) => [x.name, x.workloads]));
      const expand = (name: string) => members.get(name) ?? [name];
      const rows: string[] = [];
      for (const f of g.flows) {
        let n = 0;
        for (const a of expand(f.from.name)) {
          for (const b of expand(f.to.name)) {
            rows.push(`${a}>${b}:${f.change}:${f.beforeReach}:${f.afterReach}`);
            n++;
          }
        }
        expect(f.pairs).toBe(n);
      }
      const expected = d.flows.map((f) => `${f.from.name}>${f.to.name}:${f.change}:${f.beforeReach}:${f.afterReach}`);
      expect(rows.sort()).toEqual(expected.sort());
    }),
    { numRuns: 100 },
  );
});
