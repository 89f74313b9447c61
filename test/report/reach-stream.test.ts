/**
 * The reach reports written piece by piece and grouped, against the list of connections the
 * analysis gives (`Analysis.connections()`): random policies over a small cluster where several
 * workloads share their labels (so that groups have more than one member) and some pods have no
 * known IP (so that ipBlock peers make answers depend on them).
 */
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { analyze, Analysis, Probe } from '../../lib/analysis';
import { compareStrings } from '../../lib/model/order';
import { Protocol } from '../../lib/model/port';
import { connectionsJson, formatReachability, probesJson, reachChunks } from '../../lib/report';
import { terminalText } from '../../lib/report/escape';
import { manifests } from '../analysis/helpers';

const NAMESPACES = ['red', 'blue'];
const APPS = ['web', 'api', 'db'];
// web-1 and web-2 share their labels; db has no known IP
const CLUSTER = [
  ...NAMESPACES.map((ns, i) => `kind: Namespace\nmetadata: {name: ${ns}, labels: {team: t${i}}}`),
  ...NAMESPACES.flatMap((ns, i) =>
    ['web-1', 'web-2', 'api', 'db'].map(
      (name, j) =>
        `kind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name.replace(/-\d$/, '')}}}\n` +
        `spec: {containers: [{name: c, ports: [{containerPort: 80, name: http}]}]}\n` +
        (name === 'db' ? '' : `status: {podIP: 10.1.${i}.${j + 1}}`),
    ),
  ),
].join('\n---\n');

const selectorArb = (key: string, values: readonly string[]) =>
  fc.oneof(
    fc.constant({}),
    fc.constantFrom(...values).map((v) => ({ matchLabels: { [key]: v } })),
  );
const peerArb = fc.oneof(
  selectorArb('app', APPS).map((podSelector) => ({ podSelector })),
  selectorArb('team', ['t0', 't1']).map((namespaceSelector) => ({ namespaceSelector })),
  fc.constantFrom({ cidr: '10.1.0.0/16', except: ['10.1.1.0/24'] }, { cidr: '0.0.0.0/0' }).map((ipBlock) => ({ ipBlock })),
);
const portArb = fc.oneof(fc.constantFrom({ port: 80 }, { port: 53, protocol: 'UDP' }, { port: 'http' }));
const ruleArb = fc.record({
  peers: fc.option(fc.array(peerArb, { minLength: 1, maxLength: 2 })),
  ports: fc.array(portArb, { maxLength: 2 }),
});
const policyArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selectorArb('app', APPS),
  ingress: fc.option(fc.array(ruleArb, { maxLength: 2 })),
  egress: fc.option(fc.array(ruleArb, { maxLength: 2 })),
});

type PolicySpec = typeof policyArb extends fc.Arbitrary<infer T> ? T : never;

function analysisOf(policies: PolicySpec[]): Analysis {
  const docs = policies.map((p, i) => {
    const rule = (key: 'from' | 'to') => (r: { peers: unknown[] | null; ports: unknown[] }) => ({
      ...(r.peers ? { [key]: r.peers } : {}),
      ...(r.ports.length > 0 ? { ports: r.ports } : {}),
    });
    return stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace: p.namespace },
      spec: {
        podSelector: p.podSelector,
        policyTypes: [...(p.ingress ? ['Ingress'] : []), ...(p.egress ? ['Egress'] : [])],
        ...(p.ingress ? { ingress: p.ingress.map(rule('from')) } : {}),
        ...(p.egress ? { egress: p.egress.map(rule('to')) } : {}),
      },
    });
  });
  const m = manifests([CLUSTER, ...docs].join('\n---\n'));
  return analyze(m.policies, { ...m.cluster, complete: true });
}

