import fc from 'fast-check';
import { analyze, Analysis } from '../../../lib/analysis/analysis';
import {
  buildDiagram,
  DEFAULT_MAX_EDGES,
  DEFAULT_MAX_GROUPS,
  Diagram,
  endId,
  formatDiagram,
  formatDot,
  formatHtml,
  formatMermaid,
} from '../../../lib/report/diagram';
import { Cluster, namespace, Workload } from '../../../lib/model/cluster';
import { Peer } from '../../../lib/model/peer';
import { Port, Protocol } from '../../../lib/model/port';
import { Reach } from '../../../lib/model/reach';
import { Direction } from '../../../lib/model/rule';
import { cluster, policy, rule, shop, workload } from './helpers';

jest.setTimeout(60_000);

/** Edges as `from -> to: label` lines, `-.->` where dashed. */
function edgeLines(d: Diagram): string[] {
  return d.edges.map((e) => `${endId(e.from)} ${e.depends ? '-.->' : '->'} ${endId(e.to)}: ${e.label}`);
}

/**
 * Namespace a: x may send anything to 10.0.0.0/8 (so to the pods of b only if their IPs lie
 * there, which the analysis does not know), y may send TCP 80 to namespace b; b admits TCP 80
 * and 8080 from namespace a and sends anything anywhere.
 */
function mixed(): Analysis {
  const policies = [
    policy('a', 'x-out', { app: 'x' }, [Direction.EGRESS], { egress: [rule([Peer.cidr('10.0.0.0/8')])] }),
    policy('a', 'y-out', { app: 'y' }, [Direction.EGRESS], { egress: [rule([Peer.namespace('b')], Port.tcp(80))] }),
    policy('b', 'in', {}, [Direction.INGRESS], { ingress: [rule([Peer.namespace('a')], Port.tcp(80), Port.tcp(8080))] }),
  ];
  return analyze(
    policies,
    cluster([
      workload('a', 'x', { app: 'x' }),
      workload('a', 'y', { app: 'y' }),
      workload('b', 'w', { app: 'w' }),
      workload('b', 'z', { app: 'z' }),
    ]),
  );
}

const CAPTION =
  'folded: 2 namespaces, 4 pod groups, one box per namespace (more than 3 pod groups). ' +
  'Use --fold none to draw every pod group, or --namespace for some namespaces';

