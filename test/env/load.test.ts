import { DEFAULT_DNS, Environment } from '../../lib/env';
import { Peer } from '../../lib/model/peer';
import { Port } from '../../lib/model/port';
import { fixture, problems } from './helpers';

describe('Environment.load', () => {
  test('reads every field of a YAML file', () => {
    const env = Environment.load(fixture('good.yaml'));
    expect(env.name).toBe('openshift-prod');
    expect(env.source).toBe(fixture('good.yaml'));
    expect(env.dns.namespace).toBe('openshift-dns');
    expect(env.dns.namespaceLabels).toEqual({ 'dns.operator.openshift.io/owning-dns': 'default' });
    expect(env.dns.pods).toEqual({ 'dns.operator.openshift.io/daemonset-dns': 'default' });
    expect(env.dns.ports.map(String)).toEqual(['UDP 5353', 'TCP 5353']);
    expect(env.dns.nodeLocalCidrs.map(String)).toEqual(['169.254.20.10/32', 'fd00::a/128']);
    expect(env.cidrNames()).toEqual(['corporate', 'docsClients', 'v6Office']);
    expect(env.ipBlock('corporate').toString()).toBe('172.20.0.0/16');
    expect(env.ipBlock('docsClients').toString()).toBe('172.17.0.0/16 except 172.17.1.0/24, 172.17.2.0/24');
    expect(env.ipBlock('v6Office').toString()).toBe('2001:db8:1::/48');
    expect(env.databaseNames()).toEqual(['analytics', 'cache', 'orders']);
    const orders = env.database('orders');
    expect(orders.name).toBe('orders');
    expect(orders.cidrs.map(String)).toEqual(['10.20.0.0/24', '10.21.0.0/24']);
    expect(orders.ports.map(String)).toEqual(['TCP 5432']);
    expect(env.database('cache').cidrs.map(String)).toEqual(['10.30.0.7/32']);
    expect(env.database('cache').ports.map(String)).toEqual(['TCP 6379']);
    expect(env.database('analytics').cidrs.map(String)).toEqual(['2001:db8:ff::/64']);
    expect(env.database('analytics').ports.map(String)).toEqual(['TCP 9000-9009', 'SCTP 8123']);
    expect(env.extras).toBeUndefined();
  });

  test('fills in the DNS defaults of a stock cluster when the file has no dns section', () => {
    const env = Environment.load(fixture('minimal.yaml'));
    expect(env.name).toBe('dev');
    expect(env.dns).toBe(DEFAULT_DNS);
    expect(env.dns.namespace).toBe('kube-system');
    expect(env.dns.namespaceLabels).toBeUndefined();
    expect(env.dns.pods).toEqual({ 'k8s-app': 'kube-dns' });
    expect(env.dns.ports.map(String)).toEqual(['UDP 53', 'TCP 53']);
    expect(env.dns.nodeLocalCidrs).toEqual([]);
    expect(env.cidrNames()).toEqual([]);
    expect(env.databaseNames()).toEqual([]);
  });

  test('fills in each missing dns key with its default', () => {
    const env = Environment.fromObject({ name: 'dev', dns: { namespace: 'dns' } }, 'inline');
    expect(env.dns.namespace).toBe('dns');
    expect(env.dns.pods).toEqual({ 'k8s-app': 'kube-dns' });
    expect(env.dns.ports.map(String)).toEqual(['UDP 53', 'TCP 53']);
    expect(env.dns.nodeLocalCidrs).toEqual([]);
  });

  test('reads JSON, with dns.port giving UDP and TCP on that port', () => {
    const env = Environment.load(fixture('good.json'));
    expect(env.name).toBe('json-env');
    expect(env.dns.ports.map(String)).toEqual(['UDP 5353', 'TCP 5353']);
    expect(env.ipBlock('corporate').toString()).toBe('172.16.0.0/16');
    expect(env.database('orders').cidrs.map(String)).toEqual(['10.10.10.10/32']);
    expect(env.database('orders').ports.map(String)).toEqual(['TCP 5432']);
  });

  test('reads named DNS ports and port ranges from dns.ports', () => {
    const env = Environment.fromObject(
      {
        name: 'dev',
        dns: {
          ports: [
            { port: 'dns', protocol: 'UDP' },
            { port: 'dns-tcp', protocol: 'TCP' },
            { port: 8053, endPort: 8054, protocol: 'TCP' },
          ],
        },
      },
      'inline',
    );
    expect(env.dns.ports.map(String)).toEqual(['UDP dns', 'TCP dns-tcp', 'TCP 8053-8054']);
  });

  test('applies a database protocol to its port list unless an entry names its own', () => {
    const env = Environment.fromObject(
      {
        name: 'dev',
        databases: { stats: { cidr: '10.0.0.0/24', protocol: 'UDP', ports: [{ port: 8125 }, { port: 8126, protocol: 'TCP' }] } },
      },
      'inline',
    );
    expect(env.database('stats').ports.map(String)).toEqual(['UDP 8125', 'TCP 8126']);
  });

  test('reads empty sections as absent', () => {
    const env = Environment.fromObject({ name: 'dev', dns: null, cidrs: null, databases: null }, 'inline');
    expect(env.dns).toBe(DEFAULT_DNS);
    expect(env.cidrNames()).toEqual([]);
  });

  test('uses the name given at load time instead of the one in the file', () => {
    expect(Environment.load(fixture('minimal.yaml'), { name: 'dev-eu' }).name).toBe('dev-eu');
  });

  test('throws when the name given at load time is not a safe folder name', () => {
    expect(problems(() => Environment.load(fixture('minimal.yaml'), { name: 'Dev EU' }))).toEqual([
      `${fixture('minimal.yaml')}: name: name "Dev EU" is not a safe folder name (it becomes dist/<name>/): it must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc'); write "dev-eu"`,
    ]);
  });
});

