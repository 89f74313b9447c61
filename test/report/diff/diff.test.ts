import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../../../lib/analysis/analysis';
import { diffAnalyses, diffPolicies, FlowChange } from '../../../lib/analysis/diff';
import { synthEnvironments } from '../../../lib/constructs/environments';
import { Environment } from '../../../lib/env';
import { readPolicies } from '../../../lib/io';
import { Peer } from '../../../lib/model/peer';
import { Port } from '../../../lib/model/port';
import { buildExamples } from '../../../examples';
import { cluster, policy, rule, workload } from '../diagram/helpers';
import { Direction } from '../../../lib/model/rule';

const ROOT = path.resolve(__dirname, '../../..');

/** `change from -> to: before => after`, what depends on something unknown included. */
function lines(flows: readonly FlowChange[]): string[] {
  return flows.map((f) => `${f.change} ${f.from.name} -> ${f.to.name}: ${f.beforeReach} => ${f.afterReach}`);
}

const shopCluster = () =>
  cluster([workload('shop', 'web', { app: 'web' }), workload('shop', 'api', { app: 'api' }), workload('shop', 'db', { app: 'db' })]);
const deny = policy('shop', 'default-deny', {}, [Direction.INGRESS, Direction.EGRESS]);
const db = (...peers: Peer[]) => policy('shop', 'db', { app: 'db' }, [Direction.INGRESS], { ingress: [rule(peers, Port.tcp(5432))] });
const egress = (name: string, app: string, ...rules: ReturnType<typeof rule>[]) =>
  policy('shop', name, { app }, [Direction.EGRESS], { egress: rules });

