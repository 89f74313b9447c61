import { SelectorOperator, representativeLabels } from '../../lib/model/selector';
import { Direction } from '../../lib/model/rule';
import * as fc from 'fast-check';
import { analyze } from '../../lib/analysis/analysis';
import { inferCluster, OTHER_NAMESPACES, OTHER_PODS } from '../../lib/analysis/picture';
import { LabelSelector, Peer, Policy, Port, Rule, SelectorExpression } from '../../lib/model';

function policy(namespace: string, name: string, pods: Record<string, string>, ingress: Rule[] = [], egress: Rule[] = []): Policy {
  return Policy.of({
    name,
    namespace,
    podSelector: LabelSelector.of(pods),
    policyTypes: [Direction.INGRESS, Direction.EGRESS],
    ingress,
    egress,
  });
}

function groups(cluster: ReturnType<typeof inferCluster>): string[] {
  return cluster.workloads.map((w) => `${w.namespace}/${w.name} ${JSON.stringify(w.labels)}`);
}

describe('inferCluster', () => {
  test('makes one group per pod selector, plus the other pods of every namespace and of every other namespace', () => {
    const web = policy('shop', 'web', { app: 'web' }, [], [Rule.of([Peer.pods({ app: 'db' })], [Port.tcp(5432)])]);
    expect(groups(inferCluster([web]))).toEqual([
      'shop/web {"app":"web"}',
      'shop/db {"app":"db"}',
      'shop/(others) {}',
      '(others)/(others) {}',
    ]);
  });

  test('names a group by a named group first, then the policy that selects it, then its naming label (one group per In value), then its selector', () => {
    const p = policy('ns', 'frontend-policy', { app: 'frontend' }, [
      Rule.of(
        [
          Peer.pods({ app: 'frontend' }),
          Peer.pods({ team: 'x' }),
          Peer.pods({ role: 'cache' }),
          Peer.pods(LabelSelector.of({}, [{ key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] }])),
        ],
        [],
      ),
    ]);
    const named = [{ namespace: 'ns', selector: LabelSelector.of({ role: 'cache' }), name: 'redis' }];
    expect(inferCluster([p], { named }).workloads.map((w) => `${w.name} (${w.kind})`)).toEqual([
      'redis (Tier)',
      'frontend-policy (Pods)',
      'team=x (Pods)',
      'a (Pods)',
      'b (Pods)',
      '(others) (Pods)',
      '(others) (Pods)',
    ]);
  });

  test('keeps names unique in a namespace: a taken name falls back to the naming label, the selector, then gets a number', () => {
    const named = [
      { namespace: 'ns', selector: LabelSelector.of({ app: 'a' }), name: 'web' },
      { namespace: 'ns', selector: LabelSelector.of({ app: 'b' }), name: 'web' },
      { namespace: 'ns', selector: LabelSelector.of({ x: 'a' }), name: 'web' },
      { namespace: 'ns', selector: LabelSelector.of({ x: 'c' }), name: 'x=d' },
      { namespace: 'ns', selector: LabelSelector.of({ x: 'd' }), name: 'x=d' },
    ];
    expect(inferCluster([], { named, otherPods: false, otherNamespaces: false }).workloads.map((w) => w.name)).toEqual([
      'web',
      'b',
      'x=a',
      'x=d',
      'x=d-2',
    ]);
  });

  test('the pods of an empty selector are the other pods, even when a tier or policy selects them', () => {
    const all = policy('team-a', 'team-a-internal', {}, [Rule.of([Peer.pods({})], [])]);
    const named = [{ namespace: 'team-a', selector: LabelSelector.all(), name: 'internal' }];
    expect(groups(inferCluster([all], { named, otherNamespaces: false }))).toEqual([`team-a/${OTHER_PODS} {}`]);
  });

  test('a namespace selected by labels is a namespace the policies name with those labels, or one named after the selector', () => {
    const p = policy('db', 'db', { role: 'db' }, [
      Rule.of(
        [Peer.namespaces({ project: 'myproject' }), Peer.podsInNamespace(LabelSelector.of({ dns: 'yes' }), { 'k8s-app': 'kube-dns' })],
        [Port.tcp(6379)],
      ),
    ]);
    const named = [
      {
        namespace: 'kube-system',
        selector: LabelSelector.of({ 'k8s-app': 'kube-dns' }),
        name: 'kube-dns',
        kind: 'DNS',
        namespaceLabels: { dns: 'yes' },
      },
    ];
    const cluster = inferCluster([p], { named });
    expect(cluster.namespaces.map((n) => `${n.name} ${JSON.stringify(n.labels)}`)).toEqual([
      'db {"kubernetes.io/metadata.name":"db"}',
      'kube-system {"dns":"yes","kubernetes.io/metadata.name":"kube-system"}',
      'project=myproject {"project":"myproject","kubernetes.io/metadata.name":"project=myproject"}',
      `${OTHER_NAMESPACES} {"kubernetes.io/metadata.name":"${OTHER_NAMESPACES}"}`,
    ]);
    expect(groups(cluster)).toEqual([
      'db/db {"role":"db"}',
      'db/(others) {}',
      'kube-system/kube-dns {"k8s-app":"kube-dns"}',
      'kube-system/(others) {}',
      'project=myproject/(others) {}',
      '(others)/(others) {}',
    ]);
  });

  test('a pod peer with an empty namespace selector has its group in every namespace, the other namespaces included', () => {
    const p = policy('a', 'api', { app: 'api' }, [
      Rule.of([Peer.podsInNamespace(LabelSelector.all(), { app: 'client' })], [Port.tcp(443)]),
    ]);
    const cluster = inferCluster([p, policy('b', 'x', { app: 'x' })]);
    expect(cluster.workloads.filter((w) => w.name === 'client').map((w) => w.namespace)).toEqual(['a', 'b', OTHER_NAMESPACES]);
    const a = analyze([p], cluster);
    expect(a.connectionSet('(others)/client', 'a/api').toString()).toBe('TCP 443');
    expect(a.connectionSet('(others)/(others)', 'a/api').toString()).toBe('No Connections');
  });

  test('a namespace selector with In on the name label creates those namespaces under their own names', () => {
    const names: SelectorExpression = {
      key: 'kubernetes.io/metadata.name',
      operator: SelectorOperator.IN,
      values: ['monitoring', 'logging'],
    };
    const p = policy('shop', 'api', { app: 'api' }, [Rule.of([Peer.namespaces(LabelSelector.of({}, [names]))], [Port.tcp(9090)])]);
    const cluster = inferCluster([p]);
    expect(cluster.namespaces.map((n) => `${n.name} ${JSON.stringify(n.labels)}`)).toEqual([
      'logging {"kubernetes.io/metadata.name":"logging"}',
      'monitoring {"kubernetes.io/metadata.name":"monitoring"}',
      'shop {"kubernetes.io/metadata.name":"shop"}',
      `${OTHER_NAMESPACES} {"kubernetes.io/metadata.name":"${OTHER_NAMESPACES}"}`,
    ]);
    const a = analyze([p], cluster);
    expect(a.connectionSet('monitoring/(others)', 'shop/api').toString()).toBe('TCP 9090');
    expect(a.connectionSet('logging/(others)', 'shop/api').toString()).toBe('TCP 9090');
    expect(a.connectionSet('(others)/(others)', 'shop/api').toString()).toBe('No Connections');
  });

  test('a namespace selector by labels with several In values gets a namespace for each value nothing known matches', () => {
    const team: SelectorExpression = { key: 'team', operator: SelectorOperator.IN, values: ['a', 'b'] };
    const p = policy('shop', 'api', { app: 'api' }, [
      Rule.of([Peer.namespaces(LabelSelector.of({ env: 'prod' }, [team]))], [Port.tcp(443)]),
    ]);
    expect(inferCluster([p], { otherNamespaces: false }).namespaces.map((n) => `${n.name} ${JSON.stringify(n.labels)}`)).toEqual([
      'env=prod,team=a {"env":"prod","team":"a","kubernetes.io/metadata.name":"env=prod,team=a"}',
      'env=prod,team=b {"env":"prod","team":"b","kubernetes.io/metadata.name":"env=prod,team=b"}',
      'shop {"kubernetes.io/metadata.name":"shop"}',
    ]);
  });

  test('a namespace selector with NotIn on the name label creates the namespaces it keeps out', () => {
    const notSystem: SelectorExpression = {
      key: 'kubernetes.io/metadata.name',
      operator: SelectorOperator.NOT_IN,
      values: ['kube-system'],
    };
    const p = policy('shop', 'api', { app: 'api' }, [Rule.of([Peer.namespaces(LabelSelector.of({}, [notSystem]))], [Port.tcp(443)])]);
    const cluster = inferCluster([p]);
    expect(cluster.namespaces.map((n) => n.name)).toEqual(['kube-system', 'shop', OTHER_NAMESPACES]);
    const a = analyze([p], cluster);
    expect(a.connectionSet('kube-system/(others)', 'shop/api').toString()).toBe('No Connections');
    expect(a.connectionSet('(others)/(others)', 'shop/api').toString()).toBe('TCP 443');
  });

  test('a pod selector with several In values gets a group for each value, named by it', () => {
    const tiers: SelectorExpression = { key: 'tier', operator: SelectorOperator.IN, values: ['web', 'api'] };
    const p = policy('shop', 'db', { app: 'db' }, [Rule.of([Peer.pods(LabelSelector.of({}, [tiers]))], [Port.tcp(5432)])]);
    const cluster = inferCluster([p], { otherNamespaces: false });
    expect(groups(cluster)).toEqual(['shop/db {"app":"db"}', 'shop/web {"tier":"web"}', 'shop/api {"tier":"api"}', 'shop/(others) {}']);
    expect(analyze([p], cluster).connectionSet('shop/api', 'shop/db').toString()).toBe('TCP 5432');
  });

  test('a named group whose selector names several values gets one group per value, named after it and the value', () => {
    const tiers: SelectorExpression = { key: 'tier', operator: SelectorOperator.IN, values: ['web', 'api'] };
    const named = [{ namespace: 'shop', selector: LabelSelector.of({ app: 'shop' }, [tiers]), name: 'frontend' }];
    expect(groups(inferCluster([], { named, otherPods: false, otherNamespaces: false }))).toEqual([
      'shop/frontend (app=shop,tier=web) {"app":"shop","tier":"web"}',
      'shop/frontend (app=shop,tier=api) {"app":"shop","tier":"api"}',
    ]);
  });

  test('a pod selector with NotIn gets a group for each value it keeps out, which it does not select', () => {
    const notLegacy: SelectorExpression = { key: 'version', operator: SelectorOperator.NOT_IN, values: ['v1', 'v2'] };
    const p = policy('shop', 'db', { app: 'db' }, [Rule.of([Peer.pods(LabelSelector.of({ app: 'web' }, [notLegacy]))], [Port.tcp(5432)])]);
    const cluster = inferCluster([p], { otherNamespaces: false });
    expect(groups(cluster)).toEqual([
      'shop/db {"app":"db"}',
      'shop/app=web,version notin (v1,v2) {"app":"web"}',
      'shop/app=web,version=v1 {"app":"web","version":"v1"}',
      'shop/app=web,version=v2 {"app":"web","version":"v2"}',
      'shop/(others) {}',
    ]);
    const a = analyze([p], cluster);
    expect(a.connectionSet('shop/app=web,version notin (v1,v2)', 'shop/db').toString()).toBe('TCP 5432');
    expect(a.connectionSet('shop/app=web,version=v1', 'shop/db').toString()).toBe('No Connections');
  });

  test('without otherPods and otherNamespaces, only the selected groups remain', () => {
    const p = policy('shop', 'web', { app: 'web' });
    expect(groups(inferCluster([p], { otherPods: false, otherNamespaces: false }))).toEqual(['shop/web {"app":"web"}']);
  });

  test('every group carries labels its selector matches, in a namespace the policy can see', () => {
    const key = fc.constantFrom('app', 'tier', 'team');
    const value = fc.constantFrom('a', 'b', 'c');
    const expr = fc
      .record({
        key,
        operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist' as const),
        values: fc.array(value, { minLength: 1, maxLength: 2 }),
      })
      .map((x) => (x.operator === 'In' || x.operator === 'NotIn' ? x : { key: x.key, operator: x.operator }));
    const selector = fc
      .record({ labels: fc.dictionary(key, value, { maxKeys: 2 }), exprs: fc.array(expr, { maxLength: 2 }) })
      .map(({ labels, exprs }) => LabelSelector.of(labels, exprs as never));
    fc.assert(
      fc.property(fc.array(fc.tuple(selector, selector), { minLength: 1, maxLength: 4 }), (pairs) => {
        const policies = pairs.map(([subject, peer], i) =>
          Policy.of({
            name: `p${i}`,
            namespace: 'ns',
            podSelector: subject,
            policyTypes: [Direction.INGRESS],
            ingress: [Rule.of([Peer.pods(peer)], [])],
          }),
        );
        const cluster = inferCluster(policies);
        for (const [subject, peer] of pairs) {
          for (const s of [subject, peer]) {
            if (representativeLabels(s) === undefined) continue;
            expect(cluster.workloads.some((w) => w.namespace === 'ns' && s.matches(w.labels))).toBe(true);
          }
        }
        expect(new Set(cluster.workloads.map((w) => `${w.namespace}/${w.name}`)).size).toBe(cluster.workloads.length);
      }),
    );
  });
});
