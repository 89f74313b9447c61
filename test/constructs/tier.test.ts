import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as kplus from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { AllowDns, DefaultDeny, ExternalDatabase, LabelSelector, Peer, Port, Tier, Direction, SelectorOperator } from '../../lib';

function policies(chart: Chart): Record<string, any> {
  return Object.fromEntries(Testing.synth(chart).map((o: any) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
}

describe('Tier', () => {
  test('tier.allowTo writes egress on the source and ingress on the destination', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new DefaultDeny(chart, 'default-deny');
    const web = new Tier(chart, 'web', { pods: { app: 'web' } });
    const api = new Tier(chart, 'api', { pods: { app: 'api' } });
    web.allowTo(api, Port.tcp(8080));
    const p = policies(chart);
    expect(p['shop/web'].spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(p['shop/api'].spec).toEqual({
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress', 'Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('tier.allowFrom a tier in another namespace uses one peer with namespace AND pod selectors on both ends', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'team-a' });
    const b = new Chart(app, 'b', { namespace: 'team-b' });
    new DefaultDeny(a, 'deny');
    new DefaultDeny(b, 'deny');
    const client = new Tier(a, 'client', { pods: { app: 'client' } });
    const api = new Tier(b, 'api', { pods: { app: 'api' } });
    api.allowFrom(client, Port.tcp(8443));
    expect(policies(b)['team-b/api'].spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } },
            podSelector: { matchLabels: { app: 'client' } },
          },
        ],
        ports: [{ port: 8443, protocol: 'TCP' }],
      },
    ]);
    expect(policies(a)['team-a/client'].spec.egress).toEqual([
      {
        to: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-b' } }, podSelector: { matchLabels: { app: 'api' } } },
        ],
        ports: [{ port: 8443, protocol: 'TCP' }],
      },
    ]);
  });

  test('the other end of a tier statement is not written where that tier is not isolated', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new DefaultDeny(chart, 'deny-ingress', { directions: [Direction.INGRESS] });
    const client = new Tier(chart, 'client', { pods: { app: 'client' } });
    const api = new Tier(chart, 'api', { pods: { app: 'api' } });
    api.allowFrom(client, Port.tcp(8443));
    const p = policies(chart);
    expect(Object.keys(p).sort()).toEqual(['n/api', 'n/deny-ingress']);
    expect(p['n/api'].spec.policyTypes).toEqual(['Ingress']);
    expect(client.toPolicy()).toBeUndefined();
  });

  test('a DefaultDeny created after the tiers still makes both ends be written', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const web = new Tier(chart, 'web', { pods: { app: 'web' } });
    const api = new Tier(chart, 'api', { pods: { app: 'api' } });
    web.allowTo(api, Port.tcp(80));
    new DefaultDeny(chart, 'deny');
    const p = policies(chart);
    expect(p['n/api'].spec.ingress).toHaveLength(1);
    expect(p['n/web'].spec.egress).toHaveLength(1);
  });

  test('a tier without a DefaultDeny isolates the directions of its own statements only', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const db = new Tier(chart, 'db', { pods: { role: 'db' } });
    db.allowFrom(Peer.pods({ role: 'frontend' }), Port.tcp(6379));
    expect(policies(chart)['n/db'].spec).toEqual({
      podSelector: { matchLabels: { role: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }],
    });
  });

  test('isolate makes a tier deny a direction with no rules', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(chart, 'locked', { pods: { app: 'locked' }, isolate: [Direction.EGRESS] });
    expect(policies(chart)['n/locked'].spec).toEqual({ podSelector: { matchLabels: { app: 'locked' } }, policyTypes: ['Egress'] });
  });

  test('a repeated identical statement is a no-op', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const web = new Tier(chart, 'web', { pods: { app: 'web' } });
    web.allowFrom(Peer.anyIpv4(), Port.tcp(80));
    web.allowFrom(Peer.anyIpv4(), Port.tcp(80));
    expect(policies(chart)['n/web'].spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
  });

  test('a repeated statement keeps one grant in the direction begun after the other one grew long', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const web = new Tier(chart, 'web', { pods: { app: 'web' } });
    for (let i = 0; i < 9; i++) web.allowFrom(Peer.cidr(`10.0.${i}.0/24`), Port.tcp(80));
    web.allowTo(Peer.cidr('10.9.0.0/16'), Port.tcp(5432));
    web.allowTo(Peer.cidr('10.9.0.0/16'), Port.tcp(5432));
    expect(web['egressGrants']).toHaveLength(1);
    expect(web['ingressGrants']).toHaveLength(9);
  });

  test('a tier allows exactly the pairs of its statements, and repeating one changes nothing, on short and long rule lists', () => {
    // up to 40 statements over 12 peers and 4 port lists: a direction holds from one to dozens of rules
    const statement = fc.record({ from: fc.boolean(), peer: fc.integer({ min: 0, max: 11 }), ports: fc.integer({ min: 0, max: 3 }) });
    type Statement = { from: boolean; peer: number; ports: number };
    const portLists = [[Port.tcp(80)], [Port.tcp(443), Port.tcp(80)], [Port.tcp(80), Port.tcp(443), Port.tcp(80)], []];
    const peerName = (i: number) => (i < 8 ? `10.0.${i}.0/24` : `peer-${i}`);
    const synth = (statements: readonly Statement[]) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
      const web = new Tier(chart, 'web', { pods: { app: 'web' } });
      const peers = Array.from({ length: 12 }, (_, i) =>
        i < 8 ? Peer.cidr(peerName(i)) : new Tier(chart, peerName(i), { pods: { app: peerName(i) } }),
      );
      for (const s of statements) {
        if (s.from) web.allowFrom(peers[s.peer], ...portLists[s.ports]);
        else web.allowTo(peers[s.peer], ...portLists[s.ports]);
      }
      return Testing.synth(chart).find((o: any) => o.metadata.name === 'web')?.spec;
    };
    // every (direction, peer, port) a spec allows; '*' for every port
    const pairs = (spec: any) =>
      new Set(
        (['ingress', 'egress'] as const).flatMap((d) =>
          (spec?.[d] ?? []).flatMap((rule: any) =>
            (rule[d === 'ingress' ? 'from' : 'to'] as any[]).flatMap((peer) =>
              (rule.ports ?? [{ port: '*' }]).map((p: any) => `${d} ${peer.ipBlock?.cidr ?? peer.podSelector.matchLabels.app} ${p.port}`),
            ),
          ),
        ),
      );
    const stated = (statements: readonly Statement[]) =>
      new Set(
        statements.flatMap((s) =>
          (s.ports === 3 ? ['*'] : portLists[s.ports].map((p) => p.port)).map(
            (port) => `${s.from ? 'ingress' : 'egress'} ${peerName(s.peer)} ${port}`,
          ),
        ),
      );
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 40, size: 'max' }), fc.array(fc.nat(), { maxLength: 40 }), (statements, repeats) => {
        const spec = synth(statements);
        expect(pairs(spec)).toEqual(stated(statements));
        // each picked statement made once more, at the end
        const again = [...statements, ...repeats.filter(() => statements.length > 0).map((r) => statements[r % statements.length])];
        expect(synth(again)).toEqual(spec);
      }),
      { numRuns: 60 },
    );
  });

  test('peers with the same ports share one rule, in a stable order', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const web = new Tier(chart, 'web', { pods: { app: 'web' } });
    web.allowFrom(Peer.cidr('172.16.0.0/16'), Port.tcp(443), Port.tcp(80));
    web.allowFrom(Peer.anyIpv4(), Port.tcp(80), Port.tcp(443));
    web.allowFrom(Peer.namespace('monitoring'), Port.tcp(9090));
    expect(policies(chart)['n/web'].spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '172.16.0.0/16' } }],
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 443, protocol: 'TCP' },
        ],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
    ]);
  });

  test('Peer.any() writes a rule without from, and no ports means every port', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(chart, 'web', { pods: { app: 'web' } }).allowFrom(Peer.any());
    expect(policies(chart)['n/web'].spec.ingress).toEqual([{}]);
  });

  test('allowWithin writes ingress from and egress to the tier itself', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(chart, 'wp', { pods: { app: 'wordpress' } }).allowWithin(Port.tcp(80));
    const spec = policies(chart)['n/wp'].spec;
    expect(spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'wordpress' } } }], ports: [{ port: 80, protocol: 'TCP' }] },
    ]);
    expect(spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'wordpress' } } }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  });

  test('allowTo an ExternalDatabase writes one ipBlock per CIDR on the database ports', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const db = new ExternalDatabase(chart, 'orders', { cidrs: ['10.20.0.0/24', '2001:db8::5/128'], ports: [Port.tcp(5432)] });
    new Tier(chart, 'backend', { pods: { app: 'backend' } }).allowTo(db);
    expect(policies(chart)['n/backend'].spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/24' } }, { ipBlock: { cidr: '2001:db8::5/128' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });

  test('port ranges, named ports, UDP and SCTP render as the API expects', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(chart, 'x', { pods: { app: 'x' } }).allowFrom(
      Peer.any(),
      Port.tcpRange(32000, 32768),
      Port.named('metrics'),
      Port.udp(53),
      Port.sctp(9000),
    );
    expect(policies(chart)['n/x'].spec.ingress[0].ports).toEqual([
      { port: 32000, endPort: 32768, protocol: 'TCP' },
      { port: 'metrics', protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
      { port: 9000, protocol: 'SCTP' },
    ]);
  });

  test('takes the pod selector and namespace of a cdk8s-plus-27 Deployment', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'web' });
    const deployment = new kplus.Deployment(chart, 'frontend', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const tier = new Tier(chart, 'frontend-tier', { workload: deployment });
    tier.allowFrom(Peer.any(), Port.tcp(80));
    const expected = deployment.matchLabels;
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(tier.selector.matchLabels).toEqual(expected);
    const np = Testing.synth(chart).find((o: any) => o.kind === 'NetworkPolicy');
    expect(np.metadata).toEqual({ name: 'frontend-tier', namespace: 'web' });
    expect(np.spec.podSelector).toEqual({ matchLabels: expected });
  });

  test('takes the pod selector and namespace of a cdk8s-plus-33 StatefulSet, and of a Pod', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const db = new kplus33.StatefulSet(chart, 'db', {
      metadata: { namespace: 'data' },
      containers: [{ image: 'postgres', portNumber: 5432 }],
    });
    const job = new kplus33.Pod(chart, 'job', { containers: [{ image: 'busybox' }] });
    const dbTier = new Tier(chart, 'db-tier', { workload: db });
    const jobTier = new Tier(chart, 'job-tier', { workload: job });
    jobTier.allowTo(dbTier, Port.tcp(5432));
    dbTier.allowFrom(jobTier, Port.tcp(5432));
    expect(dbTier.namespace).toBe('data');
    expect(jobTier.namespace).toBe('n');
    expect(dbTier.selector.matchLabels).toEqual(db.matchLabels);
    expect(jobTier.selector.matchLabels).toEqual({ [kplus33.Pod.ADDRESS_LABEL]: job.metadata.getLabel(kplus33.Pod.ADDRESS_LABEL) });
    const p = policies(chart);
    expect(p['data/db-tier'].spec.podSelector).toEqual({ matchLabels: db.matchLabels });
    expect(p['n/job-tier'].spec.egress[0].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: db.matchLabels } },
    ]);
  });

  test('a workload whose pod selector cannot be read is a validation error of the tier', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const fake = new Construct(chart, 'fake');
    Object.assign(fake, { toPodSelectorConfig: () => ({ labelSelector: {} }) });
    new Tier(chart, 'web', { workload: fake });
    expect(() => Testing.synth(chart)).toThrow(
      "[c/web] workload: the workload's pod selector cannot be read (its toPodSelectorConfig() returns no cdk8s-plus LabelSelector); give the tier `pods` with the labels of its pods instead",
    );
  });

  test('selects by matchExpressions', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(chart, 'x', { pods: LabelSelector.of({}, [{ key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] }]) }).allowFrom(
      Peer.any(),
    );
    expect(policies(chart)['n/x'].spec.podSelector).toEqual({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] });
  });

  test('throws at synth with every invalid construct and its path', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(chart, 'bad', { pods: { 'app/x/y': 'web' } }).allowFrom(Peer.any());
    new Tier(chart, 'Bad_Name', { pods: { app: 'ok' }, policyName: 'Bad_Name' }).allowFrom(Peer.any());
    new ExternalDatabase(chart, 'db', { cidrs: ['db.example.com'], ports: [Port.tcp(5432)] });
    expect(() => Testing.synth(chart)).toThrow(
      'Validation failed with the following errors:\n' +
        "  [c/bad] pods.matchLabels: label key \"app/x/y\" is invalid: a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')\n" +
        "  [c/Bad_Name] policyName: \"Bad_Name\" is not a valid object name: must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')\n" +
        '  [c/db] cidrs[0].cidr: "db.example.com" is a hostname, but NetworkPolicy matches IP addresses only and cannot match DNS names; resolve it to the address range the service uses and give that as a CIDR (e.g. "10.0.0.5/32"), or allow egress to its port without a peer',
    );
  });

  test('throws at synth when two policies share a namespace and name', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'n' });
    const b = new Chart(app, 'b', { namespace: 'n' });
    new DefaultDeny(a, 'deny');
    new DefaultDeny(b, 'deny');
    expect(() => Testing.synth(a)).toThrow(
      '[b/deny] NetworkPolicy "n/deny" is also defined by a/deny; give one of them another id or a `policyName`',
    );
  });

  test('throws when allowFrom is given an ExternalDatabase', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const db = new ExternalDatabase(chart, 'orders', { cidrs: ['10.0.0.0/24'], ports: [Port.tcp(5432)] });
    expect(() => new Tier(chart, 'x', { pods: { app: 'x' } }).allowFrom(db)).toThrow(
      'c/x: an ExternalDatabase (c/orders) is outside the cluster and has no pods to send from; use tier.allowTo(database) for traffic to it, or Peer.cidr(...) for traffic from its addresses',
    );
  });
});

