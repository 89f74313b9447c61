/**
 * The brute-force tiered evaluator reproduces every probe of the upstream ClusterNetworkPolicy
 * conformance tests, and answers what the API text says in the cases the conformance tests do not
 * reach (ties, unknown addresses, host-networked pods, domain names, hairpin traffic).
 */
import * as fc from 'fast-check';
import * as fs from 'fs';
import { stringify } from 'yaml';
import { ClusterPolicy, ClusterRule, ClusterRuleAction } from '../../lib/model';
import { clusterPolicyToObject } from '../../lib/render';
import { clusterPolicyArb } from '../model/cluster-arbitraries';
import { conformanceScenarios } from './cnp-conformance';
import { OracleProbe, TieredOracle } from './tiered-oracle';

const scenarios = conformanceScenarios();

describe('the upstream conformance scenarios', () => {
  test('cover every standard and experimental test of the suite: 24 tests, 301 probes', () => {
    expect(scenarios.map((s) => s.upstream.test).sort()).toEqual(
      [
        'CNPAdminTierEgressInlineCIDRPeers',
        'CNPAdminTierEgressNamedPort',
        'CNPAdminTierEgressNodePeers',
        'CNPAdminTierEgressSCTP',
        'CNPAdminTierEgressTCP',
        'CNPAdminTierEgressUDP',
        'CNPAdminTierGress',
        'CNPAdminTierIngressNamedPort',
        'CNPAdminTierIngressSCTP',
        'CNPAdminTierIngressTCP',
        'CNPAdminTierIngressUDP',
        'CNPAdminTierIntegration',
        'CNPAdminTierPriorityField',
        'CNPBaselineTierEgressInlineCIDRPeers',
        'CNPBaselineTierEgressNamedPort',
        'CNPBaselineTierEgressNodePeers',
        'CNPBaselineTierEgressSCTP',
        'CNPBaselineTierEgressTCP',
        'CNPBaselineTierEgressUDP',
        'CNPBaselineTierGress',
        'CNPBaselineTierIngressNamedPort',
        'CNPBaselineTierIngressSCTP',
        'CNPBaselineTierIngressTCP',
        'CNPBaselineTierIngressUDP',
      ].sort(),
    );
    expect(scenarios.flatMap((s) => s.steps.flatMap((st) => st.probes))).toHaveLength(301);
  });

  describe.each(scenarios.map((s) => [s.upstream.test, s] as const))('%s', (_, scenario) => {
    test.each(scenario.steps.map((s) => [s.name, s] as const))('%s', (_name, step) => {
      const oracle = TieredOracle.fromYaml([...step.cluster, ...step.policies].map((f) => fs.readFileSync(f, 'utf8')));
      const got = step.probes.map((p) => `${p.text}: ${oracle.decide(p).verdict}`);
      expect(got).toEqual(step.probes.map((p) => `${p.text}: ${p.expect}`));
    });
  });
});

const CLUSTER = `
kind: Namespace
metadata: {name: a, labels: {team: red}}
---
kind: Namespace
metadata: {name: b, labels: {team: blue}}
---
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}, {containerPort: 53, protocol: UDP, name: dns}]}]}
status: {podIP: 10.0.1.1}
---
kind: Pod
metadata: {name: db, namespace: b, labels: {app: db}}
spec: {containers: [{name: c, ports: [{containerPort: 5432, name: pg}]}]}
status: {podIP: 10.0.2.1}
---
kind: Pod
metadata: {name: new, namespace: b, labels: {app: new}}
spec: {containers: [{name: c}]}
---
kind: Pod
metadata: {name: agent, namespace: b, labels: {app: agent}}
spec: {hostNetwork: true, nodeName: n1, containers: [{name: c, ports: [{containerPort: 9100, name: metrics}]}]}
status: {podIP: 192.168.0.1}
---
kind: Node
metadata: {name: n1, labels: {role: worker}}
status: {addresses: [{type: InternalIP, address: 192.168.0.1}]}
`;

/** A ClusterNetworkPolicy document. */
function cnp(name: string, tier: string, priority: number, subject: string, rules: string): string {
  return `kind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec: {tier: ${tier}, priority: ${priority}, subject: ${subject}, ${rules}}`;
}

function verdict(policies: string[], probe: Partial<OracleProbe> & Pick<OracleProbe, 'from' | 'to'>): string {
  const oracle = TieredOracle.fromYaml([CLUSTER, ...policies]);
  return oracle.decide({ port: 5432, protocol: 'TCP', ...probe }).verdict;
}