/** The table as the analysis's own list of connections gives it, sorted and aligned. */
function referenceTable(a: Analysis): string {
  const rows = a
    .connections()
    .map((c) => [a.nameOf(c.from), a.nameOf(c.to), c.reach.toString()].map(terminalText))
    .sort((x, y) => compareStrings(x[0], y[0]) || compareStrings(x[1], y[1]));
  if (rows.length === 0) return 'No connections are allowed.\n';
  const table = [['FROM', 'TO', 'ALLOWED'], ...rows];
  const widths = [0, 1].map((i) => Math.max(...table.map((r) => r[i].length)));
  return table.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`).join('\n') + '\n';
}

const PROBES: Probe[] = [
  { port: 80, protocol: Protocol.TCP },
  { port: 53, protocol: Protocol.UDP },
];

test('the table and JSON written piece by piece are those of the analysis connections, sorted', () => {
  fc.assert(
    fc.property(fc.array(policyArb, { maxLength: 4 }), (policies) => {
      const a = analysisOf(policies);
      expect(formatReachability(a, { detail: 'workloads' })).toBe(referenceTable(a));
      const json = JSON.parse(formatReachability(a, { output: 'json', detail: 'workloads' }));
      expect(json).toEqual(connectionsJson(a));
      expect(json.connections.map((c: { from: string; to: string }) => `${c.from} ${c.to}`)).toEqual(
        a
          .connections()
          .map((c) => [a.nameOf(c.from), a.nameOf(c.to)])
          .sort((x, y) => compareStrings(x[0], y[0]) || compareStrings(x[1], y[1]))
          .map(([f, t]) => `${f} ${t}`),
      );
    }),
    { numRuns: 40 },
  );
});

test('every pair of workloads in a group flow is allowed what the flow says, and the pairs add up to the full list', () => {
  fc.assert(
    fc.property(fc.array(policyArb, { maxLength: 4 }), (policies) => {
      const a = analysisOf(policies);
      const full = new Map(a.connections().map((c) => [`${a.nameOf(c.from)} ${a.nameOf(c.to)}`, c.reach.toString()] as const));
      const grouped = JSON.parse(formatReachability(a, { output: 'json', detail: 'groups' }));
      const members = new Map<string, string[]>(grouped.groups.map((g: { name: string; workloads: string[] }) => [g.name, g.workloads]));
      const expand = (name: string) => members.get(name) ?? [name];
      const seen = new Map<string, string>();
      for (const f of grouped.connections as Array<{ from: string; to: string; pairs: number; connections: string }>) {
        const pairs = expand(f.from).flatMap((x) =>
          expand(f.to)
            .filter((y) => y !== x)
            .map((y) => `${x} ${y}`),
        );
        expect(pairs).toHaveLength(f.pairs);
        for (const p of pairs) seen.set(p, f.connections);
      }
      expect(grouped.flows).toBe(full.size);
      expect([...seen.keys()].sort()).toEqual([...full.keys()].sort());
      for (const c of a.connections()) expect(seen.get(`${a.nameOf(c.from)} ${a.nameOf(c.to)}`)).toBe(c.allowed.toString());
    }),
    { numRuns: 40 },
  );
});

test('probe answers written piece by piece are those of Analysis.reach, and grouped ones hold for every member pair', () => {
  fc.assert(
    fc.property(fc.array(policyArb, { maxLength: 4 }), (policies) => {
      const a = analysisOf(policies);
      const full = probesJson(a, PROBES).connections;
      for (const c of full) expect(c.verdict).toBe(a.reach(c.from, c.to).verdict(c.port, c.protocol).value);
      expect(JSON.parse(formatReachability(a, { output: 'json', probes: PROBES, detail: 'workloads' }))).toEqual({ connections: full });
      const grouped = JSON.parse(formatReachability(a, { output: 'json', probes: PROBES, detail: 'groups' }));
      const members = new Map<string, string[]>(grouped.groups.map((g: { name: string; workloads: string[] }) => [g.name, g.workloads]));
      let pairs = 0;
      for (const g of grouped.connections as Array<{
        from: string;
        to: string;
        port: number;
        protocol: Protocol;
        verdict: string;
        pairs: number;
      }>) {
        for (const x of members.get(g.from)!) {
          for (const y of members.get(g.to)!.filter((w) => w !== x)) {
            expect(a.reach(x, y).verdict(g.port, g.protocol).value).toBe(g.verdict);
            pairs++;
          }
        }
      }
      expect(pairs).toBe(full.length);
      expect(grouped.flows * PROBES.length).toBe(full.length);
    }),
    { numRuns: 30 },
  );
});

test('auto groups only above the row limit, and only when grouping makes the report shorter', () => {
  const a = analysisOf([]);
  const rows = a.connections().length;
  expect(reachChunks(a, { groupAbove: rows }).grouped).toBeUndefined();
  expect(reachChunks(a, { groupAbove: rows - 1 }).grouped).toBe(
    `${rows} flows shown as 12 between 2 workload groups and address ranges; --detail workloads lists every flow`,
  );
  expect(formatReachability(a, { groupAbove: rows - 1 })).toBe(formatReachability(a, { detail: 'groups' }));
  // no policies: one group per namespace; one workload per group: nothing to gain
  const single = analyze([], { namespaces: [], workloads: [a.workloads[0], a.workloads[4]], complete: true });
  expect(reachChunks(single, { groupAbove: 0 }).grouped).toBeUndefined();
});

test('np-guard has no groups, and an unknown detail is refused naming the option', () => {
  const a = analysisOf([]);
  expect(() => formatReachability(a, { output: 'np-guard', detail: 'groups' })).toThrow(
    'detail: the np-guard format lists one line per pair of owners and has no groups; leave out the detail, or use the table or json output',
  );
  expect(() => formatReachability(a, { detail: 'pods' as 'groups' })).toThrow(
    'detail: detail "pods" is not known; use auto, groups, workloads',
  );
  expect(formatReachability(a, { output: 'np-guard', groupAbove: 0 })).toBe(
    formatReachability(a, { output: 'np-guard', detail: 'workloads' }),
  );
});
