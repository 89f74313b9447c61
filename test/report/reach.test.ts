import { analyze, parseProbes } from '../../lib/analysis';
import { Peer } from '../../lib/model/peer';
import { Policy } from '../../lib/model/policy';
import { Port } from '../../lib/model/port';
import { Rule, Direction } from '../../lib/model/rule';
import { LabelSelector } from '../../lib/model/selector';
import { connectionsJson, formatConnectionsTable, formatNpGuard, formatProbeTable, formatReachability, probesJson } from '../../lib/report';
import { pod } from '../analysis/helpers';

const workloads = [
  pod('default/cog-agents', { app: 'agents' }, { kind: 'DaemonSet' }),
  pod('default/cog-agents-analyzer', { app: 'analyzer' }, { kind: 'DaemonSet' }),
  pod('default/db', { app: 'db' }, { kind: 'StatefulSet' }),
];
const policies = [
  Policy.of({
    name: 'db',
    namespace: 'default',
    podSelector: LabelSelector.of({ app: 'db' }),
    policyTypes: [Direction.INGRESS, Direction.EGRESS],
    ingress: [
      Rule.of([Peer.pods({ app: 'agents' })], [Port.tcp(5432), Port.udp(53)]),
      Rule.of([Peer.cidr('100.0.0.0/8'), Peer.cidr('2001:db8::/32')], [Port.tcp(5432)]),
    ],
  }),
];
const a = analyze(policies, { namespaces: [], workloads });

describe('np-guard text', () => {
  test('sorts by source then destination as byte strings, prints IPv4 ranges only', () => {
    expect(formatNpGuard(a)).toBe(
      [
        '0.0.0.0-99.255.255.255[External] => default/cog-agents-analyzer[DaemonSet] : All Connections',
        '0.0.0.0-99.255.255.255[External] => default/cog-agents[DaemonSet] : All Connections',
        '100.0.0.0-100.255.255.255[External] => default/cog-agents-analyzer[DaemonSet] : All Connections',
        '100.0.0.0-100.255.255.255[External] => default/cog-agents[DaemonSet] : All Connections',
        '100.0.0.0-100.255.255.255[External] => default/db[StatefulSet] : TCP 5432',
        '101.0.0.0-255.255.255.255[External] => default/cog-agents-analyzer[DaemonSet] : All Connections',
        '101.0.0.0-255.255.255.255[External] => default/cog-agents[DaemonSet] : All Connections',
        'default/cog-agents-analyzer[DaemonSet] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'default/cog-agents-analyzer[DaemonSet] => default/cog-agents[DaemonSet] : All Connections',
        'default/cog-agents[DaemonSet] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'default/cog-agents[DaemonSet] => default/cog-agents-analyzer[DaemonSet] : All Connections',
        'default/cog-agents[DaemonSet] => default/db[StatefulSet] : TCP 5432,UDP 53',
        '',
      ].join('\n'),
    );
  });

  test('an analysis with no workloads prints nothing', () => {
    expect(formatNpGuard(analyze(policies, { namespaces: [], workloads: [] }))).toBe('');
  });
});

describe('tables', () => {
  test('the connections table has one aligned row per allowed pair, with CIDRs for ranges that are one', () => {
    const small = analyze(policies, { namespaces: [], workloads: [workloads[0], workloads[2]] });
    expect(formatConnectionsTable(small)).toBe(
      [
        'FROM                                                TO                  ALLOWED',
        '0.0.0.0-99.255.255.255                              default/cog-agents  All Connections',
        '100.0.0.0/8                                         default/cog-agents  All Connections',
        '100.0.0.0/8                                         default/db          TCP 5432',
        '101.0.0.0-255.255.255.255                           default/cog-agents  All Connections',
        '2001:db8::/32                                       default/cog-agents  All Connections',
        '2001:db8::/32                                       default/db          TCP 5432',
        '2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff  default/cog-agents  All Connections',
        '::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff           default/cog-agents  All Connections',
        'default/cog-agents                                  0.0.0.0/0           All Connections',
        'default/cog-agents                                  ::/0                All Connections',
        'default/cog-agents                                  default/db          TCP 5432,UDP 53',
        '',
      ].join('\n'),
    );
  });

  test('the probe table answers every probe for every ordered pair of workloads, depends where a pod IP decides', () => {
    // the analyzer's IP is unknown, and db admits 100.0.0.0/8 and 2001:db8::/32 on 5432
    expect(formatProbeTable(a, parseProbes('5432/TCP,53/UDP,80'))).toBe(
      [
        'FROM                         TO                           5432/TCP  53/UDP  80/TCP',
        'default/cog-agents           default/cog-agents-analyzer  allow     allow   allow',
        'default/cog-agents           default/db                   allow     allow   deny',
        'default/cog-agents-analyzer  default/cog-agents           allow     allow   allow',
        'default/cog-agents-analyzer  default/db                   depends   deny    deny',
        'default/db                   default/cog-agents           deny      deny    deny',
        'default/db                   default/cog-agents-analyzer  deny      deny    deny',
        '',
      ].join('\n'),
    );
  });

  test('an empty analysis says so', () => {
    const none = analyze([], { namespaces: [], workloads: [] });
    expect(formatConnectionsTable(none)).toBe('No connections are allowed.\n');
    expect(formatProbeTable(none, parseProbes('80'))).toBe('No pairs of workloads to probe.\n');
  });
});

