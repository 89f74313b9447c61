import { App, Chart, Testing } from 'cdk8s';
import { validateClusterNetworkPolicy } from '../../lib/check/validate';
import { ClusterNetworkPolicy, constructModel } from '../../lib/constructs';
import { ClusterPeer, ClusterRule, ClusterSubject, ClusterTier, Port } from '../../lib/model';

function objects(chart: Chart): Record<string, any> {
  return Object.fromEntries(Testing.synth(chart).map((o: any) => [o.metadata.name, o]));
}

function errors(chart: Chart): string {
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected validation errors');
}

const deny = ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32'])]);
const accept = ClusterRule.accept([ClusterPeer.anyAddress()]);

describe('ClusterNetworkPolicy', () => {
  test('renders a cluster-scoped object named after the id, with no namespace even in a namespaced chart', () => {
    const chart = new Chart(Testing.app(), 'admin', { namespace: 'shop', labels: { team: 'platform' } });
    const p = new ClusterNetworkPolicy(chart, 'DenyMetadata', {
      tier: ClusterTier.ADMIN,
      priority: 5,
      subject: ClusterSubject.allPods(),
      egress: [deny],
    });
    p.addIngress(ClusterRule.accept([ClusterPeer.namespace('monitoring')], { ports: [Port.tcp(9090)] }));
    const [object] = Testing.synth(chart);
    expect(object).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'deny-metadata', labels: { team: 'platform' } },
      spec: {
        tier: 'Admin',
        priority: 5,
        subject: { namespaces: {} },
        egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }],
        ingress: [
          {
            action: 'Accept',
            from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
            protocols: [{ tcp: { destinationPort: { number: 9090 } } }],
          },
        ],
      },
    });
    expect(validateClusterNetworkPolicy(object)).toEqual([]);
  });

  test('rules added later come after, in order; policyName, labels and annotations are used', () => {
    const chart = new Chart(Testing.app(), 'c');
    const p = new ClusterNetworkPolicy(chart, 'p', {
      tier: ClusterTier.BASELINE,
      priority: 0,
      subject: ClusterSubject.namespace('a'),
      policyName: 'guard.rails',
      labels: { l: '1' },
      annotations: { a: '2' },
      egress: [deny],
    });
    p.addEgress(accept);
    const o = objects(chart)['guard.rails'];
    expect(o.metadata).toEqual({ name: 'guard.rails', labels: { l: '1' }, annotations: { a: '2' } });
    expect(o.spec.egress.map((r: any) => r.action)).toEqual(['Deny', 'Accept']);
    expect(p.egress).toEqual([deny, accept]);
  });

  test('priorities not given are allocated per tier in creation order, after the previous one and around given ones', () => {
    const chart = new Chart(Testing.app(), 'c');
    const make = (id: string, tier: ClusterTier, priority?: number) =>
      new ClusterNetworkPolicy(chart, id, { tier, priority, subject: ClusterSubject.allPods() });
    make('a', ClusterTier.ADMIN);
    make('b', ClusterTier.ADMIN, 15);
    make('c', ClusterTier.ADMIN);
    make('d', ClusterTier.BASELINE);
    make('e', ClusterTier.ADMIN, 30);
    make('f', ClusterTier.ADMIN);
    const o = objects(chart);
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${n} ${o[n].spec.tier} ${o[n].spec.priority}`)).toEqual([
      'a Admin 10',
      'b Admin 15',
      'c Admin 20',
      'd Baseline 10',
      'e Admin 30',
      'f Admin 40',
    ]);
    expect(constructModel(chart).clusterPolicies.map(String)).toEqual([
      'ClusterNetworkPolicy a (Admin, priority 10)',
      'ClusterNetworkPolicy b (Admin, priority 15)',
      'ClusterNetworkPolicy c (Admin, priority 20)',
      'ClusterNetworkPolicy d (Baseline, priority 10)',
      'ClusterNetworkPolicy e (Admin, priority 30)',
      'ClusterNetworkPolicy f (Admin, priority 40)',
    ]);
  });

  test('an allocated priority skips one given explicitly to a policy created later', () => {
    const chart = new Chart(Testing.app(), 'c');
    const a = new ClusterNetworkPolicy(chart, 'a', { tier: ClusterTier.ADMIN, subject: ClusterSubject.allPods() });
    new ClusterNetworkPolicy(chart, 'b', { tier: ClusterTier.ADMIN, subject: ClusterSubject.allPods(), priority: 10 });
    expect(a.priority).toBe(20);
  });

  test('throws at synth, with every problem and its construct path, for a bad name, labels, priority and ingress peers', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ClusterNetworkPolicy(chart, 'p', {
      tier: ClusterTier.ADMIN,
      priority: 1001,
      policyName: 'Bad_Name',
      labels: { 'a b': 'c' },
      subject: ClusterSubject.allPods(),
      ingress: [ClusterRule.deny([ClusterPeer.anyIpv4()])],
    });
    expect(errors(chart)).toBe(
      'Validation failed with the following errors:\n' +
        "  [c/p] policyName: \"Bad_Name\" is not a valid object name: must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')\n" +
        "  [c/p] labels: label key \"a b\" is invalid: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')\n" +
        '  [c/p] priority: priority 1001 is out of range; a priority is an integer from 0 (evaluated first) to 1000\n' +
        '  [c/p] ingress[0].peers[0]: ingress rules take namespaces and pods peers only; networks peers (networks 0.0.0.0/0) are for egress rules',
    );
  });

  test('throws when allocation runs past 1000', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ClusterNetworkPolicy(chart, 'almost', { tier: ClusterTier.BASELINE, priority: 995, subject: ClusterSubject.allPods() });
    const last = new ClusterNetworkPolicy(chart, 'last', { tier: ClusterTier.BASELINE, subject: ClusterSubject.allPods() });
    new ClusterNetworkPolicy(chart, 'next', { tier: ClusterTier.BASELINE, subject: ClusterSubject.allPods() });
    expect(last.priority).toBe(1000);
    expect(errors(chart)).toBe(
      'Validation failed with the following errors:\n' +
        '  [c/next] priority: no priority is left for this Baseline policy: allocation goes past 1000 after the policies created before it; give it (or them) an explicit priority',
    );
  });

  test('throws for two objects with one name, in any charts of the App, on the second', () => {
    const app = new App();
    new ClusterNetworkPolicy(new Chart(app, 'a'), 'guard', { tier: ClusterTier.ADMIN, subject: ClusterSubject.allPods() });
    const b = new Chart(app, 'b');
    new ClusterNetworkPolicy(b, 'guard', { tier: ClusterTier.BASELINE, subject: ClusterSubject.allPods() });
    expect(errors(b)).toBe(
      'Validation failed with the following errors:\n  [b/guard] ClusterNetworkPolicy "guard" is also defined by a/guard; give one of them another id or a `policyName`',
    );
  });

  test('throws for two Admin policies of one priority that can decide a connection differently', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ClusterNetworkPolicy(chart, 'deny-metadata', {
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.allPods(),
      egress: [deny],
    });
    new ClusterNetworkPolicy(chart, 'open', {
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.namespace('a'),
      egress: [accept],
    });
    expect(errors(chart)).toBe(
      'Validation failed with the following errors:\n' +
        '  [c/open] priority: Admin ClusterNetworkPolicies "open" and "deny-metadata" (c/deny-metadata) both have priority 10 and can decide a connection differently (egress rule 0 "Accept networks 0.0.0.0/0, ::/0: all ports" here, egress rule 0 "Deny networks 169.254.169.254/32: all ports" there); the API leaves the winner to the implementation: give them different priorities',
    );
  });

  test('accepts policies of one priority that cannot meet: other pods, other addresses, or the same action', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ClusterNetworkPolicy(chart, 'a', { tier: ClusterTier.ADMIN, priority: 10, subject: ClusterSubject.namespace('a'), egress: [deny] });
    new ClusterNetworkPolicy(chart, 'b', {
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.namespace('b'),
      egress: [accept],
    });
    new ClusterNetworkPolicy(chart, 'c', {
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.allPods(),
      egress: [ClusterRule.accept([ClusterPeer.anyIpv6()])],
    });
    new ClusterNetworkPolicy(chart, 'd', {
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterSubject.namespace('a'),
      egress: [ClusterRule.accept([ClusterPeer.networks(['10.0.0.0/8'])])],
    });
    expect(Object.keys(objects(chart))).toEqual(['a', 'b', 'c', 'd']);
  });
});

test('a ClusterNetworkPolicy without a subject, from JavaScript, is one validation error', () => {
  const chart = new Chart(Testing.app(), 'c');
  new ClusterNetworkPolicy(chart, 'p', { tier: ClusterTier.ADMIN } as never);
  expect(errors(chart)).toBe(
    'Validation failed with the following errors:\n  [c/p] subject: a subject is required, e.g. ClusterSubject.allPods()',
  );
});
