import { analyze } from '../../../lib/analysis/analysis';
import { buildDiagram, Diagram, endId, formatDot, formatMermaid } from '../../../lib/report/diagram';
import { Peer } from '../../../lib/model/peer';
import { Port } from '../../../lib/model/port';
import { cluster, policy, rule, shop, workload } from './helpers';
import { Direction } from '../../../lib/model/rule';

/** Edges as `from -> to: label` lines, with `~` for a junction's unlabelled lines. */
function edgeLines(d: Diagram): string[] {
  return d.edges.map((e) => `${endId(e.from)} -> ${endId(e.to)}${e.label === undefined ? '' : `: ${e.label}`}`);
}

/** Two open namespaces: a (two groups, no policies) and b (ingress from namespace a on TCP 80 only). */
function twoNamespaces() {
  const policies = [policy('b', 'from-a', {}, [Direction.INGRESS], { ingress: [rule([Peer.namespace('a')], Port.tcp(80))] })];
  const c = cluster([
    workload('a', 'x', { app: 'x' }),
    workload('a', 'y', { app: 'y' }),
    workload('b', 'w', { app: 'w' }),
    workload('b', 'z', { app: 'z' }),
  ]);
  return analyze(policies, c);
}

describe('buildDiagram', () => {
  test('draws pod groups per namespace, external sources and destinations, and labelled edges', () => {
    const { policies, cluster: c } = shop();
    const d = buildDiagram(analyze(policies, c));
    expect(d.namespaces.map((n) => [n.id, n.label, n.nodes.map((x) => `${x.id}=${x.label.join('|')}`)])).toEqual([
      ['ns_shop', ['namespace shop'], ['w_shop_db=db', 'w_shop_web=web']],
    ]);
    expect(d.externals.map((x) => [x.id, x.type, x.label])).toEqual([
      ['src1', 'source', ['0.0.0.0/0 except 10.0.0.0/8']],
      ['dst1', 'destination', ['10.1.0.0/16']],
    ]);
    expect(edgeLines(d)).toEqual(['src1 -> w_shop_web: TCP 443', 'w_shop_db -> dst1: TCP 5432', 'w_shop_web -> w_shop_db: TCP 5432']);
    expect(d.junctions).toEqual([]);
  });

  test('merges external ranges that every pod group treats alike into one node', () => {
    // the analysis cuts the sources into 0.0.0.0-9.255.255.255, 10.0.0.0/8, 11.0.0.0-255.255.255.255
    // and ::/0; nothing may come from 10.0.0.0/8 or IPv6, and the other two are alike
    const { policies, cluster: c } = shop();
    const a = analyze(policies, c);
    expect(a.externalSources.map(String)).toEqual(['0.0.0.0-9.255.255.255', '10.0.0.0/8', '11.0.0.0-255.255.255.255', '::/0']);
    expect(
      buildDiagram(a)
        .externals.filter((x) => x.type === 'source')
        .map((x) => x.name),
    ).toEqual(['0.0.0.0/0 except 10.0.0.0/8']);
  });

  test('keeps every pair in the matrix, pod groups first, then external ends', () => {
    const { policies, cluster: c } = shop();
    const m = buildDiagram(analyze(policies, c)).matrix;
    expect(m.sources.map((n) => n.name)).toEqual(['shop/db', 'shop/web', '0.0.0.0/0 except 10.0.0.0/8']);
    expect(m.destinations.map((n) => n.name)).toEqual(['shop/db', 'shop/web', '10.1.0.0/16']);
    expect(m.cells).toEqual([
      [undefined, undefined, 'TCP 5432'],
      ['TCP 5432', undefined, undefined],
      [undefined, 'TCP 443', undefined],
    ]);
  });

  test('draws a pod group reaching itself as a loop', () => {
    const policies = [
      policy('web', 'self', {}, [Direction.INGRESS, Direction.EGRESS], {
        ingress: [rule([Peer.pods({})], Port.tcp(80))],
        egress: [rule([Peer.pods({})], Port.tcp(80))],
      }),
    ];
    const d = buildDiagram(analyze(policies, cluster([workload('web', 'web', { app: 'web' })])));
    expect(edgeLines(d)).toEqual(['w_web_web -> w_web_web: TCP 80']);
  });

  test('folds edges that say the same thing into the namespace boxes', () => {
    const d = buildDiagram(twoNamespaces());
    expect(d.namespaces.map((n) => [n.id, n.label])).toEqual([
      ['ns_a', ['namespace a', 'among its groups: All Connections']],
      ['ns_b', ['namespace b']],
    ]);
    expect(edgeLines(d)).toEqual([
      'src1 -> ns_a: All Connections',
      'ns_a -> ns_b: TCP 80',
      'ns_a -> dst1: All Connections',
      'ns_b -> ns_a: All Connections',
      'ns_b -> dst1: All Connections',
    ]);
    expect(d.externals.map((x) => x.label)).toEqual([
      ['0.0.0.0/0', '::/0'],
      ['0.0.0.0/0', '::/0'],
    ]);
  });

  test('joins many sources to many destinations at a junction', () => {
    // three client namespaces, each reaching three server namespaces on their own ports, and the outside
    const clients = ['c1', 'c2', 'c3'];
    const servers = [
      ['s1', 80],
      ['s2', 81],
      ['s3', 82],
    ] as const;
    const policies = [
      ...clients.map((ns) => policy(ns, 'deny-in', {}, [Direction.INGRESS])),
      ...servers.map(([ns, port]) =>
        policy(ns, 'clients', {}, [Direction.INGRESS, Direction.EGRESS], {
          ingress: [rule([Peer.namespaces({ role: 'client' })], Port.tcp(port))],
        }),
      ),
    ];
    const workloads = [...clients, ...servers.map(([ns]) => ns)].map((ns) => workload(ns, 'app', { app: 'app' }));
    const labels = Object.fromEntries(clients.map((ns) => [ns, { role: 'client' }]));
    const d = buildDiagram(analyze(policies, cluster(workloads, labels)));
    expect(d.junctions).toEqual(['j1']);
    expect(edgeLines(d)).toEqual([
      'w_c1_app -> j1',
      'w_c2_app -> j1',
      'w_c3_app -> j1',
      'j1 -> w_s1_app: TCP 80',
      'j1 -> w_s2_app: TCP 81',
      'j1 -> w_s3_app: TCP 82',
      'j1 -> dst1: All Connections',
    ]);
  });

  test('shows only the namespaces asked for and the other ends of their edges', () => {
    const d = buildDiagram(twoNamespaces(), { namespaces: ['b'] });
    expect(d.namespaces.map((n) => [n.name, n.nodes.map((x) => x.label[0])])).toEqual([
      ['a', ['x', 'y']],
      ['b', ['w', 'z']],
    ]);
    expect(d.externals.map((x) => `${x.type} ${x.name}`)).toEqual(['destination 0.0.0.0/0; ::/0']);
    expect(edgeLines(d)).toEqual(['ns_a -> ns_b: TCP 80', 'ns_b -> ns_a: All Connections', 'ns_b -> dst1: All Connections']);
  });

  test('throws naming the namespaces that exist when --namespace names none of them', () => {
    expect(() => buildDiagram(twoNamespaces(), { namespaces: ['c', 'a'] })).toThrow(
      'no pod group in namespace "c"; namespaces with pod groups: a, b',
    );
  });

  test('is deterministic: the same input in another order gives the same diagram', () => {
    const { policies, cluster: c } = shop();
    const reversed = { namespaces: c.namespaces, workloads: [...c.workloads].reverse() };
    expect(formatMermaid(buildDiagram(analyze([...policies].reverse(), reversed)))).toBe(formatMermaid(buildDiagram(analyze(policies, c))));
  });
});

