import * as fc from 'fast-check';
import {
  ClusterPeer,
  ClusterPolicy,
  ClusterRule,
  ClusterSubject,
  ClusterTier,
  clusterPeersMayOverlap,
  clusterRulesMayOverlap,
  LabelSelector,
  Labels,
  Port,
  samePriorityConflicts,
  SelectorExpression,
  SelectorOperator,
  selectorsMayOverlap,
} from '../../lib/model';

describe('selectorsMayOverlap', () => {
  const sel = (labels: Labels, exprs: SelectorExpression[] = []) => LabelSelector.of(labels, exprs);

  test('is false for contradicting labels, In sets without a common value, and Exists against DoesNotExist', () => {
    expect(selectorsMayOverlap(sel({ app: 'a' }), sel({ app: 'b' }))).toBe(false);
    expect(
      selectorsMayOverlap(
        sel({}, [{ key: 'env', operator: SelectorOperator.IN, values: ['a', 'b'] }]),
        sel({}, [{ key: 'env', operator: SelectorOperator.IN, values: ['c'] }]),
      ),
    ).toBe(false);
    expect(selectorsMayOverlap(sel({ app: 'a' }), sel({}, [{ key: 'app', operator: SelectorOperator.NOT_IN, values: ['a'] }]))).toBe(false);
    expect(
      selectorsMayOverlap(
        sel({}, [{ key: 'app', operator: SelectorOperator.EXISTS }]),
        sel({}, [{ key: 'app', operator: SelectorOperator.DOES_NOT_EXIST }]),
      ),
    ).toBe(false);
  });

  test('is true when some label set satisfies both', () => {
    expect(selectorsMayOverlap(LabelSelector.all(), sel({ app: 'a' }))).toBe(true);
    expect(selectorsMayOverlap(sel({ app: 'a' }), sel({ tier: 'b' }))).toBe(true);
    expect(
      selectorsMayOverlap(
        sel({}, [{ key: 'app', operator: SelectorOperator.NOT_IN, values: ['a'] }]),
        sel({}, [{ key: 'app', operator: SelectorOperator.DOES_NOT_EXIST }]),
      ),
    ).toBe(true);
    expect(
      selectorsMayOverlap(
        sel({}, [{ key: 'app', operator: SelectorOperator.NOT_IN, values: ['a'] }]),
        sel({}, [{ key: 'app', operator: SelectorOperator.EXISTS }]),
      ),
    ).toBe(true);
  });

  test('is exact: true if and only if some label set over the values used, or one more, matches both', () => {
    const keys = ['a', 'b'];
    const values = ['x', 'y', 'z'];
    const expr = fc.oneof(
      fc.record({
        key: fc.constantFrom(...keys),
        operator: fc.constantFrom(SelectorOperator.IN, SelectorOperator.NOT_IN),
        values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom(SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST) }),
    );
    const selector = fc
      .tuple(fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 2 }), fc.array(expr, { maxLength: 3 }))
      .map(([labels, exprs]) => LabelSelector.of(labels, exprs));
    // every label set over the keys, each absent or one of the values or a value no selector names
    const sets: Labels[] = [];
    const choices = [undefined, ...values, 'w'];
    for (const a of choices) for (const b of choices) sets.push({ ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) });
    fc.assert(
      fc.property(selector, selector, (x, y) => {
        expect(selectorsMayOverlap(x, y)).toBe(sets.some((l) => x.matches(l) && y.matches(l)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('clusterPeersMayOverlap and clusterRulesMayOverlap', () => {
  test('pods and namespaces peers overlap when both selectors can', () => {
    expect(clusterPeersMayOverlap(ClusterPeer.namespace('a'), ClusterPeer.podsInNamespace('a', { app: 'x' }))).toBe(true);
    expect(clusterPeersMayOverlap(ClusterPeer.namespace('a'), ClusterPeer.podsInNamespace('b', { app: 'x' }))).toBe(false);
    expect(clusterPeersMayOverlap(ClusterPeer.pods({}, { app: 'x' }), ClusterPeer.pods({}, { app: 'y' }))).toBe(false);
  });

  test('networks overlap when a CIDR of each does, and may hold pods, nodes and the addresses behind names', () => {
    expect(clusterPeersMayOverlap(ClusterPeer.networks(['10.0.0.0/8']), ClusterPeer.networks(['10.1.0.0/16']))).toBe(true);
    expect(clusterPeersMayOverlap(ClusterPeer.networks(['10.0.0.0/8']), ClusterPeer.networks(['192.168.0.0/16', '::/0']))).toBe(false);
    expect(clusterPeersMayOverlap(ClusterPeer.networks(['10.0.0.0/8']), ClusterPeer.allPods())).toBe(true);
    expect(clusterPeersMayOverlap(ClusterPeer.allNodes(), ClusterPeer.networks(['10.0.0.0/8']))).toBe(true);
    expect(clusterPeersMayOverlap(ClusterPeer.domainNames(['a.example.com']), ClusterPeer.anyIpv4())).toBe(true);
  });

  test('pods are no nodes, and names are outside the cluster', () => {
    expect(clusterPeersMayOverlap(ClusterPeer.allPods(), ClusterPeer.allNodes())).toBe(false);
    expect(clusterPeersMayOverlap(ClusterPeer.allPods(), ClusterPeer.domainNames(['a.example.com']))).toBe(false);
    expect(clusterPeersMayOverlap(ClusterPeer.allNodes(), ClusterPeer.domainNames(['a.example.com']))).toBe(false);
    expect(clusterPeersMayOverlap(ClusterPeer.nodes({ r: 'a' }), ClusterPeer.nodes({ r: 'b' }))).toBe(false);
    expect(clusterPeersMayOverlap(ClusterPeer.domainNames(['*.example.com']), ClusterPeer.domainNames(['api.example.com']))).toBe(true);
  });

  test('rules overlap only where their ports can: protocols and ranges, names as unknown numbers', () => {
    const r = (ports: Port[], namedPorts: string[] = []) => ClusterRule.accept([ClusterPeer.allPods()], { ports, namedPorts });
    const d = (ports: Port[], namedPorts: string[] = []) => ClusterRule.deny([ClusterPeer.allPods()], { ports, namedPorts });
    expect(clusterRulesMayOverlap(r([Port.tcp(80)]), d([Port.tcpRange(1, 100)]))).toBe(true);
    expect(clusterRulesMayOverlap(r([Port.tcp(80)]), d([Port.udp(80)]))).toBe(false);
    expect(clusterRulesMayOverlap(r([Port.tcp(80)]), d([Port.tcpRange(81, 90)]))).toBe(false);
    expect(clusterRulesMayOverlap(r([Port.tcp(80)]), d([]))).toBe(true);
    expect(clusterRulesMayOverlap(r([], ['web']), d([Port.tcp(9)]))).toBe(true);
    expect(clusterRulesMayOverlap(r([], ['web']), d([], ['web']))).toBe(true);
    expect(clusterRulesMayOverlap(r([], ['web']), d([], ['metrics']))).toBe(false);
    expect(clusterRulesMayOverlap(r([Port.allTcp()]), d([Port.tcp(1)]))).toBe(true);
  });
});

describe('samePriorityConflicts', () => {
  const policy = (name: string, priority: number, subject: ClusterSubject, egress: ClusterRule[], tier = ClusterTier.ADMIN) =>
    ClusterPolicy.of({ name, tier, priority, subject, egress });
  const denyMetadata = ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32'])]);
  const acceptAll = ClusterRule.accept([ClusterPeer.anyAddress()]);

  test('reports two policies of one tier and priority whose rules can decide a connection differently', () => {
    const a = policy('a', 10, ClusterSubject.allPods(), [denyMetadata]);
    const b = policy('b', 10, ClusterSubject.namespace('shop'), [ClusterRule.accept([ClusterPeer.allPods()]), acceptAll]);
    expect(samePriorityConflicts([a, b])).toEqual([{ first: a, second: b, direction: 'egress', firstRule: 0, secondRule: 0 }]);
  });

  test('reports nothing for different priorities, tiers, subjects that cannot meet, or equal actions', () => {
    const a = policy('a', 10, ClusterSubject.namespace('x'), [denyMetadata]);
    expect(samePriorityConflicts([a, policy('b', 11, ClusterSubject.allPods(), [acceptAll])])).toEqual([]);
    expect(samePriorityConflicts([a, policy('b', 10, ClusterSubject.allPods(), [acceptAll], ClusterTier.BASELINE)])).toEqual([]);
    expect(samePriorityConflicts([a, policy('b', 10, ClusterSubject.namespace('y'), [acceptAll])])).toEqual([]);
    expect(samePriorityConflicts([a, policy('b', 10, ClusterSubject.allPods(), [ClusterRule.deny([ClusterPeer.anyAddress()])])])).toEqual(
      [],
    );
    expect(
      samePriorityConflicts([a, policy('b', 10, ClusterSubject.allPods(), [ClusterRule.accept([ClusterPeer.networks(['10.0.0.0/8'])])])]),
    ).toEqual([]);
  });
});