describe('buildDiagram folding', () => {
  test('folds every namespace into one box with counted edges past maxGroups pod groups', () => {
    const d = buildDiagram(mixed(), { maxGroups: 3 });
    expect(d.folded).toMatchObject({ namespaces: 2, podGroups: 4, caption: CAPTION });
    expect(d.namespaces).toEqual([]);
    expect(d.junctions).toEqual([]);
    expect(d.folded!.boxes.map((b) => [b.id, b.type, b.label])).toEqual([
      [
        'ns_a',
        'namespace',
        ['namespace a', '2 pod groups', 'among them: 2 flows, 2 depend: All Connections if destination IP in 10.0.0.0/8'],
      ],
      ['ns_b', 'namespace', ['namespace b', '2 pod groups']],
    ]);
    expect(d.externals.map((x) => `${x.id} ${x.name}`)).toEqual([
      'src1 0.0.0.0/0; ::/0',
      'dst1 0.0.0.0/0 except 10.0.0.0/8; ::/0',
      'dst2 10.0.0.0/8',
    ]);
    expect(edgeLines(d)).toEqual([
      'src1 -> ns_a: 2 flows: All Connections',
      'ns_a -.-> ns_b: 4 flows, 2 depend: TCP 80; TCP 8080 if destination IP in 10.0.0.0/8',
      'ns_a -> dst2: 1 flow: All Connections',
      'ns_b -> ns_a: 4 flows: All Connections',
      'ns_b -> dst1: 2 flows: All Connections',
      'ns_b -> dst2: 2 flows: All Connections',
    ]);
  });

  test('a folded edge is dashed when any flow under it depends, even where another flow allows the same ports for sure', () => {
    // y's TCP 80 to b is sure, x's depends on the IPs of b's pods: the union alone would read "TCP 80" for sure
    const edge = buildDiagram(mixed(), { fold: 'namespaces' }).edges.find((e) => endId(e.from) === 'ns_a' && endId(e.to) === 'ns_b')!;
    expect(edge).toMatchObject({ depends: true, label: '4 flows, 2 depend: TCP 80; TCP 8080 if destination IP in 10.0.0.0/8' });
  });

  test('keeps the matrix by namespace, within-namespace flows on the diagonal', () => {
    const m = buildDiagram(mixed(), { maxGroups: 3 }).matrix;
    expect(m.sources.map((n) => n.name)).toEqual(['a', 'b', '0.0.0.0/0; ::/0']);
    expect(m.destinations.map((n) => n.name)).toEqual(['a', 'b', '0.0.0.0/0 except 10.0.0.0/8; ::/0', '10.0.0.0/8']);
    expect(m.cells).toEqual([
      [
        '2 flows, 2 depend: All Connections if destination IP in 10.0.0.0/8',
        '4 flows, 2 depend: TCP 80; TCP 8080 if destination IP in 10.0.0.0/8',
        undefined,
        '1 flow: All Connections',
      ],
      ['4 flows: All Connections', undefined, '2 flows: All Connections', '2 flows: All Connections'],
      ['2 flows: All Connections', undefined, undefined, undefined],
    ]);
  });

  test('draws every pod group up to maxGroups, exactly as without folding', () => {
    const a = mixed();
    expect(buildDiagram(a, { maxGroups: 4 })).toEqual(buildDiagram(a, { fold: 'none' }));
    expect(buildDiagram(a, { maxGroups: 4 }).folded).toBeUndefined();
    expect(buildDiagram(a, { fold: 'none', maxGroups: 0 }).folded).toBeUndefined();
  });

  test('folds past 100 pod groups by default, and not at 100', () => {
    expect(DEFAULT_MAX_GROUPS).toBe(100);
    const many = (n: number) => {
      const ws = Array.from({ length: n }, (_, i) => workload(`ns${i % 10}`, `w${i}`, { app: `w${i}` }));
      return analyze([policy('ns0', 'deny', {}, [Direction.INGRESS])], cluster(ws));
    };
    expect(buildDiagram(many(100)).folded).toBeUndefined();
    expect(buildDiagram(many(101)).folded?.caption).toBe(
      'folded: 10 namespaces, 101 pod groups, one box per namespace (more than 100 pod groups). ' +
        'Use --fold none to draw every pod group, or --namespace for some namespaces',
    );
  });

  test('counts the pod groups of the namespaces asked for and of the other ends of their edges', () => {
    // b's groups reach a's (2) and a's reach b's: 4 drawn; c talks to nobody
    const a = analyze(
      [
        policy('c', 'deny', {}, [Direction.INGRESS, Direction.EGRESS]),
        policy('a', 'deny-c', {}, [Direction.EGRESS], { egress: [rule([Peer.namespace('b')])] }),
      ],
      cluster([
        workload('a', 'x', {}),
        workload('a', 'y', { app: 'y' }),
        workload('b', 'w', {}),
        workload('b', 'z', { app: 'z' }),
        workload('c', 'v', {}),
      ]),
    );
    expect(buildDiagram(a, { namespaces: ['b'], maxGroups: 4 }).folded).toBeUndefined();
    const d = buildDiagram(a, { namespaces: ['b'], maxGroups: 3 });
    expect(d.folded!.boxes.map((b) => b.name)).toEqual(['a', 'b']);
    expect(d.folded!.caption).toMatch(/^folded: 2 namespaces, 4 pod groups, one box per namespace \(more than 3 pod groups\)\. /);
    expect(edgeLines(d)).toEqual([
      'src1 -> ns_b: 2 flows: All Connections',
      'ns_a -> ns_b: 4 flows: All Connections',
      'ns_b -> ns_a: 4 flows: All Connections',
      'ns_b -> dst1: 2 flows: All Connections',
    ]);
  });

  test('says "asked for" when folding was asked for', () => {
    const { policies, cluster: c } = shop();
    expect(buildDiagram(analyze(policies, c), { fold: 'namespaces' }).folded?.caption).toBe(
      'folded: 1 namespace, 2 pod groups, one box per namespace (asked for). ' +
        'Use --fold none to draw every pod group, or --namespace for some namespaces',
    );
  });

  test('throws for an unknown folding or a maxGroups that is no count', () => {
    expect(() => buildDiagram(mixed(), { fold: 'workloads' as never })).toThrow(
      'folding "workloads" is not known; use auto, none, namespaces, merge',
    );
    expect(() => buildDiagram(mixed(), { maxGroups: -1 })).toThrow('the most pod groups to draw must be a whole number, 0 or more, not -1');
    expect(() => buildDiagram(mixed(), { maxGroups: 2.5 })).toThrow(
      'the most pod groups to draw must be a whole number, 0 or more, not 2.5',
    );
  });

  test('is deterministic: the same input in another order gives the same folded diagram', () => {
    const { policies, cluster: c } = shop();
    const reversed = { namespaces: c.namespaces, workloads: [...c.workloads].reverse() };
    expect(formatMermaid(buildDiagram(analyze([...policies].reverse(), reversed), { fold: 'namespaces' }))).toBe(
      formatMermaid(buildDiagram(analyze(policies, c), { fold: 'namespaces' })),
    );
  });
});

