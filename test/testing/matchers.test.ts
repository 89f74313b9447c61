import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { AllowDns, DefaultDeny, Peer, Port, Tier, Direction } from '../../lib';
import { installNetpolMatchers, modelOf, NETPOL_JEST_SETUP, netpolMatchers } from '../../lib/testing';
import '../../lib/testing/setup';
import { caught } from '../model/caught';

/** web ← anyone on 80, web → app on 8080, app → db on 3306, DNS for all, in namespace hollow. */
function threeTier(): Chart {
  const chart = new Chart(Testing.app(), 'three-tier', { namespace: 'hollow' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns');
  const web = new Tier(chart, 'web', { pods: { tier: 'web' } });
  const app = new Tier(chart, 'app', { pods: { tier: 'app' } });
  const db = new Tier(chart, 'db', { pods: { tier: 'db' } });
  web.allowFrom(Peer.any(), Port.tcp(80));
  web.allowTo(app, Port.tcp(8080));
  app.allowTo(db, Port.tcp(3306));
  return chart;
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

const WEB_TO_APP_ALLOWED = `hollow/web -> hollow/app on TCP 8080: allowed
  egress from hollow/web: isolated by hollow/allow-dns, hollow/default-deny, hollow/web
    allowed by hollow/web, egress rule 0: peer 0 (pods tier=app) and port entry 0 (TCP 8080)
  ingress to hollow/app: isolated by hollow/app, hollow/default-deny
    allowed by hollow/app, ingress rule 0: peer 0 (pods tier=web) and port entry 0 (TCP 8080)`;

const WEB_TO_DB_DENIED = `hollow/web -> hollow/db on TCP 3306: denied
  egress from hollow/web: isolated by hollow/allow-dns, hollow/default-deny, hollow/web; no rule allows the connection
    hollow/allow-dns, egress rule 0: no peer matches hollow/db (namespace kube-system pods k8s-app=kube-dns)
    hollow/default-deny has no egress rules
    hollow/web, egress rule 0: no peer matches hollow/db (pods tier=app)
  ingress to hollow/db: isolated by hollow/db, hollow/default-deny; no rule allows the connection
    hollow/db, ingress rule 0: no peer matches hollow/web (pods tier=app)
    hollow/default-deny has no ingress rules`;

const ALLOWED = ['web -> app TCP 8080', 'app -> db TCP 3306', '* -> kube-system/kube-dns TCP 53, UDP 53', 'outside -> web TCP 80'];
const COPYABLE = `the flows allowed in hollow, to copy into the test:
  'web -> app TCP 8080',
  'app -> db TCP 3306',
  '* -> kube-system/kube-dns TCP 53, UDP 53',
  'outside -> web TCP 80',`;

describe('toAllow', () => {
  const chart = threeTier();

  test('passes when every pair of the two ends is allowed on the port, however the port is written', () => {
    expect(chart).toAllow({ from: 'web', to: 'app', port: 8080 });
    expect(chart).toAllow({ from: 'hollow/web', to: 'hollow/app', port: '8080/TCP' });
    expect(chart).toAllow({ from: 'app', to: 'db', port: Port.tcp(3306) });
    expect(chart).toAllow({ from: '*', to: 'kube-system/kube-dns', port: '53/UDP' });
    expect(chart).toAllow({ from: '0.0.0.0/0', to: 'web', port: 80 });
    expect(chart).toAllow({ from: '2001:db8::1', to: 'web', port: 80 });
    expect(chart).toAllow({ from: 'outside', to: 'web', port: 80 });
  });

  test('without a port, passes when something is allowed', () => {
    expect(chart).toAllow({ from: 'web', to: 'app' });
  });

  test('fails with the explanation of the first denied pair', () => {
    expect(failure(() => expect(chart).toAllow({ from: 'web', to: 'db', port: 3306 }))).toBe(
      `expected web -> db on TCP 3306 to be allowed, but it is denied\n\n${WEB_TO_DB_DENIED}`,
    );
  });

  test('fails when only part of a port range is allowed, explaining the first port denied', () => {
    expect(failure(() => expect(chart).toAllow({ from: 'web', to: 'app', port: Port.tcpRange(8080, 8081) })))
      .toBe(`expected web -> app on TCP 8080-8081 to be allowed, but TCP 8081 of it is denied

hollow/web -> hollow/app on TCP 8081: denied
  egress from hollow/web: isolated by hollow/allow-dns, hollow/default-deny, hollow/web; no rule allows the connection
    hollow/allow-dns, egress rule 0: no peer matches hollow/app (namespace kube-system pods k8s-app=kube-dns)
    hollow/default-deny has no egress rules
    hollow/web, egress rule 0: peer 0 (pods tier=app) matches, but no port entry allows TCP 8081 (TCP 8080)
  ingress to hollow/app: isolated by hollow/app, hollow/default-deny; no rule allows the connection
    hollow/app, ingress rule 0: peer 0 (pods tier=web) matches, but no port entry allows TCP 8081 (TCP 8080)
    hollow/default-deny has no ingress rules`);
  });

  test('fails for a set of ends naming the pairs that are denied', () => {
    expect(failure(() => expect(chart).toAllow({ from: 'hollow/*', to: 'db', port: 3306 }))).toBe(
      `expected hollow/* -> db on TCP 3306 to be allowed, but it is denied for 3 of 4 pairs (web -> db, db -> db, hollow/(others) -> db)\n\n${WEB_TO_DB_DENIED}`,
    );
  });

  test('without a port, fails saying which policies isolate each end and that no rule matches', () => {
    expect(failure(() => expect(chart).toAllow({ from: 'web', to: 'db' })))
      .toBe(`expected web -> db to be allowed on some port, but nothing is allowed

hollow/web -> hollow/db: nothing is allowed
  egress from hollow/web: isolated by hollow/allow-dns, hollow/default-deny, hollow/web; no rule matches hollow/db
  ingress to hollow/db: isolated by hollow/db, hollow/default-deny; no rule matches hollow/web`);
  });

  test('.not fails with the rule that allows it', () => {
    expect(chart).not.toAllow({ from: 'web', to: 'db', port: 3306 });
    expect(failure(() => expect(chart).not.toAllow({ from: 'web', to: 'app', port: 8080 }))).toBe(
      `expected web -> app on TCP 8080 not to be allowed, but it is\n\n${WEB_TO_APP_ALLOWED}`,
    );
    expect(failure(() => expect(chart).not.toAllow({ from: 'web', to: 'app' }))).toBe(
      `expected web -> app not to be allowed, but TCP 8080 is\n\n${WEB_TO_APP_ALLOWED}`,
    );
  });
});

describe('toDeny', () => {
  const chart = threeTier();

  test('passes when no pair of the two ends is allowed on the port, or on any port without one', () => {
    expect(chart).toDeny({ from: 'web', to: 'db' });
    expect(chart).toDeny({ from: 'web', to: 'app', port: 8081 });
    expect(chart).toDeny({ from: '10.0.0.0/8', to: 'db', port: 3306 });
    expect(chart).toDeny({ from: 'outside', to: 'hollow/(others)' });
    expect(chart).toDeny({ from: 'db', to: 'hollow/*' });
  });

  test('fails with the rule that allows the first pair', () => {
    expect(failure(() => expect(chart).toDeny({ from: 'web', to: 'app' }))).toBe(
      `expected web -> app to be denied, but TCP 8080 is allowed\n\n${WEB_TO_APP_ALLOWED}`,
    );
    expect(failure(() => expect(chart).toDeny({ from: 'web', to: 'app', port: 8080 }))).toBe(
      `expected web -> app on TCP 8080 to be denied, but it is allowed\n\n${WEB_TO_APP_ALLOWED}`,
    );
  });

  test('fails for a set of ends naming the pairs that are allowed', () => {
    expect(failure(() => expect(chart).toDeny({ from: 'outside', to: 'web', port: '80/TCP' })))
      .toBe(`expected outside -> web on TCP 80 to be denied, but it is allowed for 5 of 5 pairs (kube-system/kube-dns -> web, kube-system/(others) -> web, (others)/(others) -> web, 0.0.0.0/0 -> web, ::/0 -> web)

kube-system/kube-dns -> hollow/web on TCP 80: allowed
  egress from kube-system/kube-dns: not isolated (no policy selecting it covers Egress), so all traffic out is allowed
  ingress to hollow/web: isolated by hollow/default-deny, hollow/web
    allowed by hollow/web, ingress rule 0: every source (no from list) and port entry 0 (TCP 80)`);
  });

  test('.not fails with why it is denied', () => {
    expect(chart).not.toDeny({ from: 'web', to: 'app' });
    expect(failure(() => expect(chart).not.toDeny({ from: '10.1.2.3', to: 'db', port: 3306 })))
      .toBe(`expected 10.1.2.3 -> db on TCP 3306 not to be denied, but it is

10.1.2.3 -> hollow/db on TCP 3306: denied
  egress from 10.1.2.3: outside the cluster, so no policy restricts it
  ingress to hollow/db: isolated by hollow/db, hollow/default-deny; no rule allows the connection
    hollow/db, ingress rule 0: no peer matches 10.1.2.3 (pods tier=app)
    hollow/default-deny has no ingress rules`);
    expect(failure(() => expect(chart).not.toDeny({ from: 'web', to: 'db' }))).toBe(`expected web -> db not to be denied, but it is

hollow/web -> hollow/db: nothing is allowed
  egress from hollow/web: isolated by hollow/allow-dns, hollow/default-deny, hollow/web; no rule matches hollow/db
  ingress to hollow/db: isolated by hollow/db, hollow/default-deny; no rule matches hollow/web`);
  });

  test('without a port, names each rule that matches the other end and its ports', () => {
    const partly = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new Tier(partly, 'api', { pods: { app: 'api' }, isolate: [Direction.INGRESS, Direction.EGRESS] }).allowTo(
      Peer.pods({ app: 'db' }),
      Port.tcp(5432),
    );
    new Tier(partly, 'db', { pods: { app: 'db' }, isolate: [Direction.INGRESS] });
    expect(failure(() => expect(partly).toAllow({ from: 'api', to: 'db' })))
      .toBe(`expected api -> db to be allowed on some port, but nothing is allowed

n/api -> n/db: nothing is allowed
  egress from n/api: isolated by n/api; rules that match n/db:
    n/api, egress rule 0: TCP 5432
  ingress to n/db: isolated by n/db; no rule matches n/api`);
  });
});

describe('toAllowExactly', () => {
  const chart = threeTier();

  test('passes for exactly the allowed flows, in any order and spelling', () => {
    expect(chart).toAllowExactly(ALLOWED);
    expect(chart).toAllowExactly([
      'outside -> web TCP 80',
      '* -> kube-system/kube-dns UDP 53, TCP 53',
      'hollow/app -> hollow/db TCP 3306',
      'web -> app tcp 8080',
    ]);
  });

  test('compares connections by value: adjacent ports merge and a pair named twice gets the union', () => {
    const c = new Chart(Testing.app(), 'c', { namespace: 'n' });
    new DefaultDeny(c, 'deny');
    const a = new Tier(c, 'a', { pods: { app: 'a' } });
    const b = new Tier(c, 'b', { pods: { app: 'b' } });
    a.allowTo(b, Port.tcp(80), Port.tcp(81), Port.udp(53));
    expect(c).toAllowExactly(['a -> b TCP 80-81, UDP 53']);
    expect(c).toAllowExactly(['a -> b UDP 53', 'a -> b TCP 81', 'a -> b TCP 80']);
    expect(c).toAllowExactly(['a -> b TCP 80,81,UDP 53']);
  });

  test('lists flows one group at a time as well as with *, namespace/* and outside', () => {
    expect(chart).toAllowExactly([
      'web -> app TCP 8080',
      'app -> db TCP 3306',
      'web -> kube-system/kube-dns TCP 53, UDP 53',
      'app -> kube-system/kube-dns TCP 53, UDP 53',
      'db -> kube-system/kube-dns TCP 53, UDP 53',
      'hollow/(others) -> kube-system/kube-dns TCP 53, UDP 53',
      'kube-system/* -> web TCP 80',
      '(others)/(others) -> web TCP 80',
      '0.0.0.0/0 -> web TCP 80',
      '::/0 -> web TCP 80',
    ]);
  });

  test('fails listing missing, extra and changed flows, explains the first of each and prints the allowed flows', () => {
    expect(
      failure(() =>
        expect(chart).toAllowExactly([
          'web -> app TCP 8080-8081',
          'web -> db TCP 3306',
          '* -> kube-system/kube-dns UDP 53, TCP 53',
          '0.0.0.0/0 -> web TCP 80',
        ]),
      ),
    ).toBe(`expected exactly the listed flows to be allowed (namespaces under test: hollow), but
listed but not allowed:
  web -> db TCP 3306
allowed but not listed:
  app -> db TCP 3306
  kube-system/* -> web TCP 80
  (others)/* -> web TCP 80
  ::/0 -> web TCP 80
allowed on other connections than listed:
  web -> app: listed TCP 8080-8081, allowed TCP 8080

${WEB_TO_DB_DENIED}

hollow/app -> hollow/db on TCP 3306: allowed
  egress from hollow/app: isolated by hollow/allow-dns, hollow/app, hollow/default-deny
    allowed by hollow/app, egress rule 0: peer 0 (pods tier=db) and port entry 0 (TCP 3306)
  ingress to hollow/db: isolated by hollow/db, hollow/default-deny
    allowed by hollow/db, ingress rule 0: peer 0 (pods tier=app) and port entry 0 (TCP 3306)

hollow/web -> hollow/app on TCP 8081: denied
  egress from hollow/web: isolated by hollow/allow-dns, hollow/default-deny, hollow/web; no rule allows the connection
    hollow/allow-dns, egress rule 0: no peer matches hollow/app (namespace kube-system pods k8s-app=kube-dns)
    hollow/default-deny has no egress rules
    hollow/web, egress rule 0: peer 0 (pods tier=app) matches, but no port entry allows TCP 8081 (TCP 8080)
  ingress to hollow/app: isolated by hollow/app, hollow/default-deny; no rule allows the connection
    hollow/app, ingress rule 0: peer 0 (pods tier=web) matches, but no port entry allows TCP 8081 (TCP 8080)
    hollow/default-deny has no ingress rules

${COPYABLE}`);
  });

  test('fails for an empty list with every allowed flow as extra', () => {
    const message = failure(() => expect(chart).toAllowExactly([]));
    expect(message.split('\n\n')[0]).toBe(`expected exactly the listed flows to be allowed (namespaces under test: hollow), but
allowed but not listed:
  web -> app TCP 8080
  app -> db TCP 3306
  * -> kube-system/kube-dns TCP 53, UDP 53
  outside -> web TCP 80`);
    expect(message.endsWith(COPYABLE)).toBe(true);
  });

  test('.not passes when the flows differ and fails when they are the listed ones', () => {
    expect(chart).not.toAllowExactly(ALLOWED.slice(1));
    expect(failure(() => expect(chart).not.toAllowExactly(ALLOWED))).toBe(
      `expected the allowed flows not to be exactly the listed ones, but they are\n\n${COPYABLE}`,
    );
  });

  test('throws for every statement it cannot read, or that names nothing under test', () => {
    expect(
      caught(() =>
        expect(chart).toAllowExactly([
          'web => app',
          'web -> ap TCP 80',
          'web -> app',
          'kube-system/* -> kube-system/kube-dns All',
          'web -> db None',
          'web -> app TCP 99999',
        ]),
      ).message,
    ).toBe(`flow statements:
  [0]: "web => app" is not a flow; write "<from> -> <to> <connections>", e.g. "web -> db TCP 5432"
  [1]: in "web -> ap TCP 80": no pod group "ap"; name a tier or group (web, app, db, hollow/(others), kube-system/kube-dns, kube-system/(others), (others)/(others)), a namespace's groups as "namespace/*", "*" for every group, "outside", or an IP address or CIDR
  [2]: "web -> app" has no connections after its destination; end it with e.g. "TCP 5432", "UDP 53, TCP 53" or "All"
  [3]: "kube-system/* -> kube-system/kube-dns All" names no pair with an end in the namespaces under test (hollow); flows elsewhere are not compared
  [4]: "web -> db None" lists no connections; list only what is allowed, and assert that a flow is denied with toDeny
  [5]: in "web -> app TCP 99999": "TCP 99999" is not a list of connections: port 99999 is out of range; a port number is an integer from 1 to 65535`);
  });

  test('throws for something that is not a list of statements', () => {
    expect(caught(() => expect(chart).toAllowExactly('web -> app TCP 8080' as never)).message).toBe(
      'expected a list of flow statements such as [\'web -> db TCP 5432\'], got "web -> app TCP 8080"',
    );
  });

  test('the printed flows pass when listed, for the chart and for a model built once', () => {
    const model = modelOf(chart);
    expect(model.flows()).toEqual(ALLOWED);
    expect(model).toAllowExactly(model.flows());
    expect(model).toAllow({ from: 'app', to: 'db', port: 3306 });
  });
});

describe('the matchers reject bad queries', () => {
  const chart = threeTier();

  test('throws for a query without ends, a port that is not one, or two addresses', () => {
    expect(caught(() => expect(chart).toAllow({ to: 'web' } as never)).message).toBe(
      'toAllow takes { from, to, port? } with endpoint names, e.g. { from: \'web\', to: \'db\', port: 5432 }; got {"to":"web"}',
    );
    expect(caught(() => expect(chart).toDeny({ from: 'web', to: 'app', port: 'http' })).message).toBe(
      `port: port "http" is not a port; write 5432, "5432/TCP", "53/UDP", "32000-32768/TCP", Port.tcp(5432) or Port.named('metrics')`,
    );
    expect(caught(() => expect(chart).toAllow({ from: '0.0.0.0/0', to: '10.0.0.0/8', port: 80 })).message).toBe(
      '0.0.0.0/0 -> 10.0.0.0/8 on TCP 80 names no pair to check; NetworkPolicy governs traffic to or from pods, so name a pod group on one end',
    );
  });
});

describe('installing the matchers', () => {
  test('installNetpolMatchers registers them with the given expect', () => {
    const registered: string[] = [];
    installNetpolMatchers({ extend: (m) => registered.push(...Object.keys(m)) });
    expect(registered).toEqual(['toAllow', 'toDeny', 'toAllowExactly']);
    expect(Object.keys(netpolMatchers)).toEqual(registered);
  });

  test('throws when there is no expect to extend', () => {
    expect(caught(() => installNetpolMatchers({} as never)).message).toBe(
      'installNetpolMatchers() found no jest `expect`; call it inside a jest run (e.g. from a setupFilesAfterEnv file) or pass expect: installNetpolMatchers(expect)',
    );
  });

  test('NETPOL_JEST_SETUP is the module that registers them', () => {
    expect(fs.existsSync(`${NETPOL_JEST_SETUP}.ts`) || fs.existsSync(`${NETPOL_JEST_SETUP}.js`)).toBe(true);
    expect(fs.readFileSync(`${NETPOL_JEST_SETUP}.ts`, 'utf8')).toContain('installNetpolMatchers();');
  });
});
