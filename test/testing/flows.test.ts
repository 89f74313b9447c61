import * as fc from 'fast-check';
import { Chart, Testing } from 'cdk8s';
import { AllowDns, DefaultDeny, Peer, Port, Tier } from '../../lib';
import { Reach } from '../../lib/model/reach';
import { formatReach } from '../../lib/testing/private/connections';
import { modelOf } from '../../lib/testing';
import { Direction } from '../../lib/model';

/** A chart in namespaces a and b: tiers app=x|y|z, some default denies, DNS, and random statements. */
const chartSpec = fc.record({
  deny: fc.tuple(fc.subarray(['Ingress', 'Egress'] as Direction[]), fc.subarray(['Ingress', 'Egress'] as Direction[])),
  dns: fc.boolean(),
  tiers: fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('x', 'y', 'z')), {
    minLength: 1,
    maxLength: 4,
    selector: ([ns, app]) => `${ns}-${app}`,
  }),
  statements: fc.array(
    fc.record({
      tier: fc.nat(),
      verb: fc.constantFrom('allowFrom', 'allowTo', 'allowWithin'),
      peer: fc.oneof(
        fc.nat().map((i) => ({ tier: i })),
        fc.constantFrom(
          Peer.pods({ app: 'x' }),
          Peer.namespace('b'),
          Peer.namespaces({ team: 'q' }),
          Peer.podsInNamespace('a', { app: 'y' }),
          Peer.any(),
          Peer.cidr('10.0.0.0/8'),
          Peer.cidr('10.1.0.0/16'),
          Peer.anyIpv4(),
          Peer.cidr('2001:db8::/32'),
          Peer.cidr('172.16.0.0/12', ['172.16.1.0/24']),
        ),
      ),
      ports: fc.subarray([Port.tcp(80), Port.tcp(81), Port.udp(53), Port.tcpRange(8000, 8100)]),
    }),
    { maxLength: 6 },
  ),
});

function build(spec: typeof chartSpec extends fc.Arbitrary<infer T> ? T : never): Chart {
  const chart = new Chart(Testing.app(), 'random', { namespace: 'a' });
  ['a', 'b'].forEach((ns, i) => {
    if (spec.deny[i].length > 0) new DefaultDeny(chart, `deny-${ns}`, { namespace: ns, directions: spec.deny[i] });
    if (spec.dns) new AllowDns(chart, `dns-${ns}`, { namespace: ns });
  });
  const tiers = spec.tiers.map(([ns, app]) => new Tier(chart, `${ns}-${app}`, { namespace: ns, pods: { app } }));
  for (const s of spec.statements) {
    const tier = tiers[s.tier % tiers.length];
    const peer = 'tier' in s.peer ? tiers[s.peer.tier % tiers.length] : s.peer;
    if (s.verb === 'allowWithin') tier.allowWithin(...s.ports);
    else tier[s.verb](peer, ...s.ports);
  }
  return chart;
}

describe('printed flows', () => {
  test('pass toAllowExactly in any order, and each of them is needed', () => {
    fc.assert(
      fc.property(chartSpec, fc.nat(), (spec, seed) => {
        const model = modelOf(build(spec));
        const flows = model.flows();
        expect(model.compare(flows).pass).toBe(true);
        const shuffled = [...flows].sort((x, y) => ((x.length * 31 + seed) % 7) - ((y.length * 31 + seed) % 7));
        expect(model.compare(shuffled).pass).toBe(true);
        for (let i = 0; i < Math.min(flows.length, 4); i++) {
          expect(model.compare(flows.filter((_, j) => j !== i)).pass).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  test("equal the analyzer's answers listed one group and one address range at a time, what depends on something unknown included", () => {
    fc.assert(
      fc.property(chartSpec, (spec) => {
        const model = modelOf(build(spec));
        const a = model.analysis;
        const statements: string[] = [];
        const add = (from: string, to: string, c: Reach) => {
          for (const part of formatReach(c)) statements.push(`${from} -> ${to} ${part}`);
        };
        for (const from of model.groups) {
          for (const to of model.groups) {
            if (from.underTest || to.underTest)
              add(from.id, to.id, a.reach({ type: 'workload', workload: from.workload }, { type: 'workload', workload: to.workload }));
          }
        }
        for (const g of model.groups.filter((x) => x.underTest)) {
          const workload = { type: 'workload' as const, workload: g.workload };
          for (const range of a.externalSources) add(range.toString(), g.id, a.reach({ type: 'external', range }, workload));
          for (const range of a.externalDestinations) add(g.id, range.toString(), a.reach(workload, { type: 'external', range }));
        }
        expect(model.compare(statements).pass).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('names in printed flows', () => {
  test('a namespace without default deny shows its open directions, kept short by *, outside and namespace/*', () => {
    const chart = new Chart(Testing.app(), 'open', { namespace: 'open' });
    new Tier(chart, 'api', { pods: { app: 'api' } }).allowFrom(Peer.pods({ app: 'web' }), Port.tcp(8080));
    expect(modelOf(chart).flows()).toEqual([
      'web -> api TCP 8080',
      '* -> web All',
      '* -> open/(others) All',
      '* -> outside All',
      'outside -> web All',
      'outside -> open/(others) All',
    ]);
  });
});