describe('folded formats', () => {
  test('Mermaid: the caption as the title, one styled box per namespace, dotted where flows depend', () => {
    expect(formatMermaid(buildDiagram(mixed(), { maxGroups: 3 })).split('\n')).toEqual([
      '---',
      `title: "${CAPTION}"`,
      '---',
      'flowchart LR',
      '  ns_a["namespace a<br/>2 pod groups<br/>among them: 2 flows, 2 depend: All Connections if destination IP in 10.0.0.0/8"]',
      '  ns_b["namespace b<br/>2 pod groups"]',
      '  src1(["0.0.0.0/0<br/>::/0"])',
      '  dst1(["0.0.0.0/0 except 10.0.0.0/8<br/>+ ::/0"])',
      '  dst2(["10.0.0.0/8"])',
      '  src1 -->|"2 flows: All Connections"| ns_a',
      '  ns_a -.->|"4 flows, 2 depend: TCP 80#59; TCP 8080 if destination IP in 10.0.0.0/8"| ns_b',
      '  ns_a -->|"1 flow: All Connections"| dst2',
      '  ns_b -->|"4 flows: All Connections"| ns_a',
      '  ns_b -->|"2 flows: All Connections"| dst1',
      '  ns_b -->|"2 flows: All Connections"| dst2',
      '  classDef external fill:#f4f4f4,stroke:#888888,stroke-dasharray:4 3',
      '  class src1,dst1,dst2 external',
      '  classDef folded fill:#eef3f9,stroke:#9db3cc',
      '  class ns_a,ns_b folded',
      '',
    ]);
  });

  test('DOT: the caption as the graph label, boxes instead of clusters, labels placed after the layout', () => {
    const lines = formatDot(buildDiagram(mixed(), { maxGroups: 3 })).split('\n');
    expect(lines).toContain(`  label="${CAPTION}"; labelloc=t; labeljust=l; mclimit=0.2; nslimit=2; nslimit1=2;`);
    expect(lines).toContain('  "ns_b" [label="namespace b\\n2 pod groups", fillcolor="#eef3f9", color="#9db3cc", fontcolor="#1f3b57"];');
    expect(lines.filter((l) => l.includes('subgraph "cluster_'))).toEqual([]);
    expect(lines.filter((l) => l.includes(' -> '))).toEqual([
      '  "src1" -> "ns_a" [xlabel="2 flows: All Connections"];',
      '  "ns_a" -> "ns_b" [xlabel="4 flows, 2 depend: TCP 80; TCP 8080 if destination IP in 10.0.0.0/8", style=dashed];',
      '  "ns_a" -> "dst2" [xlabel="1 flow: All Connections"];',
      '  "ns_b" -> "ns_a" [xlabel="4 flows: All Connections"];',
      '  "ns_b" -> "dst1" [xlabel="2 flows: All Connections"];',
      '  "ns_b" -> "dst2" [xlabel="2 flows: All Connections"];',
    ]);
  });

  test('SVG and HTML: Graphviz lays out the folded graph; the page says it is folded', async () => {
    const d = buildDiagram(mixed(), { maxGroups: 3 });
    const svg = await formatDiagram(d, { format: 'svg' });
    expect(svg).toContain('<title>ns_a</title>');
    expect(svg).not.toContain('<title>w_a_x</title>');
    expect(svg).toContain(`>${CAPTION.replace(/-/g, '&#45;')}</text>`);
    const html = await formatHtml(d);
    expect(html).toContain('<p class="summary">2 namespaces · 4 pod groups · 3 external address groups · 7 connected pairs of boxes</p>');
    expect(html).toContain(`<p class="folded">${CAPTION}</p>`);
    expect(html).toContain('<th class="ns" colspan="2">namespaces</th>');
    expect(html).toContain('<th class="col" title="a">namespace a<br>2 pod groups</th>');
    expect(html).toContain('<td class="cell some" title="a → b: 4 flows, 2 depend: TCP 80; TCP 8080 if destination IP in 10.0.0.0/8">');
  });
});