describe('DefaultDeny and AllowDns', () => {
  test('DefaultDeny is one policy selecting every pod, denying both directions by default', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new DefaultDeny(chart, 'default-deny');
    new DefaultDeny(chart, 'ingress-only', { directions: [Direction.INGRESS] });
    const p = policies(chart);
    expect(p['n/default-deny']).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'n' },
      spec: { podSelector: {}, policyTypes: ['Egress', 'Ingress'] },
    });
    expect(p['n/ingress-only'].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  test('AllowDns defaults to kube-dns in kube-system on UDP and TCP 53', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new AllowDns(chart, 'allow-dns');
    expect(policies(chart)['n/allow-dns'].spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: 53, protocol: 'TCP' },
            { port: 53, protocol: 'UDP' },
          ],
        },
      ],
    });
  });

  test('AllowDns takes OpenShift-style settings and a NodeLocal DNSCache address', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new AllowDns(chart, 'dns', {
      from: { app: 'web' },
      dns: {
        namespace: 'openshift-dns',
        pods: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
        ports: [Port.udp(5353), Port.tcp(5353)],
        nodeLocalCidrs: [Peer.cidr('169.254.20.10/32').ipBlock!],
      },
    });
    expect(policies(chart)['n/dns'].spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
              podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
            },
          ],
          ports: [
            { port: 5353, protocol: 'TCP' },
            { port: 5353, protocol: 'UDP' },
          ],
        },
        {
          to: [{ ipBlock: { cidr: '169.254.20.10/32' } }],
          ports: [
            { port: 5353, protocol: 'TCP' },
            { port: 5353, protocol: 'UDP' },
          ],
        },
      ],
    });
  });
});

