import {
  Cidr,
  ClusterPeer,
  ClusterPeerKind,
  ClusterPolicy,
  ClusterRule,
  ClusterRuleAction,
  ClusterSubject,
  ClusterTier,
  Direction,
  DomainName,
  LabelSelector,
  Port,
  SelectorOperator,
} from '../../lib/model';
import { issuesOf } from './caught';

describe('ClusterSubject', () => {
  test('allPods is an empty namespaces selector and selects every pod', () => {
    const s = ClusterSubject.allPods();
    expect(s.toJson()).toEqual({ namespaces: {} });
    expect(s.toString()).toBe('every pod');
    expect(s.selects({ 'kubernetes.io/metadata.name': 'x' }, { app: 'y' })).toBe(true);
  });

  test('namespace selects by the metadata.name label', () => {
    const s = ClusterSubject.namespace('shop');
    expect(s.toJson()).toEqual({ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } });
    expect(s.toString()).toBe('every pod in namespace shop');
    expect(s.selects({ 'kubernetes.io/metadata.name': 'shop' }, {})).toBe(true);
    expect(s.selects({ 'kubernetes.io/metadata.name': 'other' }, {})).toBe(false);
  });

  test('pods needs the namespace AND the pod labels', () => {
    const s = ClusterSubject.pods({ team: 'a' }, { app: 'web' });
    expect(s.toJson()).toEqual({
      pods: { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'web' } } },
    });
    expect(s.toString()).toBe('pods app=web in namespaces team=a');
    expect(s.selects({ team: 'a' }, { app: 'web' })).toBe(true);
    expect(s.selects({ team: 'a' }, { app: 'db' })).toBe(false);
    expect(s.selects({ team: 'b' }, { app: 'web' })).toBe(false);
    expect(ClusterSubject.podsInNamespace('shop', {}).toString()).toBe('pods * in namespace shop');
    expect(ClusterSubject.namespaces({ team: 'a' }).toString()).toBe('every pod in namespaces team=a');
  });

  test('throws for an invalid namespace name', () => {
    expect(issuesOf(() => ClusterSubject.namespace('Shop'))[0].message).toMatch(/^namespace name "Shop" is invalid: /);
  });
});