describe('Environment accessors', () => {
  const env = Environment.load(fixture('good.yaml'));

  test('cidr returns an ipBlock peer for the named block', () => {
    const peer = env.cidr('docsClients');
    expect(Peer.isPeer(peer)).toBe(true);
    expect(peer.kind).toBe('ipBlock');
    expect(peer.toJson()).toEqual({ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24', '172.17.2.0/24'] } });
  });

  test('cidrNames and databaseNames are sorted whatever the order in the file', () => {
    const shuffled = Environment.fromObject(
      {
        name: 'dev',
        cidrs: { zeta: '10.0.0.0/8', alpha: '10.0.0.0/16', mid: '10.1.0.0/16' },
        databases: { z: { cidr: '10.0.0.1/32', port: 1 }, a: { cidr: '10.0.0.2/32', port: 2 } },
      },
      'inline',
    );
    expect(shuffled.cidrNames()).toEqual(['alpha', 'mid', 'zeta']);
    expect(shuffled.databaseNames()).toEqual(['a', 'z']);
  });

  test('the returned name lists are copies', () => {
    env.cidrNames().push('extra');
    expect(env.cidrNames()).toEqual(['corporate', 'docsClients', 'v6Office']);
  });

  test('throws for an unknown CIDR name, listing the defined ones and the likely one', () => {
    expect(problems(() => env.cidr('corprate'))).toEqual([
      `${fixture('good.yaml')}: cidrs.corprate: no CIDR named "corprate" in environment "openshift-prod"; it defines corporate, docsClients, v6Office. Did you mean "corporate"? Use one of these names, or add "corprate" under cidrs in the file`,
    ]);
  });

  test('throws for an unknown database name', () => {
    expect(problems(() => env.database('billing'))).toEqual([
      `${fixture('good.yaml')}: databases.billing: no database named "billing" in environment "openshift-prod"; it defines analytics, cache, orders. Use one of these names, or add "billing" under databases in the file`,
    ]);
  });

  test('throws for a database name when the environment defines none', () => {
    expect(problems(() => Environment.load(fixture('minimal.yaml')).database('orders'))).toEqual([
      `${fixture('minimal.yaml')}: databases.orders: no database named "orders" in environment "dev"; it defines no databases; add "orders" under databases in the file`,
    ]);
  });

  test('isEnvironment recognises environments and nothing else', () => {
    expect(Environment.isEnvironment(env)).toBe(true);
    expect(Environment.isEnvironment({ name: 'prod', dns: DEFAULT_DNS })).toBe(false);
    expect(Environment.isEnvironment(null)).toBe(false);
  });

  test('toString names the environment and its source', () => {
    expect(env.toString()).toBe(`Environment openshift-prod (${fixture('good.yaml')})`);
  });

  test('DNS settings and database parameters are frozen', () => {
    expect(Object.isFrozen(env.dns)).toBe(true);
    expect(Object.isFrozen(env.dns.ports)).toBe(true);
    expect(Object.isFrozen(env.database('orders'))).toBe(true);
    expect(Object.isFrozen(env.database('orders').cidrs)).toBe(true);
    expect(Object.isFrozen(DEFAULT_DNS.pods)).toBe(true);
  });

  test('DEFAULT_DNS ports are the model values UDP 53 and TCP 53', () => {
    expect(DEFAULT_DNS.ports[0].equals(Port.udp(53))).toBe(true);
    expect(DEFAULT_DNS.ports[1].equals(Port.tcp(53))).toBe(true);
  });
});
