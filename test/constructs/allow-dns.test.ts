/**
 * `AllowDns` takes where the DNS is as a struct whose fields are all optional (`DnsOptions`):
 * each field left out takes the stock default, the environment's `dns` fits as it is, and what
 * the construct keeps is a frozen copy.
 */
import { Chart, Testing } from 'cdk8s';
import { AllowDns, DnsOptions, Environment, IpBlock, Port } from '../../lib';

function chart(): Chart {
  return new Chart(Testing.app(), 'c', { namespace: 'n' });
}

describe('AllowDns dns options', () => {
  test('a field left out takes its default, the others are used as given', () => {
    const dns = new AllowDns(chart(), 'dns', { dns: { namespace: 'dns-system' } }).dns;
    expect(dns.namespace).toBe('dns-system');
    expect(dns.pods).toEqual({ 'k8s-app': 'kube-dns' });
    expect(dns.ports.map(String)).toEqual(['UDP 53', 'TCP 53']);
    expect(dns.nodeLocalCidrs).toEqual([]);
    expect(dns.namespaceLabels).toBeUndefined();
  });

  test('an explicitly undefined field takes its default too', () => {
    const dns = new AllowDns(chart(), 'dns', { dns: { namespace: undefined, ports: undefined } }).dns;
    expect(dns.namespace).toBe('kube-system');
    expect(dns.ports.map(String)).toEqual(['UDP 53', 'TCP 53']);
  });

  test("the environment's dns settings fit as they are", () => {
    const env = Environment.fromObject(
      { name: 'prod', dns: { namespace: 'openshift-dns', pods: { app: 'dns' }, port: 5353, nodeLocalCidrs: ['169.254.20.10/32'] } },
      'prod.yaml',
    );
    const c = chart();
    new AllowDns(c, 'dns', { dns: env.dns });
    const spec = Testing.synth(c)[0].spec;
    expect(spec.egress[0].to).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
        podSelector: { matchLabels: { app: 'dns' } },
      },
    ]);
    expect(spec.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '169.254.20.10/32' } }],
      ports: [
        { port: 5353, protocol: 'TCP' },
        { port: 5353, protocol: 'UDP' },
      ],
    });
  });

  test('the settings in force are a frozen copy: changing what was given later changes nothing', () => {
    const given = {
      namespaceLabels: { team: 'dns' },
      pods: { app: 'dns' },
      ports: [Port.udp(53)],
      nodeLocalCidrs: [IpBlock.of('169.254.20.10/32')],
    };
    const c = chart();
    const allow = new AllowDns(c, 'dns', { dns: given as DnsOptions });
    given.namespaceLabels.team = 'other';
    given.pods.app = 'other';
    given.ports.push(Port.tcp(53));
    given.nodeLocalCidrs.push(IpBlock.of('10.0.0.0/8'));
    expect(allow.dns.namespaceLabels).toEqual({ team: 'dns' });
    expect(allow.dns.pods).toEqual({ app: 'dns' });
    expect(allow.dns.ports.map(String)).toEqual(['UDP 53']);
    expect(allow.dns.nodeLocalCidrs.map(String)).toEqual(['169.254.20.10/32']);
    for (const part of [allow.dns, allow.dns.pods, allow.dns.namespaceLabels, allow.dns.ports, allow.dns.nodeLocalCidrs]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    const spec = Testing.synth(c)[0].spec;
    expect(spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { team: 'dns' } },
      podSelector: { matchLabels: { app: 'dns' } },
    });
    expect(spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }]);
  });
});
