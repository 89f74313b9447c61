/**
 * fast-check generators of ClusterNetworkPolicy model values over a small universe of labels,
 * names, addresses and ports, so that random policies often select the same pods and match the
 * same connections. Shared by the render/read round trip and the tiered-evaluation properties.
 */
import * as fc from 'fast-check';
import {
  ClusterPeer,
  ClusterPolicy,
  ClusterRule,
  ClusterRuleAction,
  ClusterSubject,
  ClusterTier,
  LabelSelector,
  Labels,
  Port,
  SelectorExpression,
  SelectorOperator,
} from '../../lib/model';

/** Namespace label values and pod label values the generators draw from. */
export const UNIVERSE = {
  namespaces: ['alpha', 'beta', 'gamma'],
  teams: ['red', 'blue'],
  apps: ['web', 'db', 'cache'],
  networks: ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/32', '192.168.0.0/16', '0.0.0.0/0', '::/0', 'fd00::/8'],
  domains: ['api.example.com', '*.example.com', 'example.com', 'db.internal.example.org'],
  portNames: ['web', 'dns', 'metrics'],
};

const labels = (keys: Record<string, readonly string[]>): fc.Arbitrary<Labels> =>
  fc.record(Object.fromEntries(Object.entries(keys).map(([k, vs]) => [k, fc.constantFrom(...vs)])), {
    requiredKeys: [],
  }) as fc.Arbitrary<Labels>;

const expression = (keys: Record<string, readonly string[]>): fc.Arbitrary<SelectorExpression> => {
  const names = Object.keys(keys);
  return fc.oneof(
    fc.constantFrom(...names).chain((key) =>
      fc.record({
        key: fc.constant(key),
        operator: fc.constantFrom(SelectorOperator.IN, SelectorOperator.NOT_IN),
        values: fc.uniqueArray(fc.constantFrom(...keys[key]), { minLength: 1, maxLength: 2 }),
      }),
    ),
    fc.record({ key: fc.constantFrom(...names), operator: fc.constantFrom(SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST) }),
  );
};

const selector = (keys: Record<string, readonly string[]>): fc.Arbitrary<LabelSelector> =>
  fc.tuple(labels(keys), fc.array(expression(keys), { maxLength: 1 })).map(([l, x]) => LabelSelector.of(l, x as SelectorExpression[]));

/** Namespace selectors: by name, by team, or empty. */
export const namespaceSelectorArb = selector({ 'kubernetes.io/metadata.name': UNIVERSE.namespaces, team: UNIVERSE.teams });
/** Pod selectors: by app. */
export const podSelectorArb = selector({ app: UNIVERSE.apps });
/** Node selectors. */
export const nodeSelectorArb = selector({ 'kubernetes.io/os': ['linux'], zone: ['a', 'b'] });

/** Subjects of both kinds. */
export const subjectArb: fc.Arbitrary<ClusterSubject> = fc.oneof(
  namespaceSelectorArb.map((s) => ClusterSubject.namespaces(s)),
  fc.tuple(namespaceSelectorArb, podSelectorArb).map(([n, p]) => ClusterSubject.pods(n, p)),
);

/** Peers an ingress rule may have. */
export const ingressPeerArb: fc.Arbitrary<ClusterPeer> = fc.oneof(
  namespaceSelectorArb.map((s) => ClusterPeer.namespaces(s)),
  fc.tuple(namespaceSelectorArb, podSelectorArb).map(([n, p]) => ClusterPeer.pods(n, p)),
);

/** Peers an egress rule may have, domain names aside (they need Accept rules). */
export const egressPeerArb: fc.Arbitrary<ClusterPeer> = fc.oneof(
  ingressPeerArb,
  nodeSelectorArb.map((s) => ClusterPeer.nodes(s)),
  fc.uniqueArray(fc.constantFrom(...UNIVERSE.networks), { minLength: 1, maxLength: 2 }).map((n) => ClusterPeer.networks(n)),
);

const portArb: fc.Arbitrary<Port> = fc.oneof(
  fc.constantFrom(53, 80, 443, 8080).chain((n) => fc.constantFrom(Port.tcp(n), Port.udp(n), Port.sctp(n))),
  fc.constantFrom(Port.tcpRange(80, 90), Port.udpRange(50, 60), Port.allTcp()),
);

const actionArb = fc.constantFrom(ClusterRuleAction.ACCEPT, ClusterRuleAction.DENY, ClusterRuleAction.PASS);

/** A rule of one direction; egress Accept rules may name domains. */
export function ruleArb(direction: 'ingress' | 'egress'): fc.Arbitrary<ClusterRule> {
  return fc
    .record({
      action: actionArb,
      peers: fc.array(direction === 'ingress' ? ingressPeerArb : egressPeerArb, { minLength: 1, maxLength: 2 }),
      domains:
        direction === 'egress'
          ? fc.option(fc.uniqueArray(fc.constantFrom(...UNIVERSE.domains), { minLength: 1, maxLength: 2 }))
          : fc.constant(null),
      ports: fc.array(portArb, { maxLength: 2 }),
      namedPorts: fc.uniqueArray(fc.constantFrom(...UNIVERSE.portNames), { maxLength: 1 }),
      name: fc.option(fc.constantFrom('first', 'second', 'a-rule')),
    })
    .map((r) => {
      const peers = r.domains && r.action === ClusterRuleAction.ACCEPT ? [...r.peers, ClusterPeer.domainNames(r.domains)] : r.peers;
      // named ports only with pods and namespaces peers, as the CRD requires
      const namedPorts = peers.some((p) => p.egressOnly) ? [] : r.namedPorts;
      return ClusterRule.of({ action: r.action, peers, ports: r.ports, namedPorts, ...(r.name ? { name: r.name } : {}) });
    });
}

/** A whole policy with up to three rules per direction. */
export const clusterPolicyArb: fc.Arbitrary<ClusterPolicy> = fc
  .record({
    name: fc.constantFrom('p1', 'p2', 'p3', 'guard.rail'),
    tier: fc.constantFrom(ClusterTier.ADMIN, ClusterTier.BASELINE),
    priority: fc.constantFrom(0, 1, 10, 1000),
    subject: subjectArb,
    ingress: fc.array(ruleArb('ingress'), { maxLength: 3 }),
    egress: fc.array(ruleArb('egress'), { maxLength: 3 }),
  })
  .map((p) => ClusterPolicy.of(p));