// ------------------------------------------------------------------ property: folded edges against every pair

const NS = ['a', 'b', 'c'];
const APPS = ['web', 'api', 'db'];
const peerArb = fc.oneof(
  fc.constantFrom(...APPS).map((app) => Peer.pods({ app })),
  fc.constantFrom(...NS).map((n) => Peer.namespace(n)),
  fc.constantFrom({ team: 'x' }, { team: 'y' }).map((labels) => Peer.namespaces(labels)),
  fc.constantFrom('10.0.0.0/8', '0.0.0.0/0', '192.168.0.0/16').map((c) => Peer.cidr(c)),
);
const portArb = fc.constantFrom(Port.tcp(80), Port.tcp(443), Port.udp(53), Port.named('http'));
const policyArb = fc.record({
  ns: fc.constantFrom(...NS),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  types: fc.constantFrom<Direction[]>([Direction.INGRESS], [Direction.EGRESS], [Direction.INGRESS, Direction.EGRESS]),
  ingress: fc.array(fc.record({ peers: fc.array(peerArb, { minLength: 1, maxLength: 2 }), ports: fc.array(portArb, { maxLength: 2 }) }), {
    maxLength: 2,
  }),
  egress: fc.array(fc.record({ peers: fc.array(peerArb, { minLength: 1, maxLength: 2 }), ports: fc.array(portArb, { maxLength: 2 }) }), {
    maxLength: 2,
  }),
});
const workloadArb = fc.record({ ns: fc.constantFrom(...NS), app: fc.constantFrom(...APPS), http: fc.boolean() });
const inputArb = fc.record({
  policies: fc.array(policyArb, { maxLength: 5 }),
  workloads: fc.array(workloadArb, { minLength: 1, maxLength: 8 }),
  // without every namespace's labels, selections by namespace labels depend
  labelled: fc.subarray(NS),
});

type Input = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