describe('formatMermaid', () => {
  test('writes a flowchart with subgraphs, quoted labels and styled external nodes', () => {
    const { policies, cluster: c } = shop();
    expect(formatMermaid(buildDiagram(analyze(policies, c))).split('\n')).toEqual([
      'flowchart LR',
      '  subgraph ns_shop["namespace shop"]',
      '    w_shop_db["db"]',
      '    w_shop_web["web"]',
      '  end',
      '  src1(["0.0.0.0/0 except 10.0.0.0/8"])',
      '  dst1(["10.1.0.0/16"])',
      '  src1 -->|"TCP 443"| w_shop_web',
      '  w_shop_db -->|"TCP 5432"| dst1',
      '  w_shop_web -->|"TCP 5432"| w_shop_db',
      '  classDef external fill:#f4f4f4,stroke:#888888,stroke-dasharray:4 3',
      '  class src1,dst1 external',
      '',
    ]);
  });

  test('escapes characters that would break a label and gives safe ids to odd names', () => {
    const policies = [policy('x', 'p', { 'app.kubernetes.io/name': 'a_b' }, [Direction.INGRESS])];
    const w = [workload('x', 'say"hi"<b>#1|2', { 'app.kubernetes.io/name': 'a_b' }), workload('x', 'end', { app: 'end' })];
    const text = formatMermaid(buildDiagram(analyze(policies, cluster(w))));
    expect(text).toContain('    w_x_say_hi_b_1_2["say#34;hi#34;#60;b#62;#35;1#124;2"]');
    expect(text).toContain('    w_x_end["end"]');
  });

  test('draws junctions as small circles joined by plain lines', () => {
    const d: Diagram = {
      namespaces: [],
      externals: [],
      junctions: ['j1'],
      edges: [],
      matrix: { sources: [], destinations: [], cells: [] },
    };
    expect(formatMermaid(d)).toBe('flowchart LR\n  j1((" "))\n  classDef junction fill:#5b6770,stroke:#5b6770\n  class j1 junction\n');
  });
});

describe('formatDot', () => {
  test('writes clusters per namespace, ranked external nodes and labelled edges', () => {
    const { policies, cluster: c } = shop();
    const lines = formatDot(buildDiagram(analyze(policies, c))).split('\n');
    expect(lines[0]).toBe('digraph netpol {');
    expect(lines).toContain('  subgraph "cluster_ns_shop" {');
    expect(lines).toContain('    "w_shop_db" [label="db"];');
    expect(lines).toContain('  subgraph { rank=source;');
    expect(lines).toContain(
      '    "src1" [label="0.0.0.0/0 except 10.0.0.0/8", style="dashed,filled", fillcolor="#f4f4f4", color="#888888"];',
    );
    expect(lines).toContain('  subgraph { rank=sink;');
    expect(lines.filter((l) => l.includes(' -> '))).toEqual([
      '  "src1" -> "w_shop_web" [label="TCP 443"];',
      '  "w_shop_db" -> "dst1" [label="TCP 5432"];',
      '  "w_shop_web" -> "w_shop_db" [label="TCP 5432"];',
    ]);
    expect(lines[lines.length - 2]).toBe('}');
  });

  test('draws edges to and from namespace boxes from the cluster border', () => {
    const lines = formatDot(buildDiagram(twoNamespaces()));
    expect(lines).toContain('  "w_a_x" -> "w_b_w" [label="TCP 80", ltail="cluster_ns_a", lhead="cluster_ns_b"];');
    expect(lines).toContain('label="namespace a\\lamong its groups: All Connections\\l";');
  });
});
