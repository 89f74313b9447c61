import * as fc from 'fast-check';
import { analyze } from '../../lib/analysis/analysis';
import { inferCluster, OTHER_NAMESPACES, OTHER_PODS, representativeLabels } from '../../lib/analysis/infer-cluster';
import { LabelSelector, Peer, Policy, Port, Rule } from '../../lib/model';

function policy(namespace: string, name: string, pods: Record<string, string>, ingress: Rule[] = [], egress: Rule[] = []): Policy {
  return Policy.of({ name, namespace, podSelector: LabelSelector.of(pods), policyTypes: ['Ingress', 'Egress'], ingress, egress });
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

  test('names a group by a named group first, then the policy that selects it, then its naming label, then its selector', () => {
    const p = policy('ns', 'frontend-policy', { app: 'frontend' }, [
      Rule.of([Peer.pods({ app: 'frontend' }), Peer.pods({ team: 'x' }), Peer.pods({ role: 'cache' }), Peer.pods(LabelSelector.of({}, [{ key: 'tier', operator: 'In', values: ['a', 'b'] }]))], []),
    ]);
    const named = [{ namespace: 'ns', selector: LabelSelector.of({ role: 'cache' }), name: 'redis' }];
    expect(inferCluster([p], { named }).workloads.map((w) => `${w.name} (${w.kind})`)).toEqual([
      'redis (Tier)',
      'frontend-policy (Pods)',
      'team=x (Pods)',
      'tier in (a,b) (Pods)',
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
    expect(inferCluster([], { named, otherPods: false, otherNamespaces: false }).workloads.map((w) => w.name)).toEqual(['web', 'b', 'x=a', 'x=d', 'x=d-2']);
  });

  test('the pods of an empty selector are the other pods, even when a tier or policy selects them', () => {
    const all = policy('team-a', 'team-a-internal', {}, [Rule.of([Peer.pods({})], [])]);
    const named = [{ namespace: 'team-a', selector: LabelSelector.all(), name: 'internal' }];
    expect(groups(inferCluster([all], { named, otherNamespaces: false }))).toEqual([`team-a/${OTHER_PODS} {}`]);
  });

  test('a namespace selected by labels is a namespace the policies name with those labels, or one named after the selector', () => {
    const p = policy('db', 'db', { role: 'db' }, [
      Rule.of([Peer.namespaces({ project: 'myproject' }), Peer.podsInNamespace(LabelSelector.of({ dns: 'yes' }), { 'k8s-app': 'kube-dns' })], [Port.tcp(6379)]),
    ]);
    const named = [{ namespace: 'kube-system', selector: LabelSelector.of({ 'k8s-app': 'kube-dns' }), name: 'kube-dns', kind: 'DNS', namespaceLabels: { dns: 'yes' } }];
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
    const p = policy('a', 'api', { app: 'api' }, [Rule.of([Peer.podsInNamespace(LabelSelector.all(), { app: 'client' })], [Port.tcp(443)])]);
    const cluster = inferCluster([p, policy('b', 'x', { app: 'x' })]);
    expect(cluster.workloads.filter((w) => w.name === 'client').map((w) => w.namespace)).toEqual(['a', 'b', OTHER_NAMESPACES]);
    const a = analyze([p], cluster);
    expect(a.connectionSet('(others)/client', 'a/api').toString()).toBe('TCP 443');
    expect(a.connectionSet('(others)/(others)', 'a/api').toString()).toBe('No Connections');
  });

  test('without otherPods and otherNamespaces, only the selected groups remain', () => {
    const p = policy('shop', 'web', { app: 'web' });
    expect(groups(inferCluster([p], { otherPods: false, otherNamespaces: false }))).toEqual(['shop/web {"app":"web"}']);
  });

  test('every group carries labels its selector matches, in a namespace the policy can see', () => {
    const key = fc.constantFrom('app', 'tier', 'team');
    const value = fc.constantFrom('a', 'b', 'c');
    const expr = fc.record({ key, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist' as const), values: fc.array(value, { minLength: 1, maxLength: 2 }) })
      .map((x) => (x.operator === 'In' || x.operator === 'NotIn' ? x : { key: x.key, operator: x.operator }));
    const selector = fc.record({ labels: fc.dictionary(key, value, { maxKeys: 2 }), exprs: fc.array(expr, { maxLength: 2 }) })
      .map(({ labels, exprs }) => LabelSelector.of(labels, exprs as never));
    fc.assert(fc.property(fc.array(fc.tuple(selector, selector), { minLength: 1, maxLength: 4 }), (pairs) => {
      const policies = pairs.map(([subject, peer], i) => Policy.of({ name: `p${i}`, namespace: 'ns', podSelector: subject, policyTypes: ['Ingress'], ingress: [Rule.of([Peer.pods(peer)], [])] }));
      const cluster = inferCluster(policies);
      for (const [subject, peer] of pairs) {
        for (const s of [subject, peer]) {
          if (representativeLabels(s) === undefined) continue;
          expect(cluster.workloads.some((w) => w.namespace === 'ns' && s.matches(w.labels))).toBe(true);
        }
      }
      expect(new Set(cluster.workloads.map((w) => `${w.namespace}/${w.name}`)).size).toBe(cluster.workloads.length);
    }));
  });
});

describe('representativeLabels', () => {
  test('takes matchLabels, the first value of In and "any" for Exists', () => {
    const s = LabelSelector.of({ app: 'web' }, [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'Exists' }, { key: 'x', operator: 'NotIn', values: ['y'] }]);
    expect(representativeLabels(s)).toEqual({ app: 'web', tier: 'a', canary: 'any' });
  });

  test('is undefined for a selector no labels can satisfy', () => {
    expect(representativeLabels(LabelSelector.of({ app: 'web' }, [{ key: 'app', operator: 'DoesNotExist' }]))).toBeUndefined();
  });
});