/** The policies and the cluster (namespace labels known only for some) of a generated input. */
function input(v: Input): { policies: ReturnType<typeof policy>[]; cluster: Cluster } {
  const policies = v.policies.map((p, i) =>
    policy(p.ns, `p${i}`, p.app ? { app: p.app } : {}, p.types, {
      ingress: p.types.includes(Direction.INGRESS) ? p.ingress.map((r) => rule(r.peers, ...r.ports)) : undefined,
      egress: p.types.includes(Direction.EGRESS) ? p.egress.map((r) => rule(r.peers, ...r.ports)) : undefined,
    }),
  );
  const workloads: Workload[] = v.workloads.map((w, i) => ({
    namespace: w.ns,
    name: `w${i}`,
    kind: 'Deployment',
    labels: { app: w.app },
    ports: w.http ? [{ name: 'http', containerPort: 8080, protocol: Protocol.TCP }] : [],
  }));
  const names = [...new Set(workloads.map((w) => w.namespace))];
  return {
    policies,
    cluster: {
      namespaces: names.filter((n) => v.labelled.includes(n)).map((n) => namespace(n, { team: n === 'a' ? 'x' : 'y' })),
      workloads,
      complete: false,
    },
  };
}

test('property: each folded edge counts exactly the pairs of pod groups with something allowed, and those that depend', () => {
  fc.assert(
    fc.property(inputArb, (v) => {
      const { policies, cluster: c } = input(v);
      const a = analyze(policies, c);
      const d = buildDiagram(a, { fold: 'namespaces' });
      // the oracle: every ordered pair of pod groups, asked one by one
      const expected = new Map<string, { flows: number; depend: number; all: Reach }>();
      for (const x of a.workloads) {
        for (const y of a.workloads) {
          const r = a.reach({ type: 'workload', workload: x }, { type: 'workload', workload: y });
          if (r.isEmpty) continue;
          const k = `${x.namespace}>${y.namespace}`;
          const e = expected.get(k) ?? { flows: 0, depend: 0, all: Reach.none() };
          expected.set(k, { flows: e.flows + 1, depend: e.depend + (r.isDefinite ? 0 : 1), all: e.all.union(r) });
        }
      }
      const label = (e: { flows: number; depend: number; all: Reach }) =>
        `${e.flows} flow${e.flows === 1 ? '' : 's'}${e.depend > 0 ? `, ${e.depend} depend${e.depend === 1 ? 's' : ''}` : ''}: ${e.all}`;
      const boxes = d.folded!.boxes;
      const got = new Map<string, string>();
      d.matrix.sources.forEach((s, i) =>
        d.matrix.destinations.forEach((t, j) => {
          const cell = d.matrix.cells[i][j];
          if (cell !== undefined && s.type === 'namespace' && t.type === 'namespace') got.set(`${s.name}>${t.name}`, cell);
        }),
      );
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries([...expected].map(([k, e]) => [k, label(e)])));
      for (const e of d.edges) {
        const from = boxes.find((b) => b.id === endId(e.from));
        const to = boxes.find((b) => b.id === endId(e.to));
        if (!from || !to) continue;
        expect(e.depends === true).toBe(expected.get(`${from.name}>${to.name}`)!.depend > 0);
      }
    }),
    { numRuns: 60 },
  );
});

// ------------------------------------------------------------------ merging namespaces with the same connections

/**
 * Three teams t1..t3 that admit only TCP 8080 from namespace gw, and three namespaces o1..o3 and
 * gw that nobody isolates: the teams have the same connections and nothing between them; o1..o3
 * allow each other what each allows itself.
 */
function teams(): Analysis {
  const policies = ['t1', 't2', 't3'].map((t) =>
    policy(t, 'from-gw', {}, [Direction.INGRESS], { ingress: [rule([Peer.namespace('gw')], Port.tcp(8080))] }),
  );
  return analyze(
    policies,
    cluster([
      workload('gw', 'proxy', {}),
      ...['t1', 't2', 't3'].map((t) => workload(t, 'svc', { app: 'svc' })),
      ...['o1', 'o2', 'o3'].map((o) => workload(o, 'x', {})),
    ]),
  );
}