describe('ClusterPeer', () => {
  test('renders each kind as the one API field it stands for', () => {
    expect(ClusterPeer.allPods().toJson()).toEqual({ namespaces: {} });
    expect(ClusterPeer.namespace('monitoring').toJson()).toEqual({
      namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
    });
    expect(ClusterPeer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' }).toJson()).toEqual({
      pods: {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    });
    expect(ClusterPeer.pods({}, { app: 'a' }).toJson()).toEqual({
      pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'a' } } },
    });
    expect(ClusterPeer.nodes({ 'kubernetes.io/os': 'linux' }).toJson()).toEqual({
      nodes: { matchLabels: { 'kubernetes.io/os': 'linux' } },
    });
    expect(ClusterPeer.allNodes().toJson()).toEqual({ nodes: {} });
    expect(ClusterPeer.networks(['10.0.0.0/8', 'fd00::/8']).toJson()).toEqual({ networks: ['10.0.0.0/8', 'fd00::/8'] });
    expect(ClusterPeer.anyAddress().toJson()).toEqual({ networks: ['0.0.0.0/0', '::/0'] });
    expect(ClusterPeer.domainNames(['api.stripe.com', '*.stripe.com']).toJson()).toEqual({
      domainNames: ['api.stripe.com', '*.stripe.com'],
    });
  });

  test('prints readably', () => {
    expect(ClusterPeer.allPods().toString()).toBe('every pod');
    expect(ClusterPeer.namespace('monitoring').toString()).toBe('namespace monitoring');
    expect(ClusterPeer.namespaces({ team: 'a' }).toString()).toBe('namespaces team=a');
    expect(ClusterPeer.podsInNamespace('kube-system', { 'k8s-app': 'kube-dns' }).toString()).toBe(
      'pods k8s-app=kube-dns in namespace kube-system',
    );
    expect(ClusterPeer.pods({}, { app: 'a' }).toString()).toBe('pods app=a in every namespace');
    expect(ClusterPeer.allNodes().toString()).toBe('every node');
    expect(ClusterPeer.nodes({ role: 'edge' }).toString()).toBe('nodes role=edge');
    expect(ClusterPeer.anyAddress().toString()).toBe('networks 0.0.0.0/0, ::/0');
    expect(ClusterPeer.domainNames(['api.stripe.com']).toString()).toBe('domains api.stripe.com');
  });

  test('only namespaces and pods peers may be used in ingress rules', () => {
    expect([ClusterPeer.allPods(), ClusterPeer.pods({}, {})].map((p) => p.egressOnly)).toEqual([false, false]);
    expect([ClusterPeer.allNodes(), ClusterPeer.anyIpv4(), ClusterPeer.domainNames(['a.b'])].map((p) => p.egressOnly)).toEqual([
      true,
      true,
      true,
    ]);
  });

  test('networks drops repeats and takes Cidr values', () => {
    const p = ClusterPeer.networks(['10.0.0.0/8', Cidr.parse('10.0.0.0/8'), '::/0']);
    expect(p.kind).toBe(ClusterPeerKind.NETWORKS);
    expect(p.cidrs.map(String)).toEqual(['10.0.0.0/8', '::/0']);
  });

  test('throws for a CIDR with host bits, at its index', () => {
    expect(issuesOf(() => ClusterPeer.networks(['10.0.0.0/8', '10.0.0.1/8']))).toEqual([
      {
        code: 'cidr.host-bits',
        path: '[1]',
        message:
          'CIDR "10.0.0.1/8" has bits set beyond its /8 prefix; write the network address "10.0.0.0/8" (or "10.0.0.1/32" for the single address)',
      },
    ]);
  });

  test('throws for no CIDR, and for more than 25', () => {
    expect(issuesOf(() => ClusterPeer.networks([]))).toEqual([
      { code: 'cluster-peer.empty', path: '', message: 'networks needs at least one CIDR' },
    ]);
    const many = Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`);
    expect(issuesOf(() => ClusterPeer.networks(many))[0].message).toBe(
      'networks holds 26 entries, but the API allows at most 25 per peer; split them over several peers',
    );
    expect(issuesOf(() => ClusterPeer.domainNames([]))[0].message).toBe('domainNames needs at least one domain name');
  });

  test('domainNames drops repeats that differ in letter case only, and reports bad names at their index', () => {
    expect(ClusterPeer.domainNames(['api.stripe.com', 'API.stripe.com', DomainName.of('*.stripe.com')]).domains.map(String)).toEqual([
      'api.stripe.com',
      '*.stripe.com',
    ]);
    expect(issuesOf(() => ClusterPeer.domainNames(['ok.example.com', 'localhost']))[0].path).toBe('[1]');
  });
});

describe('ClusterRule', () => {
  test('renders name, action, peers and protocols, numbers, ranges and named ports', () => {
    const rule = ClusterRule.of({
      name: 'web',
      action: ClusterRuleAction.ACCEPT,
      peers: [ClusterPeer.namespace('a')],
      ports: [Port.tcp(80), Port.udpRange(5000, 5100), Port.allSctp()],
      namedPorts: ['metrics'],
    });
    expect(rule.toJson(Direction.INGRESS)).toEqual({
      name: 'web',
      action: 'Accept',
      from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } } }],
      protocols: [
        { tcp: { destinationPort: { number: 80 } } },
        { udp: { destinationPort: { range: { start: 5000, end: 5100 } } } },
        { sctp: { destinationPort: { range: { start: 1, end: 65535 } } } },
        { destinationNamedPort: 'metrics' },
      ],
    });
    expect(rule.toString()).toBe('Accept namespace a: TCP 80, UDP 5000-5100, SCTP *, port metrics');
    expect(rule.anyPort).toBe(false);
  });

  test('without ports a rule matches every port and has no protocols', () => {
    const rule = ClusterRule.deny([ClusterPeer.anyAddress()]);
    expect(rule.anyPort).toBe(true);
    expect(rule.toJson(Direction.EGRESS)).toEqual({ action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] });
    expect(rule.toString()).toBe('Deny networks 0.0.0.0/0, ::/0: all ports');
  });

  test('a range of one port renders as a number', () => {
    expect(ClusterRule.pass([ClusterPeer.allPods()], { ports: [Port.tcpRange(80, 80)] }).toJson(Direction.EGRESS).protocols).toEqual([
      { tcp: { destinationPort: { number: 80 } } },
    ]);
  });

  test('drops repeated peers and ports and keeps the order', () => {
    const rule = ClusterRule.accept([ClusterPeer.namespace('b'), ClusterPeer.namespace('a'), ClusterPeer.namespace('b')], {
      ports: [Port.tcp(2), Port.tcp(1), Port.tcp(2)],
      namedPorts: ['x', 'x'],
    });
    expect(rule.peers.map(String)).toEqual(['namespace b', 'namespace a']);
    expect(rule.ports.map(String)).toEqual(['TCP 2', 'TCP 1']);
    expect(rule.namedPorts).toEqual(['x']);
  });

  test('throws for no peers, a named Port, a long name and too many ports, all at once', () => {
    expect(
      issuesOf(() =>
        ClusterRule.of({
          action: ClusterRuleAction.DENY,
          peers: [],
          ports: [Port.named('http'), ...Array.from({ length: 25 }, (_, i) => Port.tcp(i + 1))],
          name: 'x'.repeat(101),
        }),
      ),
    ).toEqual([
      { code: 'cluster-rule.name', path: 'name', message: 'the rule name is 101 characters long; the API allows at most 100' },
      {
        code: 'cluster-rule.peers',
        path: 'peers',
        message: 'a rule needs at least one peer; to match every pod use ClusterPeer.allPods(), every address ClusterPeer.anyAddress()',
      },
      {
        code: 'cluster-rule.named-port',
        path: 'ports[0]',
        message:
          '"http" is a named port; give it in namedPorts: a ClusterNetworkPolicy named port matches the container port of that name whatever its protocol',
      },
      {
        code: 'cluster-rule.ports',
        path: 'ports',
        message: 'a rule holds at most 25 ports and named ports together, this one has 26; split it into several rules',
      },
    ]);
  });

  test('throws for domain names in a Deny or Pass rule', () => {
    expect(issuesOf(() => ClusterRule.deny([ClusterPeer.allPods(), ClusterPeer.domainNames(['evil.example.com'])]))).toEqual([
      {
        code: 'cluster-rule.domain-names-action',
        path: 'peers[1]',
        message:
          'domainNames peers are supported in Accept rules only, not in Deny rules: an implementation cannot know every address behind a name, so it could not enforce a Deny; deny by networks, or accept the names and deny the rest after them',
      },
    ]);
    expect(issuesOf(() => ClusterRule.pass([ClusterPeer.domainNames(['a.example.com'])]))[0].code).toBe('cluster-rule.domain-names-action');
  });

  test('throws for named ports with networks, nodes or domain names peers, as the CRD rule does', () => {
    expect(issuesOf(() => ClusterRule.accept([ClusterPeer.allPods(), ClusterPeer.allNodes()], { namedPorts: ['web'] }))).toEqual([
      {
        code: 'cluster-rule.named-port-peer',
        path: 'namedPorts',
        message:
          'named ports cannot be used with nodes peers, which have no named ports (every node); give port numbers, or move the named ports to a rule with pods or namespaces peers',
      },
    ]);
  });

  test('throws for an action that is not one of the enum values', () => {
    expect(issuesOf(() => ClusterRule.of({ action: 'Allow' as ClusterRuleAction, peers: [ClusterPeer.allPods()] }))).toEqual([
      {
        code: 'cluster-rule.action',
        path: 'action',
        message: 'action "Allow" is not supported; use Accept, Deny or Pass (ClusterRuleAction)',
      },
    ]);
  });
});

describe('ClusterPolicy', () => {
  const deny = ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32'])], { name: 'metadata' });

  test('holds tier, priority, subject and rules in order', () => {
    const p = ClusterPolicy.of({
      name: 'deny-metadata',
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.allPods(),
      egress: [deny, ClusterRule.accept([ClusterPeer.allPods()])],
      labels: { owner: 'platform' },
    });
    expect(p.toString()).toBe('ClusterNetworkPolicy deny-metadata (Admin, priority 10)');
    expect(p.id).toBe('deny-metadata');
    expect(p.ingress).toEqual([]);
    expect(p.egress.map(String)).toEqual(['Deny networks 169.254.169.254/32: all ports', 'Accept every pod: all ports']);
    expect(p.rules(Direction.EGRESS)).toBe(p.egress);
    expect(p.rules(Direction.INGRESS)).toBe(p.ingress);
    expect(p.labels).toEqual({ owner: 'platform' });
    expect(ClusterPolicy.isClusterPolicy(p)).toBe(true);
  });

  test('throws for a bad name, tier and priority, and egress-only peers in ingress rules, all at once', () => {
    expect(
      issuesOf(() =>
        ClusterPolicy.of({
          name: 'Deny_Metadata',
          tier: 'admin' as ClusterTier,
          priority: 1001,
          subject: ClusterSubject.allPods(),
          ingress: [ClusterRule.deny([ClusterPeer.allPods(), ClusterPeer.anyIpv4()])],
        }),
      ),
    ).toEqual([
      {
        code: 'metadata.name',
        path: 'name',
        message:
          "name \"Deny_Metadata\" is invalid: must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
      },
      { code: 'cluster-policy.tier', path: 'tier', message: 'tier "admin" is not supported; use Admin or Baseline (ClusterTier)' },
      {
        code: 'cluster-policy.priority',
        path: 'priority',
        message: 'priority 1001 is out of range; a priority is an integer from 0 (evaluated first) to 1000',
      },
      {
        code: 'cluster-policy.ingress-peer',
        path: 'ingress[0].peers[1]',
        message: 'ingress rules take namespaces and pods peers only; networks peers (networks 0.0.0.0/0) are for egress rules',
      },
    ]);
  });

  test('throws for a fractional priority and more than 25 rules in a direction', () => {
    const rules = Array.from({ length: 26 }, () => deny);
    expect(
      issuesOf(() =>
        ClusterPolicy.of({ name: 'p', tier: ClusterTier.BASELINE, priority: 2.5, subject: ClusterSubject.allPods(), egress: rules }),
      ).map((i) => i.message),
    ).toEqual([
      'priority 2.5 is out of range; a priority is an integer from 0 (evaluated first) to 1000',
      'a ClusterNetworkPolicy holds at most 25 egress rules, this one has 26; split them over policies with consecutive priorities',
    ]);
  });

  test('accepts an invalid name when asked to, for policies read from manifests', () => {
    const p = ClusterPolicy.of(
      { name: 'Bad_Name', tier: ClusterTier.ADMIN, priority: 0, subject: ClusterSubject.allPods() },
      { allowInvalidNames: true },
    );
    expect(p.name).toBe('Bad_Name');
  });

  test('the selectors of its subject are ordinary label selectors', () => {
    const p = ClusterPolicy.of({
      name: 'p',
      tier: ClusterTier.ADMIN,
      priority: 0,
      subject: ClusterSubject.namespaces(LabelSelector.of({}, [{ key: 'env', operator: SelectorOperator.IN, values: ['prod'] }])),
    });
    expect(p.subject.selects({ env: 'prod' }, {})).toBe(true);
    expect(p.subject.selects({ env: 'dev' }, {})).toBe(false);
  });
});
