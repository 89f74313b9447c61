import { ClusterPeer, ClusterPolicy, ClusterRule, ClusterSubject, ClusterTier, Port } from '../../lib/model';
import { clusterPolicyToObject } from '../../lib/render';

describe('clusterPolicyToObject', () => {
  test('renders a cluster-scoped object: no namespace, tier, priority, subject, rules in their order', () => {
    const policy = ClusterPolicy.of({
      name: 'guardrails',
      tier: ClusterTier.ADMIN,
      priority: 20,
      subject: ClusterSubject.allPods(),
      labels: { z: '1', a: '2' },
      annotations: { note: 'x' },
      ingress: [ClusterRule.accept([ClusterPeer.namespace('monitoring')], { namedPorts: ['metrics'], name: 'monitoring' })],
      egress: [
        ClusterRule.deny([ClusterPeer.networks(['169.254.169.254/32'])], { name: 'metadata' }),
        ClusterRule.accept([ClusterPeer.domainNames(['api.stripe.com'])], { ports: [Port.tcp(443)] }),
      ],
    });
    const object = clusterPolicyToObject(policy);
    expect(object).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'guardrails', labels: { a: '2', z: '1' }, annotations: { note: 'x' } },
      spec: {
        tier: 'Admin',
        priority: 20,
        subject: { namespaces: {} },
        ingress: [
          {
            name: 'monitoring',
            action: 'Accept',
            from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
            protocols: [{ destinationNamedPort: 'metrics' }],
          },
        ],
        egress: [
          { name: 'metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] },
          { action: 'Accept', to: [{ domainNames: ['api.stripe.com'] }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] },
        ],
      },
    });
    expect(Object.keys(object.metadata.labels!)).toEqual(['a', 'z']);
  });

  test('leaves out rule lists that are empty and metadata maps with nothing in them', () => {
    const object = clusterPolicyToObject(
      ClusterPolicy.of({ name: 'empty', tier: ClusterTier.BASELINE, priority: 0, subject: ClusterSubject.podsInNamespace('a', {}) }),
    );
    expect(object).toEqual({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'empty' },
      spec: {
        tier: 'Baseline',
        priority: 0,
        subject: { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: {} } },
      },
    });
  });
});