const MERGED =
  'folded: 7 namespaces, 7 pod groups, one box per namespace (asked for), then 6 namespaces with the same connections ' +
  'in 2 shared boxes (asked for): 3 boxes, 10 arrows. Use --fold none to draw every pod group, or --namespace for some namespaces';

describe('buildDiagram merging namespaces with the same connections', () => {
  test('fold merge puts namespaces with the same arrows in and out into one box, counting the pairs under each arrow', () => {
    const d = buildDiagram(teams(), { fold: 'merge' });
    expect(d.folded).toMatchObject({ namespaces: 7, podGroups: 7, caption: MERGED, merged: { namespaces: 6, boxes: 2 } });
    expect(d.folded!.boxes.map((b) => [b.id, b.name, b.label, b.members])).toEqual([
      ['ns_gw', 'gw', ['namespace gw', '1 pod group', 'among them: 1 flow: All Connections'], undefined],
      ['nss_o1', 'o1, o2, o3', ['3 namespaces: o1, o2, o3', '3 pod groups', 'among them: 9 flows: All Connections'], ['o1', 'o2', 'o3']],
      ['nss_t1', 't1, t2, t3', ['3 namespaces: t1, t2, t3', '3 pod groups'], ['t1', 't2', 't3']],
    ]);
    expect(edgeLines(d)).toEqual([
      'src1 -> ns_gw: 1 flow: All Connections',
      'src1 -> nss_o1: 3 flows: All Connections',
      'ns_gw -> nss_o1: 3 flows: All Connections',
      'ns_gw -> nss_t1: 3 flows: TCP 8080',
      'ns_gw -> dst1: 1 flow: All Connections',
      'nss_o1 -> ns_gw: 3 flows: All Connections',
      'nss_o1 -> dst1: 3 flows: All Connections',
      'nss_t1 -> ns_gw: 3 flows: All Connections',
      'nss_t1 -> nss_o1: 9 flows: All Connections',
      'nss_t1 -> dst1: 3 flows: All Connections',
    ]);
    expect(d.matrix.sources.map((n) => n.name)).toEqual(['gw', 'o1, o2, o3', 't1, t2, t3', '0.0.0.0/0; ::/0']);
  });

  test('fold auto merges only when one box per namespace would draw more than maxEdges arrows', () => {
    const a = teams();
    const unmerged = buildDiagram(a, { maxGroups: 3 });
    expect(unmerged.edges).toHaveLength(38);
    expect(unmerged.folded!.merged).toBeUndefined();
    expect(buildDiagram(a, { maxGroups: 3, maxEdges: 38 })).toEqual(unmerged);
    const merged = buildDiagram(a, { maxGroups: 3, maxEdges: 37 });
    expect(merged.folded!.caption).toBe(
      'folded: 7 namespaces, 7 pod groups, one box per namespace (more than 3 pod groups), then 6 namespaces with the same ' +
        'connections in 2 shared boxes (more than 37 arrows): 3 boxes, 10 arrows. Use --fold none to draw every pod group, ' +
        'or --namespace for some namespaces',
    );
    expect(merged.edges).toEqual(buildDiagram(a, { fold: 'merge' }).edges);
    // 'namespaces' folds one box per namespace whatever the arrows
    expect(buildDiagram(a, { fold: 'namespaces', maxEdges: 0 }).folded!.boxes).toHaveLength(7);
    expect(DEFAULT_MAX_EDGES).toBe(300);
  });

  test('a merged arrow is dashed and counts the pairs that depend, as a namespace box does', () => {
    // x in a sends anything to 10.0.0.0/8: to b and c only if their pods' IPs lie there
    const a = analyze(
      [
        policy('a', 'x-out', {}, [Direction.EGRESS], { egress: [rule([Peer.cidr('10.0.0.0/8')])] }),
        ...['b', 'c'].map((n) => policy(n, 'deny-out', {}, [Direction.EGRESS])),
      ],
      cluster([workload('a', 'x', {}), workload('b', 'y', {}), workload('b', 'z', { app: 'z' }), workload('c', 'y', {})]),
    );
    const d = buildDiagram(a, { fold: 'merge' });
    expect(d.folded!.boxes.map((b) => b.label[0])).toEqual(['namespace a', '2 namespaces: b, c']);
    expect(edgeLines(d)).toEqual([
      'src1 -> ns_a: 1 flow: All Connections',
      'src1 -> nss_b: 3 flows: All Connections',
      'ns_a -.-> nss_b: 3 flows, 3 depend: All Connections if destination IP in 10.0.0.0/8',
      'ns_a -> dst1: 1 flow: All Connections',
    ]);
  });

  test('past maxEdges once nothing else is the same, namespaces that allow each other all they allow themselves share a box', () => {
    // each of o1..o3 is admitted by a team of its own, so no two have the same connections
    const policies = ['1', '2', '3'].map((i) =>
      policy(`t${i}`, 'from-o', {}, [Direction.INGRESS], { ingress: [rule([Peer.namespace(`o${i}`)], Port.tcp(8080))] }),
    );
    const a = analyze(policies, cluster([...['1', '2', '3'].flatMap((i) => [workload(`o${i}`, 'x', {}), workload(`t${i}`, 'svc', {})])]));
    expect(buildDiagram(a, { fold: 'merge' }).folded!.merged).toBeUndefined();
    const d = buildDiagram(a, { maxGroups: 1, maxEdges: 10 });
    expect(d.folded!.caption).toBe(
      'folded: 6 namespaces, 6 pod groups, one box per namespace (more than 1 pod group), then 3 namespaces with the same ' +
        'connections, or allowing each other all they allow themselves, in 1 shared box (more than 10 arrows): 4 boxes, 11 arrows. ' +
        'Use --fold none to draw every pod group, or --namespace for some namespaces',
    );
    expect(d.folded!.boxes.map((b) => b.label)).toEqual([
      ['3 namespaces: o1, o2, o3', '3 pod groups', 'among them: 9 flows: All Connections'],
      ['namespace t1', '1 pod group'],
      ['namespace t2', '1 pod group'],
      ['namespace t3', '1 pod group'],
    ]);
    expect(edgeLines(d)).toEqual([
      'src1 -> nss_o1: 3 flows: All Connections',
      'nss_o1 -> ns_t1: 1 flow: TCP 8080',
      'nss_o1 -> ns_t2: 1 flow: TCP 8080',
      'nss_o1 -> ns_t3: 1 flow: TCP 8080',
      'nss_o1 -> dst1: 3 flows: All Connections',
      'ns_t1 -> nss_o1: 3 flows: All Connections',
      'ns_t1 -> dst1: 1 flow: All Connections',
      'ns_t2 -> nss_o1: 3 flows: All Connections',
      'ns_t2 -> dst1: 1 flow: All Connections',
      'ns_t3 -> nss_o1: 3 flows: All Connections',
      'ns_t3 -> dst1: 1 flow: All Connections',
    ]);
  });

  test('says so when nothing has the same connections, and leaves "other namespaces" alone', () => {
    const { policies, cluster: c } = shop();
    expect(buildDiagram(analyze(policies, c), { fold: 'merge' }).folded?.caption).toBe(
      'folded: 1 namespace, 2 pod groups, one box per namespace (asked for); merging namespaces with the same connections ' +
        '(asked for) found none. Use --fold none to draw every pod group, or --namespace for some namespaces',
    );
  });

  test('throws for a maxEdges that is no count', () => {
    expect(() => buildDiagram(teams(), { maxEdges: -1 })).toThrow('the most arrows to draw must be a whole number, 0 or more, not -1');
  });

  test('names every namespace of a box: a Mermaid comment, a DOT tooltip, HTML titles and the legend', async () => {
    const names = Array.from({ length: 5 }, (_, i) => `team-${i + 1}`);
    const a = analyze(
      names.map((n) => policy(n, 'deny', {}, [Direction.INGRESS])),
      cluster(names.map((n) => workload(n, 'svc', {}))),
    );
    const d = buildDiagram(a, { fold: 'merge' });
    const mermaid = formatMermaid(d).split('\n');
    expect(mermaid).toContain('  nss_team_1["5 namespaces: team-1 … team-5<br/>5 pod groups"]');
    expect(mermaid).toContain('  %% nss_team_1: team-1, team-2, team-3, team-4, team-5');
    expect(formatDot(d)).toContain(
      '  "nss_team_1" [label="5 namespaces: team-1 … team-5\\n5 pod groups", fillcolor="#eef3f9", color="#9db3cc", ' +
        'fontcolor="#1f3b57", tooltip="team-1, team-2, team-3, team-4, team-5"];',
    );
    const html = await formatHtml(d);
    expect(html).toContain('hover over it for their names.</p>');
    expect(html).toContain('<th title="team-1, team-2, team-3, team-4, team-5">5 namespaces: team-1 … team-5</th>');
    // a folded picture without merged boxes keeps its legend
    expect(await formatHtml(buildDiagram(mixed(), { maxGroups: 3 }))).not.toContain('hover over it');
  });

  test('is deterministic: the same input in another order gives the same merged diagram', () => {
    const a = teams();
    const c = { namespaces: [], workloads: [...a.workloads].reverse(), complete: true };
    const policies = ['t3', 't2', 't1'].map((t) =>
      policy(t, 'from-gw', {}, [Direction.INGRESS], { ingress: [rule([Peer.namespace('gw')], Port.tcp(8080))] }),
    );
    expect(formatMermaid(buildDiagram(analyze(policies, cluster([...c.workloads])), { fold: 'merge' }))).toBe(
      formatMermaid(buildDiagram(a, { fold: 'merge' })),
    );
  });
});

