import { Environment } from '../../lib/env';

const EXPECTED = {
  dev: { corporate: '172.16.0.0/16', orders: '10.10.10.10/32' },
  staging: { corporate: '172.16.0.0/16', orders: '10.11.0.5/32' },
  prod: { corporate: '172.20.0.0/16', orders: '10.20.0.0/24' },
};

describe('examples/environments', () => {
  test.each(Object.entries(EXPECTED))('%s.yaml loads with its values and the DNS defaults', (name, values) => {
    const env = Environment.load(`examples/environments/${name}.yaml`);
    expect(env.name).toBe(name);
    expect(env.cidrNames()).toEqual(['corporate', 'docsBackend', 'docsClients']);
    expect(env.ipBlock('corporate').toString()).toBe(values.corporate);
    expect(env.ipBlock('docsClients').toString()).toBe('172.17.0.0/16 except 172.17.1.0/24');
    expect(env.ipBlock('docsBackend').toString()).toBe('10.0.0.0/24');
    expect(env.databaseNames()).toEqual(['orders']);
    expect(env.database('orders').cidrs.map(String)).toEqual([values.orders]);
    expect(env.database('orders').ports.map(String)).toEqual(['TCP 5432']);
    expect(env.dns.namespace).toBe('kube-system');
    expect(env.dns.pods).toEqual({ 'k8s-app': 'kube-dns' });
    expect(env.dns.ports.map(String)).toEqual(['UDP 53', 'TCP 53']);
  });
});