const ALL = '{namespaces: {}}';

describe('what the API text says beyond the conformance tests', () => {
  test('without any policy everything is allowed', () => {
    expect(verdict([], { from: 'a/web', to: 'b/db' })).toBe('allowed');
  });

  test('two policies of one priority that match with different actions leave the outcome unknown; the same action does not', () => {
    const deny = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Deny, to: [{namespaces: {}}]}]');
    const accept = cnp('y', 'Admin', 5, ALL, 'egress: [{action: Accept, to: [{pods: {podSelector: {matchLabels: {app: db}}}}]}]');
    const deny2 = cnp('z', 'Admin', 5, ALL, 'egress: [{action: Deny, to: [{pods: {podSelector: {matchLabels: {app: db}}}}]}]');
    expect(verdict([deny, accept], { from: 'a/web', to: 'b/db' })).toBe('unknown');
    expect(verdict([deny, deny2], { from: 'a/web', to: 'b/db' })).toBe('denied');
    expect(
      verdict([deny, cnp('y', 'Admin', 6, ALL, 'egress: [{action: Accept, to: [{namespaces: {}}]}]')], { from: 'a/web', to: 'b/db' }),
    ).toBe('denied');
  });

  test('an Admin Accept of egress does not open the ingress a NetworkPolicy denies at the other end', () => {
    const accept = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Accept, to: [{namespaces: {}}]}]');
    const np = 'kind: NetworkPolicy\nmetadata: {name: deny, namespace: b}\nspec: {podSelector: {}, policyTypes: [Ingress]}';
    expect(verdict([accept, np], { from: 'a/web', to: 'b/db' })).toBe('denied');
    const acceptIngress = cnp('y', 'Admin', 6, ALL, 'ingress: [{action: Accept, from: [{namespaces: {}}]}]');
    expect(verdict([accept, np, acceptIngress], { from: 'a/web', to: 'b/db' })).toBe('allowed');
  });

  test('a NetworkPolicy that selects a pod decides for it: the Baseline tier is not consulted', () => {
    const baseline = cnp('base', 'Baseline', 1, ALL, 'ingress: [{action: Deny, from: [{namespaces: {}}]}]');
    const np = 'kind: NetworkPolicy\nmetadata: {name: allow, namespace: b}\nspec: {podSelector: {}, ingress: [{}]}';
    expect(verdict([baseline], { from: 'a/web', to: 'b/db' })).toBe('denied');
    expect(verdict([baseline, np], { from: 'a/web', to: 'b/db' })).toBe('allowed');
  });

  test('a Pass in the Baseline tier goes on to the default: allowed', () => {
    const pass = cnp(
      'base',
      'Baseline',
      1,
      ALL,
      'ingress: [{action: Pass, from: [{namespaces: {}}]}, {action: Deny, from: [{namespaces: {}}]}]',
    );
    expect(verdict([pass], { from: 'a/web', to: 'b/db' })).toBe('allowed');
  });

  test('networks match pod addresses; a pod without a known address makes a networks match unknown', () => {
    const deny = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Deny, to: [{networks: [10.0.2.0/24]}]}]');
    expect(verdict([deny], { from: 'a/web', to: 'b/db' })).toBe('denied');
    expect(verdict([deny], { from: 'a/web', to: 'b/new' })).toBe('unknown');
    const denyAll = cnp('x', 'Admin', 5, ALL, "egress: [{action: Deny, to: [{networks: [0.0.0.0/0, '::/0']}]}]");
    expect(verdict([denyAll], { from: 'a/web', to: 'b/new' })).toBe('denied');
  });

  test('domain names are endpoints of their own: domainNames match them, networks only when they cover every address', () => {
    const accept = cnp(
      'x',
      'Admin',
      5,
      ALL,
      "egress: [{action: Accept, to: [{domainNames: ['*.stripe.com']}]}, {action: Deny, to: [{networks: [0.0.0.0/0]}]}]",
    );
    expect(verdict([accept], { from: 'a/web', to: 'api.stripe.com', port: 443 })).toBe('allowed');
    expect(verdict([accept], { from: 'a/web', to: 'API.Stripe.com.', port: 443 })).toBe('allowed');
    expect(verdict([accept], { from: 'a/web', to: 'stripe.com', port: 443 })).toBe('unknown');
    const both = cnp(
      'x',
      'Admin',
      5,
      ALL,
      "egress: [{action: Accept, to: [{domainNames: [api.stripe.com]}]}, {action: Deny, to: [{networks: [0.0.0.0/0, '::/0']}]}]",
    );
    expect(verdict([both], { from: 'a/web', to: 'evil.example.com', port: 443 })).toBe('denied');
    expect(verdict([both], { from: 'a/web', to: '8.8.8.8', port: 443 })).toBe('denied');
  });

  test('ingress rules match pods only: a source outside the cluster is decided by NetworkPolicy and the default', () => {
    const deny = cnp('x', 'Admin', 5, ALL, 'ingress: [{action: Deny, from: [{namespaces: {}}]}]');
    expect(verdict([deny], { from: '203.0.113.9', to: 'b/db' })).toBe('allowed');
    expect(verdict([deny], { from: 'a/web', to: 'b/db' })).toBe('denied');
  });

  test('host-networked pods are no subject and no pods peer; traffic to them is traffic to their node', () => {
    const subject = cnp('x', 'Admin', 5, ALL, 'ingress: [{action: Deny, from: [{namespaces: {}}]}]');
    expect(verdict([subject], { from: 'a/web', to: 'b/agent', port: 9100 })).toBe('allowed');
    const nodes = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Deny, to: [{nodes: {matchLabels: {role: worker}}}]}]');
    expect(verdict([nodes], { from: 'a/web', to: 'b/agent', port: 9100 })).toBe('denied');
    expect(verdict([nodes], { from: 'a/web', to: '192.168.0.1', port: 9100 })).toBe('denied');
    const pods = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Deny, to: [{namespaces: {}}]}]');
    expect(verdict([pods], { from: 'a/web', to: 'b/agent', port: 9100 })).toBe('allowed');
  });

  test('whether a NetworkPolicy applies to a host-networked pod is up to the plugin: unknown where it makes a difference', () => {
    const np = 'kind: NetworkPolicy\nmetadata: {name: deny, namespace: b}\nspec: {podSelector: {}, policyTypes: [Ingress]}';
    expect(verdict([np], { from: 'a/web', to: 'b/agent', port: 9100 })).toBe('unknown');
    expect(verdict([np], { from: 'a/web', to: 'b/db' })).toBe('denied');
  });

  test('named ports resolve on the destination pod, whatever protocol the container port has for ClusterNetworkPolicy', () => {
    const accept = cnp(
      'x',
      'Admin',
      5,
      ALL,
      'egress: [{action: Accept, to: [{namespaces: {}}], protocols: [{destinationNamedPort: pg}]}, {action: Deny, to: [{namespaces: {}}]}]',
    );
    expect(verdict([accept], { from: 'a/web', to: 'b/db', port: 5432 })).toBe('allowed');
    expect(verdict([accept], { from: 'a/web', to: 'b/db', port: 5433 })).toBe('denied');
    expect(verdict([accept], { from: 'a/web', to: 'b/db', port: 5432, protocol: 'UDP' })).toBe('denied');
  });

  test('a pod reaching its own address is not subject to ClusterNetworkPolicy', () => {
    const deny = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Deny, to: [{namespaces: {}}]}]');
    expect(verdict([deny], { from: 'a/web', to: 'a/web', port: 8080 })).toBe('allowed');
  });

  test('a peer with no field the CRD knows fails closed: matches nothing in Accept rules, everything in Deny rules', () => {
    const accept = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Accept, to: [{services: {}}]}, {action: Deny, to: [{namespaces: {}}]}]');
    expect(verdict([accept], { from: 'a/web', to: 'b/db' })).toBe('denied');
    const deny = cnp('x', 'Admin', 5, ALL, 'egress: [{action: Deny, to: [{services: {}}]}]');
    expect(verdict([deny], { from: 'a/web', to: '8.8.8.8' })).toBe('denied');
  });

  test('decisions name the deciding tier, policy and rule', () => {
    const oracle = TieredOracle.fromYaml([
      CLUSTER,
      cnp('guard', 'Admin', 5, ALL, 'egress: [{action: Pass, to: [{namespaces: {}}]}]'),
      cnp('base', 'Baseline', 5, ALL, 'ingress: [{action: Deny, from: [{namespaces: {}}]}]'),
    ]);
    expect(oracle.decide({ from: 'a/web', to: 'b/db', port: 5432, protocol: 'TCP' })).toEqual({
      verdict: 'denied',
      egress: ['Admin guard egress rule 0 (Pass), then default: allowed'],
      ingress: ['Baseline base ingress rule 0 (Deny): denied'],
    });
  });
});

