/**
 * `lint` over model values: the tiers of a chart when no workloads are given, the options, and
 * where findings point for policies built in code.
 */
import { lint, RULES } from '../../../lib/check/lint';
import { namespace, Workload } from '../../../lib/model/cluster';
import { Peer } from '../../../lib/model/peer';
import { Policy } from '../../../lib/model/policy';
import { Port, Protocol } from '../../../lib/model/port';
import { Rule, Direction } from '../../../lib/model/rule';
import { LabelSelector } from '../../../lib/model/selector';

const defaultDeny = Policy.of({
  name: 'default-deny',
  namespace: 'shop',
  policyTypes: [Direction.INGRESS, Direction.EGRESS],
  origin: { where: 'shop/default-deny' },
});
const allowDns = Policy.of({
  name: 'allow-dns',
  namespace: 'shop',
  policyTypes: [Direction.EGRESS],
  egress: [Rule.of([Peer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' })], [Port.udp(53), Port.tcp(53)])],
});
const web = (egress: Rule[]) =>
  Policy.of({ name: 'web', namespace: 'shop', podSelector: LabelSelector.of({ app: 'web' }), policyTypes: [Direction.EGRESS], egress });
const api = Policy.of({
  name: 'api',
  namespace: 'shop',
  podSelector: LabelSelector.of({ app: 'api' }),
  policyTypes: [Direction.EGRESS],
  egress: [Rule.of([Peer.pods({ app: 'db' })], [Port.tcp(5432)])],
});
const db = (ingress: Rule[]) =>
  Policy.of({ name: 'db', namespace: 'shop', podSelector: LabelSelector.of({ app: 'db' }), policyTypes: [Direction.INGRESS], ingress });

function workload(name: string, labels: Record<string, string>, ports: Workload['ports'] = []): Workload {
  return { namespace: 'shop', name, kind: 'Deployment', labels, ports };
}

describe('lint without cluster manifests reasons about the tiers the policies select', () => {
  test('a default deny without DNS is reported for the other pods of the namespace', () => {
    const found = lint([defaultDeny]).filter((f) => f.ruleId === 'NP001');
    expect(found.map((f) => f.message)).toEqual([
      'this policy isolates the egress of the other pods of shop, and no policy allows it DNS (UDP 53, TCP 53), so name lookups fail',
    ]);
  });

  test('egress from one tier to another whose ingress admits only a third is one-sided', () => {
    const policies = [
      defaultDeny,
      allowDns,
      web([Rule.of([Peer.pods({ app: 'db' })], [Port.tcp(5432)])]),
      api,
      db([Rule.of([Peer.pods({ app: 'api' })], [Port.tcp(5432)])]),
    ];
    const found = lint(policies).filter((f) => f.ruleId === 'NP002');
    expect(found.map((f) => [f.object.name, f.path, f.message])).toEqual([
      [
        'web',
        'spec.egress[0].to[0]',
        "this egress rule allows connections that the destination's ingress does not admit, so they are dropped: pods app=web of shop -> pods app=db of shop on TCP 5432 (pods app=db of shop is isolated for ingress by shop/db, shop/default-deny)",
      ],
    ]);
  });

  test('tiers that allow each other at both ends are not one-sided', () => {
    const policies = [
      defaultDeny,
      allowDns,
      web([Rule.of([Peer.pods({ app: 'db' })], [Port.tcp(5432)])]),
      db([Rule.of([Peer.pods({ app: 'web' })], [Port.tcp(5432)])]),
    ];
    expect(lint(policies).filter((f) => f.ruleId === 'NP002')).toEqual([]);
  });

  test('a tier whose ingress admits by a named port is not judged, as tiers have no container ports', () => {
    const policies = [
      defaultDeny,
      allowDns,
      web([Rule.of([Peer.pods({ app: 'db' })], [Port.tcp(5432)])]),
      db([Rule.of([Peer.pods({ app: 'web' })], [Port.named('pg')])]),
    ];
    expect(lint(policies).filter((f) => f.ruleId === 'NP002')).toEqual([]);
  });

  test('a broad egress rule (every pod of the namespace) is not taken as naming the destination', () => {
    const policies = [
      defaultDeny,
      allowDns,
      web([Rule.of([Peer.pods({})], [Port.tcp(5432)])]),
      api,
      db([Rule.of([Peer.pods({ app: 'api' })], [Port.tcp(5432)])]),
    ];
    expect(lint(policies).filter((f) => f.ruleId === 'NP002')).toEqual([]);
  });

  test('namespace-wide findings are located at the first policy of the namespace', () => {
    const found = lint([
      Policy.of({
        name: 'web',
        namespace: 'shop',
        podSelector: LabelSelector.of({ app: 'web' }),
        policyTypes: [Direction.INGRESS],
        origin: { where: 'chart/web', doc: 2 },
      }),
    ]);
    expect(found.filter((f) => f.ruleId === 'NP003').map((f) => f.location)).toEqual([{ file: 'chart/web', doc: 2 }]);
  });
});

describe('NP002 with cluster workloads', () => {
  test('lists three pairs and counts the rest', () => {
    const webs = [0, 1, 2, 3].map((i) => workload(`web-${i}`, { app: 'web' }));
    const cluster = { namespaces: [namespace('shop')], workloads: [...webs, workload('db', { app: 'db' })] };
    const policies = [
      web([Rule.of([Peer.pods({ app: 'db' })], [Port.tcp(5432)])]),
      db([Rule.of([Peer.pods({ app: 'api' })], [Port.tcp(5432)])]),
    ];
    expect(
      lint(policies, cluster)
        .filter((f) => f.ruleId === 'NP002')
        .map((f) => f.message),
    ).toEqual([
      "this egress rule allows connections that the destination's ingress does not admit, so they are dropped: " +
        'shop/web-0 -> shop/db on TCP 5432 (shop/db is isolated for ingress by shop/db), shop/web-1 -> shop/db on TCP 5432 (shop/db is isolated for ingress by shop/db), ' +
        'shop/web-2 -> shop/db on TCP 5432 (shop/db is isolated for ingress by shop/db) and 1 more',
    ]);
  });
});

describe('NP001 and the DNS ports', () => {
  const cluster = { namespaces: [namespace('shop')], workloads: [workload('web', { app: 'web' })], complete: true };

  test('TCP 53 without UDP 53 is reported as a partial allowance', () => {
    const tcpOnly = Policy.of({ name: 'dns', namespace: 'shop', policyTypes: [Direction.EGRESS], egress: [Rule.of([], [Port.tcp(53)])] });
    expect(
      lint([defaultDeny, tcpOnly], cluster)
        .filter((f) => f.ruleId === 'NP001')
        .map((f) => f.message),
    ).toEqual([
      'this policy isolates the egress of shop/web, and the policies allow DNS on TCP 53 but not on UDP 53, so lookups over UDP 53 time out',
    ]);
  });

  test('the named ports kube-dns uses count as port 53', () => {
    const named = Policy.of({
      name: 'dns',
      namespace: 'shop',
      policyTypes: [Direction.EGRESS],
      egress: [Rule.of([Peer.namespace('kube-system')], [Port.named('dns', Protocol.UDP), Port.named('dns-tcp')])],
    });
    expect(lint([defaultDeny, named], cluster).filter((f) => f.ruleId === 'NP001')).toEqual([]);
  });

  test('a range holding 53 counts', () => {
    const range = Policy.of({
      name: 'dns',
      namespace: 'shop',
      policyTypes: [Direction.EGRESS],
      egress: [Rule.of([], [Port.udpRange(1, 1024), Port.tcpRange(50, 60)])],
    });
    expect(lint([defaultDeny, range], cluster).filter((f) => f.ruleId === 'NP001')).toEqual([]);
  });

  test('the environment DNS port replaces 53', () => {
    const found = lint([defaultDeny, allowDns], cluster, { dnsPorts: [Port.udp(5353), Port.tcp(5353)] }).filter(
      (f) => f.ruleId === 'NP001',
    );
    expect(found.map((f) => [f.message, f.fix])).toEqual([
      [
        'this policy isolates the egress of shop/web, and no policy allows it DNS (UDP 5353, TCP 5353), so name lookups fail',
        'allow egress on UDP 5353, TCP 5353 to the cluster DNS for these pods (e.g. AllowDns in namespace shop)',
      ],
    ]);
  });

  test('pods whose egress is not isolated need no DNS allowance', () => {
    const ingressOnly = Policy.of({ name: 'deny-in', namespace: 'shop', policyTypes: [Direction.INGRESS] });
    expect(lint([ingressOnly], cluster).filter((f) => f.ruleId === 'NP001')).toEqual([]);
  });
});

describe('lint options', () => {
  test('rules limits the run to the named rules', () => {
    const denyIn = Policy.of({ name: 'deny-in', namespace: 'shop', policyTypes: [Direction.INGRESS] });
    const found = lint([denyIn], undefined, { rules: ['NP001', 'NP004'] });
    expect(found.map((f) => f.ruleId)).toEqual(['NP004']);
  });

  test('throws for an unknown rule id, naming the rules', () => {
    expect(() => lint([], undefined, { rules: ['NP999'] })).toThrow(
      `rules: unknown rule "NP999"; the rules are ${RULES.map((r) => r.id).join(', ')}`,
    );
  });

  test('throws for a pod CIDR without a mask, with the path of the option', () => {
    expect(() => lint([], undefined, { podCidrs: ['10.244.0.0'] })).toThrow(
      'podCidrs[0]: CIDR mask is missing in "10.244.0.0". Did you mean "10.244.0.0/32"?',
    );
  });

  test('throws for a DNS port that is a range', () => {
    expect(() => lint([], undefined, { dnsPorts: [Port.udpRange(53, 54)] })).toThrow(
      'dnsPorts[0]: DNS port "UDP 53-54" must be a single port number, e.g. Port.udp(53)',
    );
  });

  test('every rule has a stable id, a name, a cause, an explanation and a fix', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'NP001',
      'NP002',
      'NP003',
      'NP004',
      'NP005',
      'NP006',
      'NP007',
      'NP008',
      'NP009',
      'NP010',
      'NP011',
      'NP012',
      'NP013',
      'NP014',
      'NP015',
      'NP016',
      'NP017',
      'NP018',
    ]);
    for (const r of RULES) {
      expect(r.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(r.cause).toMatch(/\.$/);
      expect(r.explanation.length).toBeGreaterThan(r.cause.length);
      expect(r.fix).toMatch(/\.$/);
    }
  });
});