test('property: each merged arrow and box agrees with reach over every pair of pod groups under it', () => {
  fc.assert(
    fc.property(inputArb, fc.nat(6), (v, maxEdges) => {
      const { policies, cluster: c } = input(v);
      const a = analyze(policies, c);
      const d = buildDiagram(a, { maxGroups: 0, maxEdges });
      const membersOf = (n: { name: string; members?: readonly string[] }) => new Set(n.members ?? [n.name]);
      const boxes = d.folded!.boxes;
      // every namespace is in one box at most
      const all = boxes.flatMap((b) => [...membersOf(b)]);
      expect(new Set(all).size).toBe(all.length);
      const oracle = (from: Set<string>, to: Set<string>) => {
        let flows = 0;
        let depend = 0;
        let union = Reach.none();
        for (const x of a.workloads) {
          if (!from.has(x.namespace)) continue;
          for (const y of a.workloads) {
            if (!to.has(y.namespace)) continue;
            const r = a.reach({ type: 'workload', workload: x }, { type: 'workload', workload: y });
            if (r.isEmpty) continue;
            flows++;
            if (!r.isDefinite) depend++;
            union = union.union(r);
          }
        }
        return flows === 0
          ? undefined
          : `${flows} flow${flows === 1 ? '' : 's'}${depend > 0 ? `, ${depend} depend${depend === 1 ? 's' : ''}` : ''}: ${union}`;
      };
      d.matrix.sources.forEach((s, i) =>
        d.matrix.destinations.forEach((t, j) => {
          if (s.type !== 'namespace' || t.type !== 'namespace') return;
          expect(d.matrix.cells[i][j]).toBe(oracle(membersOf(s), membersOf(t)));
        }),
      );
      for (const e of d.edges) {
        const from = boxes.find((b) => b.id === endId(e.from));
        const to = boxes.find((b) => b.id === endId(e.to));
        if (!from || !to) continue;
        const label = oracle(membersOf(from), membersOf(to));
        expect(e.label).toBe(label);
        expect(e.depends === true).toBe(/, \d+ depends?:/.test(label!));
      }
    }),
    { numRuns: 80 },
  );
});
