/**
 * Domain names in the matchers and flow statements: a destination of their own, matched only by
 * the `domainNames` peers of ClusterNetworkPolicies, and three-valued like any other end.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AllowDns, AllowDomains, BaselineDefaultDeny, ClusterSubject, DefaultDeny, DenyCloudMetadata, Peer, Port, Tier } from '../../lib';
import { FlowModel, modelOf, netpolMatchers } from '../../lib/testing';
import { formatReach } from '../../lib/testing/private/connections';
import '../../lib/testing/setup';
import { caught } from '../model/caught';

/**
 * Namespace pay, default deny with DNS: backend reaches api.stripe.com and every name under
 * stripe.com on TCP 443 by an Admin policy; web reaches 192.0.2.0/24 on TCP 443 by its
 * NetworkPolicy, which holds a domain name only if it resolves there. Pod IPs are in
 * 10.244.0.0/16.
 */
function pay(): FlowModel {
  const app = Testing.app();
  const chart = new Chart(app, 'pay', { namespace: 'pay' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  new Tier(chart, 'backend', { pods: { app: 'backend' } });
  const web = new Tier(chart, 'web', { pods: { app: 'web' } });
  web.allowTo(Peer.cidr('192.0.2.0/24'), Port.tcp(443));
  const admin = new Chart(app, 'admin');
  new AllowDomains(admin, 'allow-stripe', {
    domains: ['api.stripe.com', '*.stripe.com', 'API.Stripe.com.'],
    subject: ClusterSubject.podsInNamespace('pay', { app: 'backend' }),
    ports: [Port.tcp(443)],
  });
  return modelOf(chart, { podCidrs: ['10.244.0.0/16'] });
}

/** The message of the assertion error `fn` throws. */
function failure(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the assertion to fail, but it passed');
}

const WEB_TO_STRIPE = `pay/web -> api.stripe.com on TCP 443: depends: allowed if api.stripe.com resolves inside 192.0.2.0/24
  egress from pay/web: depends, on what is unknown:
    if api.stripe.com resolves inside 192.0.2.0/24: left to the NetworkPolicies that isolate it
    if api.stripe.com resolves outside 192.0.2.0/24: left to the NetworkPolicies that isolate it
    egress from pay/web: isolated by pay/allow-dns, pay/default-deny, pay/web; no rule allows the connection for sure
      allowed by pay/web, egress rule 0 only on a condition: peer 0 (192.0.2.0/24) if api.stripe.com resolves inside 192.0.2.0/24, and port entry 0 (TCP 443)
      pay/allow-dns, egress rule 0: no peer matches api.stripe.com (namespace kube-system pods k8s-app=kube-dns)
      pay/default-deny has no egress rules
  ingress to api.stripe.com: outside the cluster, so no policy restricts it`;

describe('a domain name as the destination', () => {
  const chart = pay();

  test('toAllow passes where an Admin policy accepts the name, by exact name or by a *. peer', () => {
    expect(chart).toAllow({ from: 'backend', to: 'api.stripe.com', port: 443 });
    expect(chart).toAllow({ from: 'backend', to: 'API.Stripe.COM.', port: '443/TCP' });
    expect(chart).toAllow({ from: 'pay/backend', to: 'js.stripe.com', port: Port.tcp(443) });
    expect(chart).toAllow({ from: 'backend', to: 'api.stripe.com' });
  });

  test('toDeny passes where nothing matches the name, or not on that port', () => {
    expect(chart).toDeny({ from: 'backend', to: 'api.stripe.com', port: 80 });
    expect(chart).toDeny({ from: 'backend', to: 'stripe.com' });
    expect(chart).toDeny({ from: 'backend', to: 'api.example.com' });
    expect(chart).toDeny({ from: 'web', to: 'api.stripe.com', port: 80 });
  });

  test('toAllow fails with the Admin policy out of reach explained', () => {
    expect(failure(() => expect(chart).toAllow({ from: 'backend', to: 'api.stripe.com', port: 80 }))).toBe(
      `expected backend -> api.stripe.com on TCP 80 to be allowed, but it is denied

pay/backend -> api.stripe.com on TCP 80: denied
  egress from pay/backend: isolated by pay/allow-dns, pay/default-deny; no rule allows the connection
    pay/allow-dns, egress rule 0: no peer matches api.stripe.com (namespace kube-system pods k8s-app=kube-dns)
    pay/default-deny has no egress rules
  ingress to api.stripe.com: outside the cluster, so no policy restricts it`,
    );
  });

  test('what depends on what the name resolves to fails toAllow and toDeny with the condition', () => {
    expect(failure(() => expect(chart).toAllow({ from: 'web', to: 'api.stripe.com', port: 443 }))).toBe(
      `expected web -> api.stripe.com on TCP 443 to be allowed, but it depends on what the analysis does not know: allowed if api.stripe.com resolves inside 192.0.2.0/24 (pass acceptDepends: true to accept that)\n\n${WEB_TO_STRIPE}`,
    );
    expect(failure(() => expect(chart).toDeny({ from: 'web', to: 'api.stripe.com' }))).toBe(
      `expected web -> api.stripe.com to be denied, but it depends on what the analysis does not know: allowed if api.stripe.com resolves inside 192.0.2.0/24\n\n${WEB_TO_STRIPE}`,
    );
    expect(chart).toAllow({ from: 'web', to: 'api.stripe.com', port: 443, acceptDepends: true });
  });

  test('outside holds the names the ClusterNetworkPolicies mention', () => {
    expect(chart).toDeny({ from: 'web', to: 'outside', port: 80 });
    expect(failure(() => expect(chart).toDeny({ from: 'backend', to: 'outside', port: 443 }))).toMatch(
      /^expected backend -> outside on TCP 443 to be denied, but it is allowed for 1 of \d+ pairs \(backend -> api\.stripe\.com\)/,
    );
  });

  test('a domain name as the source, or a *. name, is a usage error', () => {
    expect(caught(() => expect(chart).toAllow({ from: 'api.stripe.com', to: 'backend', port: 443 })).message).toBe(
      '"api.stripe.com" is a domain name, which policies match as a destination only; name it as the destination, or the source\'s IP address or CIDR as the source',
    );
    expect(caught(() => expect(chart).toDeny({ from: 'backend', to: '*.stripe.com' })).message).toBe(
      '"*.stripe.com" stands for every name under stripe.com; name one of them, e.g. "api.stripe.com"',
    );
    expect(caught(() => expect(chart).toDeny({ from: 'api.stripe.com', to: '10.0.0.1' })).message).toBe(
      '"api.stripe.com" is a domain name, which policies match as a destination only; name it as the destination, or the source\'s IP address or CIDR as the source',
    );
  });

  test('a name without a dot is still an unknown group', () => {
    expect(caught(() => expect(chart).toDeny({ from: 'backend', to: 'stripe' })).message).toMatch(
      /^no pod group "stripe"; name a tier or group/,
    );
  });
});

describe('toAllowExactly with domain names', () => {
  const chart = pay();
  const FLOWS = [
    'backend -> api.stripe.com TCP 443',
    'web -> 192.0.2.0/24 TCP 443',
    'web -> api.stripe.com TCP 443 if api.stripe.com resolves inside 192.0.2.0/24',
    '* -> kube-system/kube-dns TCP 53, UDP 53',
  ];

  test('the model lists the exact names of the domainNames peers, once and in lower case', () => {
    expect(modelOf(chart).domains).toEqual(['api.stripe.com']);
    expect(modelOf(chart).flows()).toEqual(FLOWS);
    expect(chart).toAllowExactly(FLOWS);
  });

  test('a list that leaves out a flow to a name fails, listing it', () => {
    expect(failure(() => expect(chart).toAllowExactly(FLOWS.filter((f) => !f.startsWith('backend'))))).toMatch(
      /^expected exactly the listed flows to be allowed \(namespaces under test: pay\), but\nallowed but not listed:\n {2}backend -> api\.stripe\.com TCP 443\n/,
    );
  });

  test('a statement may name another name, whose flows are then all compared', () => {
    expect(chart).toAllowExactly([
      ...FLOWS,
      'backend -> js.stripe.com TCP 443',
      'web -> js.stripe.com TCP 443 if js.stripe.com resolves inside 192.0.2.0/24',
    ]);
    expect(failure(() => expect(chart).toAllowExactly([...FLOWS, 'web -> js.stripe.com TCP 443']))).toMatch(
      /but\nallowed but not listed:\n {2}backend -> js\.stripe\.com TCP 443\nallowed on other connections than listed:\n {2}web -> js\.stripe\.com: listed TCP 443, allowed TCP 443 if js\.stripe\.com resolves inside 192\.0\.2\.0\/24\n/,
    );
    expect(failure(() => expect(chart).toAllowExactly([...FLOWS, 'backend -> api.example.com TCP 443']))).toMatch(
      /listed but not allowed:\n {2}backend -> api\.example\.com TCP 443\n/,
    );
  });

  test('a domain name as the source of a statement is an error naming the statement', () => {
    expect(caught(() => expect(chart).toAllowExactly([...FLOWS, 'api.stripe.com -> backend TCP 443'])).message).toBe(
      'flow statements: [4]: in "api.stripe.com -> backend TCP 443": "api.stripe.com" is a domain name, which policies match as a destination only; name it as the destination, or the source\'s IP address or CIDR as the source',
    );
  });

  test('without ClusterNetworkPolicies a model lists no name, and outside stays as it was', () => {
    const app = Testing.app();
    const open = new Chart(app, 'open', { namespace: 'open' });
    new Tier(open, 'api', { pods: { app: 'api' } }).allowFrom(Peer.any(), Port.tcp(80));
    expect(modelOf(open).domains).toEqual([]);
    expect(modelOf(open).flows()).toEqual([
      '* -> api TCP 80',
      '* -> open/(others) All',
      '* -> outside All',
      'outside -> api TCP 80',
      'outside -> open/(others) All',
    ]);
    expect(open).toAllow({ from: 'api', to: 'api.stripe.com', port: 443 });
  });
});

describe('nothing allowed to a name, without a port', () => {
  test('names the ClusterNetworkPolicies that select the source rather than calling it open', () => {
    const app = Testing.app();
    const lab = new Chart(app, 'lab', { namespace: 'lab' });
    new Tier(lab, 'api', { pods: { app: 'api' } }).allowFrom(Peer.any(), Port.tcp(80));
    new BaselineDefaultDeny(new Chart(app, 'admin'), 'baseline');
    const model = modelOf(lab, { podCidrs: ['10.244.0.0/16'] });
    const priority = model.clusterPolicies[0].priority;
    expect(failure(() => expect(model).toAllow({ from: 'api', to: 'api.example.com' }))).toBe(
      `expected api -> api.example.com to be allowed on some port, but nothing is allowed

lab/api -> api.example.com: nothing is allowed
  egress from lab/api: selected by Baseline policy baseline (priority ${priority}); give a port to see which rule decides it
  egress from lab/api: no NetworkPolicy isolates it
  ingress to api.example.com: outside the cluster, so no policy restricts it`,
    );
    expect(model).toDeny({ from: 'api', to: 'api.example.com' });
  });
});

/** Namespace a: tiers app=x|y, a default deny or not, random egress; random AllowDomains and maybe a metadata deny. */
const spec = fc.record({
  deny: fc.boolean(),
  egress: fc.array(
    fc.record({
      tier: fc.constantFrom('x', 'y'),
      peer: fc.constantFrom(Peer.cidr('0.0.0.0/0'), Peer.cidr('10.0.0.0/8'), Peer.anyIpv6(), Peer.pods({ app: 'x' })),
      port: fc.constantFrom(Port.tcp(443), Port.tcp(80), Port.udp(53)),
    }),
    { maxLength: 3 },
  ),
  domains: fc.array(
    fc.record({
      names: fc.subarray(['api.stripe.com', '*.stripe.com', 'db.example.com', 'API.example.org.'], { minLength: 1 }),
      pods: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
      port: fc.constantFrom(Port.tcp(443), Port.tcp(80)),
    }),
    { maxLength: 2 },
  ),
  metadata: fc.boolean(),
});
type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function buildModel(s: Spec): FlowModel {
  const app = Testing.app();
  const chart = new Chart(app, 'a', { namespace: 'a' });
  if (s.deny) new DefaultDeny(chart, 'deny');
  const tiers = { x: new Tier(chart, 'x', { pods: { app: 'x' } }), y: new Tier(chart, 'y', { pods: { app: 'y' } }) };
  for (const e of s.egress) tiers[e.tier].allowTo(e.peer, e.port);
  const admin = new Chart(app, 'admin');
  s.domains.forEach((d, i) => {
    new AllowDomains(admin, `domains-${i}`, {
      domains: d.names,
      ...(d.pods ? { subject: ClusterSubject.podsInNamespace('a', { app: d.pods }) } : {}),
      ports: [d.port],
    });
  });
  if (s.metadata) new DenyCloudMetadata(admin, 'metadata');
  return modelOf(chart, { podCidrs: ['10.244.0.0/16'] });
}

const NAMES = ['api.stripe.com', 'js.stripe.com', 'stripe.com', 'db.example.com', 'api.example.org', 'other.example.net'];

describe('domain names, against the analysis', () => {
  test('toAllow and toDeny on a port answer as the verdict does, and depends fails both', () => {
    fc.assert(
      fc.property(spec, fc.constantFrom('x', 'y'), fc.constantFrom(...NAMES), fc.constantFrom(80, 443, 53, 8080), (s, from, to, port) => {
        const model = buildModel(s);
        const verdict = model.analysis.verdict(`a/${from}`, to, port).value;
        const allows = (acceptDepends: boolean) => netpolMatchers.toAllow.call({}, model, { from, to, port, acceptDepends }).pass;
        expect(allows(false)).toBe(verdict === 'allowed');
        expect(allows(true)).toBe(verdict !== 'denied');
        expect(netpolMatchers.toDeny.call({}, model, { from, to, port }).pass).toBe(verdict === 'denied');
      }),
      { numRuns: 80 },
    );
  });

  test("the printed flows pass, each is needed, and they equal the analyzer's answers to each name listed one group at a time", () => {
    fc.assert(
      fc.property(spec, (s) => {
        const model = buildModel(s);
        const flows = model.flows();
        expect(model.compare(flows).pass).toBe(true);
        for (let i = 0; i < flows.length; i++) expect(model.compare(flows.filter((_, j) => j !== i)).pass).toBe(false);
        const named = new Set(
          s.domains
            .flatMap((d) => d.names)
            .filter((n) => !n.startsWith('*.'))
            .map((n) => n.toLowerCase().replace(/\.$/, '')),
        );
        expect(model.domains).toEqual([...named].sort());
        // the other flows as printed, the domain names' one group at a time from the analysis
        const statements = flows.filter((f) => !model.domains.some((d) => f.includes(` -> ${d} `)));
        for (const g of model.groups.filter((x) => x.underTest)) {
          for (const name of model.domains) {
            for (const part of formatReach(model.analysis.reach({ type: 'workload', workload: g.workload }, { type: 'domain', name }))) {
              statements.push(`${g.id} -> ${name} ${part}`);
            }
          }
        }
        expect(model.compare(statements).pass).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