describe('labels, annotations and lint suppressions', () => {
  test('suppressLint writes the reason into the lint-suppress annotation, also after the object exists', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const db = new Tier(chart, 'db', { pods: { role: 'db' }, labels: { team: 'data' } });
    db.allowFrom(Peer.pods({ role: 'api' }), Port.tcp(5432));
    db.suppressLint('NP001', 'db is reached by address only').suppressLint('NP010', 'both peers are meant');
    db.suppressNamespaceLint('NP004', 'egress stays open in this namespace');
    expect(policies(chart)['n/db'].metadata).toEqual({
      name: 'db',
      namespace: 'n',
      labels: { team: 'data' },
      annotations: {
        'netpol.dev/lint-suppress': 'NP001: db is reached by address only; NP010: both peers are meant',
        'netpol.dev/lint-suppress-namespace': 'NP004: egress stays open in this namespace',
      },
    });
    expect(db.toPolicy()!.annotations['netpol.dev/lint-suppress']).toBe(
      'NP001: db is reached by address only; NP010: both peers are meant',
    );
  });

  test('throws when a suppression has no reason or a malformed rule id', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const deny = new DefaultDeny(chart, 'deny');
    expect(() => deny.suppressLint('NP001', '  ')).toThrow('suppressing NP001 needs a reason: say why the finding does not apply here');
    expect(() => deny.suppressLint('np001', 'x')).toThrow(
      'lint rule id "np001" is not valid; rule ids are NP and three digits, e.g. "NP001"',
    );
  });

  test('throws at synth on an invalid label of the policy object', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new DefaultDeny(chart, 'deny', { labels: { team: 'data team' } });
    expect(() => Testing.synth(chart)).toThrow(
      `[c/deny] labels: label value "data team" of "team" is invalid: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')`,
    );
  });
});