describe('properties of the tiered semantics', () => {
  /** A cluster over the generators' universe: namespaces alpha, beta, gamma; pods web, db, cache. */
  const UNIVERSE_CLUSTER = [
    ...['alpha', 'beta', 'gamma'].map((ns, i) => `kind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${i % 2 ? 'blue' : 'red'}}}`),
    ...['alpha', 'beta', 'gamma'].flatMap((ns, i) =>
      ['web', 'db', 'cache'].map(
        (app, j) =>
          `kind: Pod\nmetadata: {name: ${app}, namespace: ${ns}, labels: {app: ${app}}}\nspec: {containers: [{name: c, ports: [{containerPort: 80, name: web}, {containerPort: 53, protocol: UDP, name: dns}]}]}\nstatus: {podIP: 10.1.${i}.${j + 1}}`,
      ),
    ),
    'kind: Node\nmetadata: {name: n, labels: {kubernetes.io/os: linux, zone: a}}\nstatus: {addresses: [{type: InternalIP, address: 10.1.2.3}]}',
  ].join('\n---\n');
  const pods = ['alpha', 'beta', 'gamma'].flatMap((ns) => ['web', 'db', 'cache'].map((app) => `${ns}/${app}`));
  const probes: OracleProbe[] = pods.flatMap((from) =>
    [...pods, '192.168.1.1', 'api.example.com', '10.1.2.3'].flatMap((to) =>
      [
        [80, 'TCP'],
        [53, 'UDP'],
        [9000, 'SCTP'],
      ].map(([port, protocol]) => ({ from, to, port: port as number, protocol: protocol as OracleProbe['protocol'] })),
    ),
  );
  const verdicts = (policies: readonly ClusterPolicy[]) => {
    const oracle = TieredOracle.fromYaml([UNIVERSE_CLUSTER, ...policies.map((p) => stringify(clusterPolicyToObject(p)))]);
    return probes.map((p) => oracle.decide(p).verdict);
  };
  const policies = fc.array(clusterPolicyArb, { maxLength: 3 });

  test('the order in which the objects are given does not matter', () => {
    fc.assert(
      fc.property(policies, (ps) => {
        expect(verdicts([...ps].reverse())).toEqual(verdicts(ps));
      }),
      { numRuns: 40 },
    );
  });

  test('turning a Deny into an Accept never denies what was allowed', () => {
    fc.assert(
      fc.property(policies, fc.nat(), (ps, pick) => {
        const rules = ps.flatMap((p, i) => (['ingress', 'egress'] as const).flatMap((d) => p[d].map((r, j) => ({ i, d, j, r }))));
        const denies = rules.filter((x) => x.r.action === ClusterRuleAction.DENY);
        fc.pre(denies.length > 0);
        const { i, d, j } = denies[pick % denies.length];
        const changed = ps.map((p, k) => {
          if (k !== i) return p;
          const list = p[d].map((r, m) =>
            m === j
              ? ClusterRule.of({
                  action: ClusterRuleAction.ACCEPT,
                  peers: r.peers,
                  ports: r.ports,
                  namedPorts: r.namedPorts,
                  ...(r.name ? { name: r.name } : {}),
                })
              : r,
          );
          return ClusterPolicy.of({ ...p, ingress: d === 'ingress' ? list : p.ingress, egress: d === 'egress' ? list : p.egress });
        });
        const before = verdicts(ps);
        const after = verdicts(changed);
        before.forEach((v, k) => {
          if (v === 'allowed') expect([probes[k], after[k]]).not.toEqual([probes[k], 'denied']);
        });
      }),
      { numRuns: 40 },
    );
  });

  test('Baseline policies decide nothing that the Admin tier accepts or denies on both sides', () => {
    fc.assert(
      fc.property(policies, policies, (ps, more) => {
        const admin = ps.filter((p) => p.tier === 'Admin');
        const baseline = more.filter((p) => p.tier === 'Baseline');
        const oracle = TieredOracle.fromYaml([UNIVERSE_CLUSTER, ...admin.map((p) => stringify(clusterPolicyToObject(p)))]);
        const withBaseline = verdicts([...admin, ...baseline]);
        probes.forEach((p, k) => {
          const d = oracle.decide(p);
          const final = (reasons: readonly string[]) => reasons.every((r) => r.startsWith('Admin') && !r.includes('(Pass)'));
          if (d.verdict === 'denied' && final(d.egress) && d.egress.every((r) => r.endsWith('denied')))
            expect(withBaseline[k]).toBe('denied');
          if (d.verdict !== 'unknown' && final(d.egress) && final(d.ingress)) expect(withBaseline[k]).toBe(d.verdict);
        });
      }),
      { numRuns: 40 },
    );
  });
});