describe('diffPolicies', () => {
  test('reports flows added, removed and allowed on other ports', () => {
    const before = [
      deny,
      db(Peer.pods({ app: 'web' })),
      egress('web', 'web', rule([Peer.pods({ app: 'db' })], Port.tcp(5432)), rule([Peer.cidr('10.0.0.0/8')], Port.tcp(443))),
    ];
    const after = [
      deny,
      db(Peer.pods({ app: 'web' }), Peer.pods({ app: 'api' })),
      policy('shop', 'db-admin', { app: 'db' }, [Direction.INGRESS], { ingress: [rule([Peer.pods({ app: 'web' })], Port.tcp(5433))] }),
      egress('web', 'web', rule([Peer.pods({ app: 'db' })], Port.tcp(5432), Port.tcp(5433))),
      egress('api', 'api', rule([Peer.pods({ app: 'db' })], Port.tcp(5432))),
    ];
    const d = diffPolicies(before, after, { cluster: shopCluster() });
    expect(lines(d.flows)).toEqual([
      'added shop/api -> shop/db: No Connections => TCP 5432',
      'removed shop/web -> 10.0.0.0/8: TCP 443 => No Connections',
      'changed shop/web -> shop/db: TCP 5432 => TCP 5432-5433',
    ]);
    expect(d.summary).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(d.flows[2].added.toString()).toBe('TCP 5433');
    expect(d.flows[2].removed.isEmpty).toBe(true);
    expect(d.widens).toBe(true);
  });

  test('analyses both sides over the same external ranges, so a narrowed ipBlock shows only the part cut off', () => {
    const before = [deny, egress('web', 'web', rule([Peer.cidr('10.0.0.0/8')], Port.tcp(443)))];
    const after = [deny, egress('web', 'web', rule([Peer.cidr('10.0.0.0/16')], Port.tcp(443)))];
    const d = diffPolicies(before, after, { cluster: shopCluster() });
    expect(lines(d.flows)).toEqual(['removed shop/web -> 10.0.0.0/8 except 10.0.0.0/16: TCP 443 => No Connections']);
    expect(d.widens).toBe(false);
  });

  test('merges ranges that changed alike toward the same workload', () => {
    const before = [deny, egress('web', 'web', rule([Peer.cidr('10.0.0.0/24'), Peer.cidr('10.0.2.0/24')], Port.tcp(443)))];
    const after = [deny, egress('web', 'web', rule([Peer.cidr('10.0.0.0/24'), Peer.cidr('10.0.2.0/24')], Port.tcp(443), Port.tcp(80)))];
    const d = diffPolicies(before, after, { cluster: shopCluster() });
    expect(lines(d.flows)).toEqual(['changed shop/web -> 10.0.0.0/24; 10.0.2.0/24: TCP 443 => TCP 80,443']);
    const to = d.flows[0].to;
    expect(to.type === 'external' && to.addresses.lines()).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
  });

  test('counts a workload reaching its own pods', () => {
    const before = [deny];
    const after = [
      deny,
      policy('shop', 'web', { app: 'web' }, [Direction.INGRESS, Direction.EGRESS], {
        ingress: [rule([Peer.pods({ app: 'web' })], Port.tcp(80))],
        egress: [rule([Peer.pods({ app: 'web' })], Port.tcp(80))],
      }),
    ];
    expect(lines(diffPolicies(before, after, { cluster: shopCluster() }).flows)).toEqual([
      'added shop/web -> shop/web: No Connections => TCP 80',
    ]);
  });

  test('shows no change when only the text of the policies changed', () => {
    const a = policy('shop', 'web', { app: 'web' }, [Direction.EGRESS], {
      egress: [rule([Peer.cidr('10.0.0.0/8'), Peer.pods({ app: 'db' })], Port.tcp(443), Port.tcp(80))],
    });
    const b = policy('shop', 'web', { app: 'web' }, [Direction.EGRESS], {
      egress: [
        rule([Peer.pods({ app: 'db' })], Port.tcp(80)),
        rule([Peer.cidr('10.0.0.0/8')], Port.tcp(80)),
        rule([Peer.pods({ app: 'db' }), Peer.cidr('10.0.0.0/8')], Port.tcp(443)),
      ],
    });
    const d = diffPolicies([deny, a], [b, deny], { cluster: shopCluster() });
    expect(d.flows).toEqual([]);
    expect(d.policies).toEqual([]);
    expect(d.widens).toBe(false);
  });

  test('lists changed policies with what differs and how many flows of their pods changed', () => {
    const web = (corporate: string) =>
      egress('web', 'web', rule([Peer.cidr('0.0.0.0/0')], Port.tcp(443)), rule([Peer.cidr(corporate)], Port.tcp(443)));
    const legacy = policy('shop', 'legacy', { app: 'web' }, [Direction.INGRESS]);
    const before = [deny, legacy, db(Peer.pods({ app: 'web' })), web('172.16.0.0/16')];
    const after = [
      deny,
      db(Peer.pods({ app: 'web' }), Peer.pods({ app: 'api' })),
      web('172.20.0.0/16'),
      egress('api', 'api', rule([Peer.pods({ app: 'db' })], Port.tcp(5432))),
    ];
    const d = diffPolicies(before, after, { cluster: shopCluster() });
    expect(lines(d.flows)).toEqual(['added shop/api -> shop/db: No Connections => TCP 5432']);
    expect(d.policies).toEqual([
      {
        id: 'shop/api',
        change: 'added',
        details: ['+ applies to pods app=api', '+ isolates Egress', '+ egress to pods app=db: TCP 5432'],
        flows: 1,
      },
      { id: 'shop/db', change: 'changed', details: ['+ ingress from pods app=api: TCP 5432'], flows: 1 },
      { id: 'shop/legacy', change: 'removed', details: ['- applies to pods app=web', '- isolates Ingress'], flows: 0 },
      {
        id: 'shop/web',
        change: 'changed',
        details: ['- egress to 172.16.0.0/16: TCP 443', '+ egress to 172.20.0.0/16: TCP 443'],
        flows: 0,
      },
    ]);
  });

  test('says a policy change changed no flow when a wider peer already allows it', () => {
    const web = (corporate: string) =>
      policy('shop', 'web', { app: 'web' }, [Direction.INGRESS], {
        ingress: [rule([Peer.anyIpv4(), Peer.cidr(corporate)], Port.tcp(443))],
      });
    const d = diffPolicies([deny, web('172.16.0.0/16')], [deny, web('172.20.0.0/16')], { cluster: shopCluster() });
    expect(d.flows).toEqual([]);
    expect(d.policies).toEqual([
      {
        id: 'shop/web',
        change: 'changed',
        details: ['- ingress from 172.16.0.0/16: TCP 443', '+ ingress from 172.20.0.0/16: TCP 443'],
        flows: 0,
      },
    ]);
  });

  test('infers the pod groups of both sides when no cluster is given', () => {
    // the api tier only exists in the after policies; its pods are open before and closed after
    const after = [
      policy('shop', 'api', { app: 'api' }, [Direction.INGRESS], { ingress: [rule([Peer.pods({ app: 'web' })], Port.tcp(8080))] }),
    ];
    const before = [policy('shop', 'web', { app: 'web' }, [Direction.INGRESS])];
    const d = diffPolicies(before, after);
    const into = d.flows.filter((f) => f.to.name === 'shop/api');
    expect(into.length).toBeGreaterThan(0);
    expect(into.find((f) => f.from.name === 'shop/web')?.after.toString()).toBe('TCP 8080');
    expect(into.every((f) => f.change === 'removed' || f.from.name === 'shop/web')).toBe(true);
  });

  test('widens is false when connections are only taken away', () => {
    const before = [deny, egress('web', 'web', rule([Peer.cidr('10.0.0.0/8')], Port.tcp(443), Port.tcp(80)))];
    const after = [deny, egress('web', 'web', rule([Peer.cidr('10.0.0.0/8')], Port.tcp(443)))];
    const d = diffPolicies(before, after, { cluster: shopCluster() });
    expect(lines(d.flows)).toEqual(['changed shop/web -> 10.0.0.0/8: TCP 80,443 => TCP 443']);
    expect(d.widens).toBe(false);
  });
});