test('throws at synth when two tiers of one namespace select the same pods', () => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
  new Tier(chart, 'web', { pods: { app: 'web' } }).allowFrom(Peer.any());
  new Tier(chart, 'frontend', { pods: LabelSelector.of({ app: 'web' }) }).allowFrom(Peer.any(), Port.tcp(80));
  new Tier(chart, 'other-namespace', { namespace: 'm', pods: { app: 'web' } }).allowFrom(Peer.any());
  expect(() => Testing.synth(chart)).toThrow(
    'Validation failed with the following errors:\n  [c/frontend] selects the same pods as c/web (app=web in namespace n); use one Tier for them and make all its statements on it',
  );
});

describe('isolation by other policies of the App', () => {
  test('an AllowDns isolates egress, so a tier statement writes the egress side too', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new AllowDns(chart, 'allow-dns');
    const web = new Tier(chart, 'web', { pods: { app: 'web' } });
    const api = new Tier(chart, 'api', { pods: { app: 'api' } });
    api.allowFrom(web, Port.tcp(8080));
    const p = policies(chart);
    expect(p['shop/web'].spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
    expect(p['shop/api'].spec.policyTypes).toEqual(['Egress', 'Ingress']); // its egress is isolated by allow-dns anyway
  });

  test('an AllowDns for some pods isolates the egress of tiers within them only', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    new AllowDns(chart, 'allow-dns', { from: { team: 'red' } });
    const red = new Tier(chart, 'red', { pods: { team: 'red', app: 'web' } });
    const blue = new Tier(chart, 'blue', { pods: { team: 'blue', app: 'web' } });
    const api = new Tier(chart, 'api', { pods: { app: 'api' } });
    api.allowFrom(red, Port.tcp(8080)).allowFrom(blue, Port.tcp(8080));
    expect(red.isolatedDirections).toEqual(['Egress']);
    expect(blue.isolatedDirections).toEqual([]);
    expect(Object.keys(policies(chart)).sort()).toEqual(['shop/allow-dns', 'shop/api', 'shop/red']);
  });

  test('a tier of every pod of a namespace isolates them, so other tiers there write their side', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'team-a' });
    const b = new Chart(app, 'b', { namespace: 'team-b' });
    new Tier(a, 'internal', { pods: {} }).allowFrom(Peer.pods({}));
    const client = new Tier(b, 'client', { pods: { app: 'client' } });
    const reports = new Tier(a, 'reports', { pods: { app: 'reports' } });
    client.allowTo(reports, Port.tcp(9000));
    expect(policies(a)['team-a/reports'].spec.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-b' } },
            podSelector: { matchLabels: { app: 'client' } },
          },
        ],
        ports: [{ port: 9000, protocol: 'TCP' }],
      },
    ]);
  });
});