describe('JSON', () => {
  test('probes give one entry per ordered pair of distinct workloads and per probe', () => {
    const out = probesJson(a, parseProbes('5432/TCP,53/UDP'));
    expect(out.connections).toHaveLength(12);
    expect(out.connections.slice(0, 4)).toEqual([
      { from: 'default/cog-agents', to: 'default/cog-agents-analyzer', port: 5432, protocol: 'TCP', allowed: true, verdict: 'allowed' },
      { from: 'default/cog-agents', to: 'default/cog-agents-analyzer', port: 53, protocol: 'UDP', allowed: true, verdict: 'allowed' },
      { from: 'default/cog-agents', to: 'default/db', port: 5432, protocol: 'TCP', allowed: true, verdict: 'allowed' },
      { from: 'default/cog-agents', to: 'default/db', port: 53, protocol: 'UDP', allowed: true, verdict: 'allowed' },
    ]);
    expect(out.connections.filter((c) => c.from === 'default/db').every((c) => !c.allowed && c.verdict === 'denied')).toBe(true);
    expect(out.connections.find((c) => c.from === 'default/cog-agents-analyzer' && c.to === 'default/db' && c.port === 5432)).toEqual({
      from: 'default/cog-agents-analyzer',
      to: 'default/db',
      port: 5432,
      protocol: 'TCP',
      allowed: false,
      verdict: 'depends',
      depends: [{ if: 'source IP in 100.0.0.0/8; 2001:db8::/32', portNames: [] }],
    });
  });

  test('connection sets give np-guard text and ranges per protocol', () => {
    const out = connectionsJson(a);
    expect(out.connections.find((c) => c.from === 'default/cog-agents' && c.to === 'default/db')).toEqual({
      from: 'default/cog-agents',
      to: 'default/db',
      connections: 'TCP 5432,UDP 53',
      ports: { TCP: [[5432, 5432]], UDP: [[53, 53]] },
    });
    expect(out.connections.find((c) => c.from === '2001:db8::/32' && c.to === 'default/db')?.connections).toBe('TCP 5432');
    // what depends on an unknown pod IP: nothing for sure, and the part with its condition
    expect(out.connections.find((c) => c.from === 'default/cog-agents-analyzer' && c.to === 'default/db')).toEqual({
      from: 'default/cog-agents-analyzer',
      to: 'default/db',
      connections: 'No Connections',
      ports: {},
      depends: [{ connections: 'TCP 5432', ports: { TCP: [[5432, 5432]] }, portNames: [], if: 'source IP in 100.0.0.0/8; 2001:db8::/32' }],
    });
  });
});

describe('formatReachability', () => {
  test('writes JSON with a final newline', () => {
    const text = formatReachability(a, { output: 'json', probes: parseProbes('80') });
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text).connections).toHaveLength(6);
  });

  test('throws when probes are asked of the np-guard format', () => {
    expect(() => formatReachability(a, { output: 'np-guard', probes: parseProbes('80') })).toThrow(
      'probes: the np-guard format lists connection sets and has no probes; leave out the probes, or use the table or json output',
    );
  });

  test('throws for an output format it does not know, naming the option', () => {
    expect(() => formatReachability(a, { output: 'yaml' as never })).toThrow(
      'output: output format "yaml" is not known; use table, json or np-guard',
    );
  });
});
