import { analyze } from '../../lib/analysis';
import { namespace } from '../../lib/model/cluster';
import { Peer } from '../../lib/model/peer';
import { Policy, PolicyProps } from '../../lib/model/policy';
import { Port, Protocol } from '../../lib/model/port';
import { Rule, Direction } from '../../lib/model/rule';
import { LabelSelector, SelectorOperator } from '../../lib/model/selector';
import { manifests, pod } from './helpers';

function policy(props: Partial<PolicyProps> & { name: string }): Policy {
  return Policy.of({ namespace: 'default', policyTypes: [Direction.INGRESS], ...props });
}

const web = pod('default/web', { app: 'web' });
const db = pod('default/db', { app: 'db' });
const cluster = { namespaces: [], workloads: [web, db] };

describe('isolation per direction', () => {
  test('without policies every connection is allowed, to and from outside too', () => {
    const a = analyze([], cluster);
    expect(a.connectionSet('default/web', 'default/db').isAll).toBe(true);
    expect(a.connectionSet('203.0.113.9', 'default/db').isAll).toBe(true);
    expect(a.connectionSet('default/db', '2001:db8::1').isAll).toBe(true);
  });

  test('an Ingress policy isolates ingress only: the selected pod can still send anywhere', () => {
    const a = analyze([policy({ name: 'deny', podSelector: LabelSelector.of({ app: 'db' }) })], cluster);
    expect(a.connectionSet('default/web', 'default/db').isEmpty).toBe(true);
    expect(a.connectionSet('default/db', 'default/web').isAll).toBe(true);
    expect(a.connectionSet('default/db', '8.8.8.8').isAll).toBe(true);
  });

  test('an Egress policy isolates egress only', () => {
    const a = analyze(
      [policy({ name: 'deny-out', podSelector: LabelSelector.of({ app: 'db' }), policyTypes: [Direction.EGRESS] })],
      cluster,
    );
    expect(a.connectionSet('default/db', 'default/web').isEmpty).toBe(true);
    expect(a.connectionSet('default/db', '8.8.8.8').isEmpty).toBe(true);
    expect(a.connectionSet('default/web', 'default/db').isAll).toBe(true);
  });

  test('a policy of another namespace does not isolate pods with matching labels', () => {
    const a = analyze([policy({ name: 'deny', namespace: 'other' })], cluster);
    expect(a.connectionSet('default/web', 'default/db').isAll).toBe(true);
  });

  test('a policy whose podSelector does not match does not isolate the pod', () => {
    const a = analyze([policy({ name: 'deny', podSelector: LabelSelector.of({ app: 'cache' }) })], cluster);
    expect(a.connectionSet('default/web', 'default/db').isAll).toBe(true);
  });

  test('policyTypes Ingress and Egress without egress rules denies all egress', () => {
    const a = analyze(
      [
        policy({
          name: 'p',
          podSelector: LabelSelector.of({ app: 'web' }),
          policyTypes: [Direction.INGRESS, Direction.EGRESS],
          ingress: [Rule.of([], [])],
        }),
      ],
      cluster,
    );
    expect(a.connectionSet('default/web', 'default/db').isEmpty).toBe(true);
    expect(a.connectionSet('default/db', 'default/web').isAll).toBe(true);
  });

  test('a policy read without policyTypes isolates Egress only when it has egress rules', () => {
    const { policies, cluster: c } = manifests(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out}
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
  - ports: [{port: 53, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: in}
spec:
  podSelector: {matchLabels: {app: db}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, labels: {app: db}}
`);
    expect(policies.map((p) => [p.name, p.policyTypes])).toEqual([
      ['out', ['Egress', 'Ingress']],
      ['in', ['Ingress']],
    ]);
    const a = analyze(policies, c);
    expect(a.connectionSet('default/web', '1.1.1.1').toString()).toBe('UDP 53');
    expect(a.connectionSet('default/db', '1.1.1.1').isAll).toBe(true);
    expect(a.connectionSet('1.1.1.1', 'default/db').isEmpty).toBe(true);
    expect(a.connectionSet('1.1.1.1', 'default/web').isEmpty).toBe(true);
  });
});

describe('policies are additive and both ends must allow', () => {
  test('two policies selecting the same pod allow the union of their rules', () => {
    const sel = LabelSelector.of({ app: 'db' });
    const a = analyze(
      [
        policy({ name: 'a', podSelector: sel, ingress: [Rule.of([Peer.pods({ app: 'web' })], [Port.tcp(5432)])] }),
        policy({ name: 'b', podSelector: sel, ingress: [Rule.of([Peer.pods({ app: 'web' })], [Port.tcp(9187)])] }),
      ],
      cluster,
    );
    expect(a.connectionSet('default/web', 'default/db').toString()).toBe('TCP 5432,9187');
  });

  test('a connection needs the source egress and the destination ingress: the result is their intersection', () => {
    const a = analyze(
      [
        policy({
          name: 'web-out',
          podSelector: LabelSelector.of({ app: 'web' }),
          policyTypes: [Direction.EGRESS],
          egress: [Rule.of([Peer.pods({ app: 'db' })], [Port.tcpRange(5000, 6000)])],
        }),
        policy({ name: 'db-in', podSelector: LabelSelector.of({ app: 'db' }), ingress: [Rule.of([], [Port.tcp(5432), Port.tcp(7000)])] }),
      ],
      cluster,
    );
    expect(a.connectionSet('default/web', 'default/db').toString()).toBe('TCP 5432');
    expect(a.allows('default/web', 'default/db', 5432)).toBe(true);
    expect(a.allows('default/web', 'default/db', 7000)).toBe(false);
  });
});

describe('peers', () => {
  const ns = [namespace('default', { team: 'a' }), namespace('prod', { team: 'a', env: 'prod' }), namespace('dev', { team: 'b' })];
  const workloads = [
    pod('default/db', { app: 'db' }),
    pod('default/web', { app: 'web' }),
    pod('prod/web', { app: 'web' }),
    pod('dev/web', { app: 'web' }),
    pod('dev/job', { app: 'job' }),
  ];
  const only = (peer: Peer) =>
    analyze([policy({ name: 'p', podSelector: LabelSelector.of({ app: 'db' }), ingress: [Rule.of([peer], [])] })], {
      namespaces: ns,
      workloads,
    });
  const sources = (peer: Peer) => {
    const a = only(peer);
    return ['default/web', 'prod/web', 'dev/web', 'dev/job', '10.0.0.1'].filter((s) => !a.connectionSet(s, 'default/db').isEmpty);
  };

  test('a podSelector alone matches pods of the policy namespace only', () => {
    expect(sources(Peer.pods({ app: 'web' }))).toEqual(['default/web']);
  });

  test('a namespaceSelector alone matches every pod of the matching namespaces', () => {
    expect(sources(Peer.namespaces({ team: 'b' }))).toEqual(['dev/web', 'dev/job']);
  });

  test('a namespaceSelector with a podSelector matches pods that satisfy both', () => {
    expect(sources(Peer.podsInNamespace(LabelSelector.of({ team: 'b' }), { app: 'web' }))).toEqual(['dev/web']);
  });

  test('an empty namespaceSelector matches every pod of every namespace but no external address', () => {
    expect(sources(Peer.allPods())).toEqual(['default/web', 'prod/web', 'dev/web', 'dev/job']);
  });

  test('every namespace carries kubernetes.io/metadata.name with its name', () => {
    expect(sources(Peer.namespace('prod'))).toEqual(['prod/web']);
  });

  test('a namespace that only pods refer to exists with its name label', () => {
    const a = analyze(
      [policy({ name: 'p', podSelector: LabelSelector.of({ app: 'db' }), ingress: [Rule.of([Peer.namespace('ghost')], [])] })],
      {
        namespaces: [],
        workloads: [pod('default/db', { app: 'db' }), pod('ghost/web')],
      },
    );
    expect(a.connectionSet('ghost/web', 'default/db').isAll).toBe(true);
    expect(a.namespaceLabels('ghost')).toEqual({ 'kubernetes.io/metadata.name': 'ghost' });
  });

  test('a rule without from matches every pod and every address', () => {
    const a = only(Peer.any());
    expect(a.connectionSet('dev/job', 'default/db').isAll).toBe(true);
    expect(a.connectionSet('192.0.2.1', 'default/db').isAll).toBe(true);
    expect(a.connectionSet('2001:db8::1', 'default/db').isAll).toBe(true);
  });

  test('an ipBlock with except matches the addresses of the block outside the excepts', () => {
    const a = only(Peer.cidr('10.0.0.0/8', ['10.1.0.0/16']));
    expect(a.allows('10.0.0.1', 'default/db', 80)).toBe(true);
    expect(a.allows('10.1.2.3', 'default/db', 80)).toBe(false);
    expect(a.allows('11.0.0.1', 'default/db', 80)).toBe(false);
  });
});

describe('ipBlock and pod IPs', () => {
  const workloads = [
    pod('default/db', { app: 'db' }),
    pod('default/web', { app: 'web' }, { ips: ['10.0.0.5'] }),
    pod('default/batch', { app: 'batch' }, { ips: ['10.1.0.5'] }),
    pod('default/new', { app: 'new' }),
  ];
  const policies = [
    policy({
      name: 'p',
      podSelector: LabelSelector.of({ app: 'db' }),
      ingress: [Rule.of([Peer.cidr('10.0.0.0/8', ['10.1.0.0/16'])], [Port.tcp(5432)])],
    }),
  ];

  test('by default an ipBlock matches pods whose IP lies in the block outside the excepts', () => {
    const a = analyze(policies, { namespaces: [], workloads });
    expect(a.addressing.ipBlockPods).toBe('match');
    expect(a.connectionSet('default/web', 'default/db').toString()).toBe('TCP 5432');
    expect(a.connectionSet('default/batch', 'default/db').isEmpty).toBe(true);
    expect(a.connectionSet('default/new', 'default/db').isEmpty).toBe(true);
  });

  test("with ipBlockPods 'ignore' an ipBlock matches no pod, only external addresses (np-guard's convention)", () => {
    const a = analyze(policies, { namespaces: [], workloads }, { ipBlockPods: 'ignore' });
    expect(a.connectionSet('default/web', 'default/db').isEmpty).toBe(true);
    expect(a.connectionSet('10.0.0.5', 'default/db').toString()).toBe('TCP 5432');
  });

  test('an egress ipBlock matches a destination pod by its IP', () => {
    const a = analyze(
      [
        policy({
          name: 'out',
          podSelector: LabelSelector.of({ app: 'db' }),
          policyTypes: [Direction.EGRESS],
          egress: [Rule.of([Peer.cidr('10.0.0.0/16')], [Port.udp(53)])],
        }),
      ],
      { namespaces: [], workloads },
    );
    expect(a.connectionSet('default/db', 'default/web').toString()).toBe('UDP 53');
    expect(a.connectionSet('default/db', 'default/batch').isEmpty).toBe(true);
  });
});

describe('ports', () => {
  const dst = pod(
    'default/db',
    { app: 'db' },
    {
      ports: [
        { name: 'pg', containerPort: 5432, protocol: Protocol.TCP },
        { name: 'dns', containerPort: 53, protocol: Protocol.UDP },
        { name: 'sig', containerPort: 2905, protocol: Protocol.SCTP },
      ],
    },
  );
  const src = pod('default/web', { app: 'web' }, { ports: [{ name: 'pg', containerPort: 6000, protocol: Protocol.TCP }] });
  const ingress = (...ports: Port[]) =>
    analyze([policy({ name: 'p', podSelector: LabelSelector.of({ app: 'db' }), ingress: [Rule.of([], ports)] })], {
      namespaces: [],
      workloads: [src, dst],
    })
      .connectionSet('default/web', 'default/db')
      .toString();

  test('a rule without ports allows every port of every protocol', () => {
    expect(ingress()).toBe('All Connections');
  });

  test('a port entry without protocol means TCP', () => {
    const { policies, cluster: c } = manifests(`
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: p}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{ports: [{port: 80}]}]
---
{kind: Pod, apiVersion: v1, metadata: {name: db, labels: {app: db}}}
---
{kind: Pod, apiVersion: v1, metadata: {name: web}}
`);
    expect(analyze(policies, c).connectionSet('default/web', 'default/db').toString()).toBe('TCP 80');
  });

  test('endPort makes a range, both ends included', () => {
    expect(ingress(Port.tcpRange(32000, 32768))).toBe('TCP 32000-32768');
  });

  test('a protocol without port allows all of its ports', () => {
    expect(ingress(Port.allUdp(), Port.sctp(2905))).toBe('SCTP 2905,UDP 1-65535');
  });

  test('a named port resolves on the destination pod, with the same protocol', () => {
    expect(ingress(Port.named('pg'))).toBe('TCP 5432');
    expect(ingress(Port.named('dns', Protocol.UDP), Port.named('sig', Protocol.SCTP))).toBe('SCTP 2905,UDP 53');
  });

  test('a named port with another protocol than the container port resolves to nothing', () => {
    expect(ingress(Port.named('dns', Protocol.TCP))).toBe('No Connections');
  });

  test('a named port in an egress rule also resolves on the destination, not on the selected source', () => {
    const a = analyze(
      [
        policy({
          name: 'out',
          podSelector: LabelSelector.of({ app: 'web' }),
          policyTypes: [Direction.EGRESS],
          egress: [Rule.of([], [Port.named('pg')])],
        }),
      ],
      { namespaces: [], workloads: [src, dst] },
    );
    expect(a.connectionSet('default/web', 'default/db').toString()).toBe('TCP 5432');
    expect(a.connectionSet('default/db', 'default/web').isAll).toBe(true);
  });

  test('a named port toward an external address resolves to nothing', () => {
    const a = analyze(
      [
        policy({
          name: 'out',
          podSelector: LabelSelector.of({ app: 'web' }),
          policyTypes: [Direction.EGRESS],
          egress: [Rule.of([], [Port.named('pg'), Port.tcp(443)])],
        }),
      ],
      { namespaces: [], workloads: [src, dst] },
    );
    expect(a.connectionSet('default/web', '198.51.100.1').toString()).toBe('TCP 443');
  });

  test('ranges merge when adjacent and print in np-guard text', () => {
    expect(ingress(Port.tcpRange(1, 52), Port.tcpRange(54, 65535), Port.udp(53))).toBe('TCP 1-52,54-65535,UDP 53');
    expect(ingress(Port.tcpRange(1, 65535), Port.udpRange(1, 65535), Port.sctpRange(1, 65535))).toBe('All Connections');
  });
});

describe('selectors', () => {
  const workloads = [
    pod('default/db', { app: 'db' }),
    pod('default/a', { tier: 'front', app: 'x' }),
    pod('default/b', { tier: 'back', app: 'x' }),
    pod('default/c', { app: 'x' }),
  ];
  const sources = (...exprs: Parameters<typeof LabelSelector.of>[1] & object) => {
    const a = analyze(
      [
        policy({
          name: 'p',
          podSelector: LabelSelector.of({ app: 'db' }),
          ingress: [Rule.of([Peer.pods(LabelSelector.of({ app: 'x' }, exprs))], [])],
        }),
      ],
      { namespaces: [], workloads },
    );
    return ['default/a', 'default/b', 'default/c'].filter((s) => a.connectionSet(s, 'default/db').isAll);
  };

  test('In matches pods whose label has one of the values', () => {
    expect(sources({ key: 'tier', operator: SelectorOperator.IN, values: ['front', 'mid'] })).toEqual(['default/a']);
  });

  test('NotIn matches pods whose label has none of the values, including pods without the label', () => {
    expect(sources({ key: 'tier', operator: SelectorOperator.NOT_IN, values: ['front'] })).toEqual(['default/b', 'default/c']);
  });

  test('Exists matches pods that have the label', () => {
    expect(sources({ key: 'tier', operator: SelectorOperator.EXISTS })).toEqual(['default/a', 'default/b']);
  });

  test('DoesNotExist matches pods without the label', () => {
    expect(sources({ key: 'tier', operator: SelectorOperator.DOES_NOT_EXIST })).toEqual(['default/c']);
  });

  test('matchLabels and every expression must all hold', () => {
    expect(
      sources({ key: 'tier', operator: SelectorOperator.EXISTS }, { key: 'tier', operator: SelectorOperator.NOT_IN, values: ['back'] }),
    ).toEqual(['default/a']);
  });
});

describe('external endpoints', () => {
  const policies = [
    policy({
      name: 'in',
      podSelector: LabelSelector.of({ app: 'db' }),
      ingress: [Rule.of([Peer.cidr('10.0.0.0/8', ['10.10.0.0/16'])], [Port.tcp(5432)])],
    }),
    policy({
      name: 'out',
      podSelector: LabelSelector.of({ app: 'db' }),
      policyTypes: [Direction.EGRESS],
      egress: [Rule.of([Peer.cidr('2001:db8::/32')], [Port.tcp(443)])],
    }),
  ];

  test('sources are the address space cut by the ingress ipBlocks, destinations by the egress ipBlocks, IPv4 then IPv6', () => {
    const a = analyze(policies, cluster);
    expect(a.externalSources.map(String)).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.9.255.255',
      '10.10.0.0/16',
      '10.11.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
      '::/0',
    ]);
    expect(a.externalDestinations.map(String)).toEqual([
      '0.0.0.0/0',
      '::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:db8::/32',
      '2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  test('connections lists every pair with something allowed: no self pairs and no address-to-address pairs', () => {
    const a = analyze(policies, cluster);
    const lines = a.connections().map((c) => `${a.nameOf(c.from)} => ${a.nameOf(c.to)} : ${c.reach}`);
    // between the pods, the ipBlocks decide by the pods' IPs, which are unknown
    expect(lines).toEqual([
      'default/web => default/db : TCP 5432 if source IP in 10.0.0.0/8 except 10.10.0.0/16',
      'default/db => default/web : TCP 443 if destination IP in 2001:db8::/32',
      '0.0.0.0-9.255.255.255 => default/web : All Connections',
      '10.0.0.0-10.9.255.255 => default/web : All Connections',
      '10.0.0.0-10.9.255.255 => default/db : TCP 5432',
      '10.10.0.0/16 => default/web : All Connections',
      '10.11.0.0-10.255.255.255 => default/web : All Connections',
      '10.11.0.0-10.255.255.255 => default/db : TCP 5432',
      '11.0.0.0-255.255.255.255 => default/web : All Connections',
      '::/0 => default/web : All Connections',
      'default/web => 0.0.0.0/0 : All Connections',
      'default/web => ::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff : All Connections',
      'default/web => 2001:db8::/32 : All Connections',
      'default/web => 2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff : All Connections',
      'default/db => 2001:db8::/32 : TCP 443',
    ]);
  });

  test('an address endpoint falls into its range and keeps its own name', () => {
    const a = analyze(policies, cluster);
    const e = a.endpoint('2001:db8::5', 'to');
    expect(e.type === 'external' && e.range.toString()).toBe('2001:db8::/32');
    expect(a.nameOf(e)).toBe('2001:db8::5');
    expect(a.allows('default/db', '2001:db8::5', 443)).toBe(true);
    expect(a.allows('default/db', '2001:db9::5', 443)).toBe(false);
  });
});

describe('endpoints and errors', () => {
  const twins = [
    pod('default/web', { app: 'web' }, { kind: 'Deployment' }),
    pod('default/web', { app: 'web' }, { kind: 'StatefulSet' }),
    db,
  ];
  const a = analyze([], { namespaces: [], workloads: twins });

  test('a workload name shared by two kinds needs the kind, and names show it', () => {
    expect(a.connectionSet('default/web[StatefulSet]', 'default/db').isAll).toBe(true);
    expect(a.nameOf(a.endpoint('default/web[Deployment]', 'from'))).toBe('default/web[Deployment]');
    expect(a.nameOf(a.endpoint('default/db', 'from'))).toBe('default/db');
  });

  test('throws on an ambiguous workload name, listing the choices', () => {
    expect(() => a.endpoint('default/web', 'from')).toThrow(
      '"default/web" names 2 workloads; write one of "default/web[Deployment]", "default/web[StatefulSet]"',
    );
  });

  test('throws on an unknown workload, listing the workloads of its namespace', () => {
    expect(() => a.endpoint('default/cache', 'to')).toThrow(
      'no workload "default/cache" in the cluster; workloads in namespace "default": db, web',
    );
    expect(() => a.endpoint('prod/cache', 'to')).toThrow('no workload "prod/cache" in the cluster; namespace "prod" has no workloads');
  });

  test('throws on a CIDR or on text that is neither a workload nor an address', () => {
    expect(() => a.endpoint('10.0.0.0/8', 'to')).toThrow('"10.0.0.0/8" is a CIDR; give one address, such as "10.0.0.0"');
    expect(() => a.endpoint('web', 'to')).toThrow('"web" is neither a workload ("namespace/name"), an IP address nor a domain name');
  });

  test('throws when both ends are outside the cluster', () => {
    expect(() => a.connectionSet('1.1.1.1', '8.8.8.8')).toThrow(
      'both ends (1.1.1.1 and 8.8.8.8) are outside the cluster; NetworkPolicy governs only traffic to or from pods',
    );
  });

  test('throws on a port out of range or an unknown protocol', () => {
    expect(() => a.allows('default/db', '1.1.1.1', 0)).toThrow('port 0 is out of range; a port number is an integer from 1 to 65535');
    expect(() => a.allows('default/db', '1.1.1.1', 80, 'tcp' as never)).toThrow(
      'protocol "tcp" is not supported; use "TCP", "UDP" or "SCTP" (upper case)',
    );
  });
});

describe('classes of workloads', () => {
  test('workloads that no selector tells apart share a class, and the matrix answers for each pair', () => {
    const workloads = [
      pod('default/web-1', { app: 'web', n: '1' }),
      pod('default/web-2', { app: 'web', n: '2' }),
      pod('default/db', { app: 'db' }),
    ];
    const a = analyze(
      [
        policy({
          name: 'p',
          podSelector: LabelSelector.of({ app: 'db' }),
          ingress: [Rule.of([Peer.pods({ app: 'web' })], [Port.tcp(5432)])],
        }),
      ],
      { namespaces: [], workloads },
    );
    expect(a.classes.map((c) => c.workloads.map((w) => w.name))).toEqual([['web-1', 'web-2'], ['db']]);
    const m = a.matrix();
    expect(m.get(0, 1).toString()).toBe('TCP 5432');
    expect(m.get(1, 0).isAll).toBe(true);
    expect(m.get(0, 0).isAll).toBe(true);
    // from outside: IPv4 and IPv6 to each web pod (db admits only web); to outside: both families from all three
    expect(m.countAllowed()).toEqual({ workloadPairs: 6, externalPairs: 10 });
    expect(a.classConnectionSet(0, 1)).toBe(a.connectionSet('default/web-2', 'default/db'));
  });

  test('pods whose named port resolves to different numbers are told apart', () => {
    const workloads = [
      pod('default/a', { app: 'x' }, { ports: [{ name: 'http', containerPort: 80, protocol: Protocol.TCP }] }),
      pod('default/b', { app: 'x' }, { ports: [{ name: 'http', containerPort: 8080, protocol: Protocol.TCP }] }),
      pod('default/c', { app: 'x' }, { ports: [{ name: 'http', containerPort: 8080, protocol: Protocol.TCP }] }),
    ];
    const a = analyze([policy({ name: 'p', ingress: [Rule.of([], [Port.named('http')])] })], { namespaces: [], workloads });
    expect(a.classes.map((c) => c.workloads.map((w) => w.name))).toEqual([['a'], ['b', 'c']]);
    expect(a.connectionSet('default/b', 'default/a').toString()).toBe('TCP 80');
    expect(a.connectionSet('default/a', 'default/c').toString()).toBe('TCP 8080');
  });
});