describe('errors that must reach validation with their construct path', () => {
  test('throws at synth for a bad isolate direction, a bad DNS namespace and empty DNS ports', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(chart, 't', { pods: { a: 'b' }, isolate: ['ingress' as any] });
    new AllowDns(chart, 'bad-ns', { dns: { namespace: 'Bad_NS' } });
    new AllowDns(chart, 'no-ports', { dns: { ports: [] } });
    expect(() => Testing.synth(chart)).toThrow(
      [
        'Validation failed with the following errors:',
        '  [c/t] isolate: "ingress" is not a direction; use "Ingress" or "Egress" (case-sensitive)',
        `  [c/bad-ns] dns.namespace: namespace name "Bad_NS" is invalid: must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')`,
        '  [c/no-ports] dns.ports: no DNS port given, which would allow every port; give the DNS ports, e.g. [Port.udp(53), Port.tcp(53)]',
      ].join('\n'),
    );
  });

  test('a tier with an invalid namespace as a peer is reported by its validation, not thrown', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    const bad = new Tier(chart, 't', { pods: { a: 'b' }, namespace: 'BAD' });
    const u = new Tier(chart, 'u', { pods: { a: 'c' } });
    expect(() => u.allowTo(bad, Port.tcp(80))).not.toThrow();
    expect(() => Testing.synth(chart)).toThrow(`[c/t] namespace: "BAD" is not a valid namespace name`);
  });

  test('the same port twice in one statement is one port', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new DefaultDeny(chart, 'deny');
    const a = new Tier(chart, 'a', { pods: { app: 'a' } });
    const b = new Tier(chart, 'b', { pods: { app: 'b' } });
    a.allowTo(b, Port.tcp(8443), Port.tcp(8443));
    b.allowFrom(a, Port.tcp(8443));
    expect(policies(chart)['n/b'].spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 8443, protocol: 'TCP' }] },
    ]);
    expect(policies(chart)['n/a'].spec.egress).toHaveLength(1);
  });
});

describe('Tier.allPods', () => {
  test('is a tier of every pod of its namespace, saying so with the reason in its lint suppression', () => {
    const chart = new Chart(Testing.app(), 'teams', { namespace: 'team-a' });
    const internal = Tier.allPods(chart, 'internal').allowFrom(Peer.pods({}));
    expect(internal.selector.isEmpty).toBe(true);
    expect(internal.toPolicy()!.annotations['netpol.dev/lint-suppress']).toBe(
      'NP013: a tier of every pod of namespace team-a, on purpose (Tier.allPods)',
    );
    const other = Tier.allPods(chart, 'other', { namespace: 'team-b', reason: 'the namespace runs one app' }).allowFrom(Peer.pods({}));
    expect(other.toPolicy()!.annotations['netpol.dev/lint-suppress']).toBe('NP013: the namespace runs one app');
    expect(other.namespace).toBe('team-b');
  });
});