describe('diffAnalyses', () => {
  test('throws when the two analyses cover different workloads', () => {
    expect(() => diffAnalyses(analyze([], shopCluster()), analyze([], shopCluster()))).toThrow(
      'the two analyses cover different workloads; analyse both policy sets over one cluster, e.g. clusterPicture([...before, ...after])',
    );
  });

  test('finds nothing between two analyses of the same policies', () => {
    const c = shopCluster();
    const ps = [deny, db(Peer.pods({ app: 'web' }))];
    expect(diffAnalyses(analyze(ps, c), analyze(ps, c))).toEqual([]);
  });
});

describe('the examples, staging → prod', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-'));
    const envs = ['staging', 'prod'].map((e) => Environment.load(path.join(ROOT, 'examples/environments', `${e}.yaml`)));
    synthEnvironments(envs, buildExamples, { outdir });
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('show the orders database move as the only flow changes, and the corporate range as a policy change of no effect', () => {
    const before = readPolicies([path.join(outdir, 'staging')]).policies;
    const after = readPolicies([path.join(outdir, 'prod')]).policies;
    // pods take their IPs from 10.244.0.0/16, where neither database range lies
    const d = diffPolicies(before, after, { podCidrs: ['10.244.0.0/16'] });
    expect(lines(d.flows)).toEqual([
      'removed shop/backend -> 10.11.0.5/32: TCP 5432 => No Connections',
      'added shop/backend -> 10.20.0.0/24: No Connections => TCP 5432',
    ]);
    // wordpress admits 0.0.0.0/0 on the same ports, so moving the corporate range changes no flow
    expect(d.policies).toEqual([
      {
        id: 'default/wordpress',
        change: 'changed',
        details: ['- ingress from 172.16.0.0/16: TCP 80, TCP 443', '+ ingress from 172.20.0.0/16: TCP 80, TCP 443'],
        flows: 0,
      },
      {
        id: 'shop/backend',
        change: 'changed',
        details: ['- egress to 10.11.0.5/32: TCP 5432', '+ egress to 10.20.0.0/24: TCP 5432'],
        flows: 2,
      },
    ]);
  });

  test('without the pod ranges, the flows to pods whose IP may lie in either database range change too', () => {
    const before = readPolicies([path.join(outdir, 'staging')]).policies;
    const after = readPolicies([path.join(outdir, 'prod')]).policies;
    const d = diffPolicies(before, after);
    expect(lines(d.flows)).toContain(
      'changed shop/backend -> kube-system/kube-dns: TCP 53,UDP 53; TCP 5432 if destination IP in 10.11.0.5/32 => TCP 53,UDP 53; TCP 5432 if destination IP in 10.20.0.0/24',
    );
    expect(d.flows.filter((f) => f.change === 'changed').every((f) => f.before.equals(f.after))).toBe(true);
    expect(d.widens).toBe(true);
  });
});
