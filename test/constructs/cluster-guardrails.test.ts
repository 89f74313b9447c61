import { Chart, Testing } from 'cdk8s';
import { validateClusterNetworkPolicy } from '../../lib/check/validate';
import { AllowDomains, AllowMonitoring, BaselineDefaultDeny, DelegateNamespace, DenyCloudMetadata } from '../../lib/constructs';
import { DEFAULT_DNS, Environment } from '../../lib/env';
import { ClusterSubject, IpBlock, LabelSelector, Port } from '../../lib/model';

function synth(chart: Chart): Record<string, any> {
  const objects = Testing.synth(chart);
  for (const o of objects) expect([o.metadata.name, validateClusterNetworkPolicy(o)]).toEqual([o.metadata.name, []]);
  return Object.fromEntries(objects.map((o: any) => [o.metadata.name, o.spec]));
}

function errors(chart: Chart): string {
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected validation errors');
}

const NS = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

describe('BaselineDefaultDeny', () => {
  test('denies ingress from every pod and egress to every pod and address, in the Baseline tier', () => {
    const chart = new Chart(Testing.app(), 'c');
    new BaselineDefaultDeny(chart, 'baseline-deny');
    expect(synth(chart)['baseline-deny']).toEqual({
      tier: 'Baseline',
      priority: 10,
      subject: { namespaces: {} },
      ingress: [{ name: 'deny-all-ingress', action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ name: 'deny-all-egress', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }],
    });
  });

  test('for the namespaces with a label, ingress only', () => {
    const chart = new Chart(Testing.app(), 'c');
    new BaselineDefaultDeny(chart, 'deny', { namespaces: { 'netpol.dev/baseline': 'deny' }, egress: false, priority: 100 });
    const spec = synth(chart).deny;
    expect(spec.subject).toEqual({ namespaces: { matchLabels: { 'netpol.dev/baseline': 'deny' } } });
    expect(spec.priority).toBe(100);
    expect(spec.egress).toBeUndefined();
  });

  test('keeps egress to the cluster DNS open before the deny, NodeLocal DNSCache included', () => {
    const chart = new Chart(Testing.app(), 'c');
    const dns = { ...DEFAULT_DNS, nodeLocalCidrs: [IpBlock.of('169.254.20.10/32')] };
    new BaselineDefaultDeny(chart, 'deny', { dns, ingress: false });
    expect(synth(chart).deny.egress).toEqual([
      {
        name: 'allow-dns',
        action: 'Accept',
        to: [{ pods: { namespaceSelector: NS('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
      },
      {
        name: 'allow-node-local-dns',
        action: 'Accept',
        to: [{ networks: ['169.254.20.10/32'] }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
      },
      { name: 'deny-all-egress', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] },
    ]);
  });

  test('throws for a DNS NodeLocal block with excepts and for denying nothing', () => {
    const chart = new Chart(Testing.app(), 'c');
    new BaselineDefaultDeny(chart, 'deny', {
      dns: { ...DEFAULT_DNS, nodeLocalCidrs: [IpBlock.of('169.254.20.0/24', ['169.254.20.1/32'])] },
    });
    new BaselineDefaultDeny(chart, 'nothing', { ingress: false, egress: false });
    expect(errors(chart)).toBe(
      'Validation failed with the following errors:\n' +
        '  [c/deny] dns.nodeLocalCidrs[0]: "169.254.20.0/24 except 169.254.20.1/32" has excepts, which ClusterNetworkPolicy networks cannot express; give the NodeLocal DNSCache addresses as plain CIDRs\n' +
        '  [c/nothing] ingress, egress: a BaselineDefaultDeny must deny ingress, egress or both; remove the construct to deny nothing',
    );
  });
});

describe('DenyCloudMetadata', () => {
  test('denies egress to the metadata addresses of the clouds for every pod, in the Admin tier', () => {
    const chart = new Chart(Testing.app(), 'c');
    new DenyCloudMetadata(chart, 'deny-cloud-metadata');
    expect(synth(chart)['deny-cloud-metadata']).toEqual({
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: {} },
      egress: [{ name: 'deny-cloud-metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32', 'fd00:ec2::254/128'] }] }],
    });
  });

  test('takes other addresses and reports a bad one with its index', () => {
    const chart = new Chart(Testing.app(), 'c');
    new DenyCloudMetadata(chart, 'alibaba', { addresses: ['100.100.100.200/32'], subject: ClusterSubject.namespace('shop') });
    expect(synth(chart).alibaba.egress[0].to).toEqual([{ networks: ['100.100.100.200/32'] }]);
    const bad = new Chart(Testing.app(), 'b');
    new DenyCloudMetadata(bad, 'm', { addresses: ['169.254.169.254'] });
    expect(errors(bad)).toBe(
      'Validation failed with the following errors:\n  [b/m] addresses[0]: CIDR mask is missing in "169.254.169.254". Did you mean "169.254.169.254/32"?',
    );
  });
});

describe('AllowMonitoring', () => {
  test('accepts both ends of scraping: ingress to every pod from monitoring, egress of monitoring to every pod, on the metrics ports', () => {
    const chart = new Chart(Testing.app(), 'c');
    new AllowMonitoring(chart, 'allow-monitoring', {
      namespace: 'monitoring',
      pods: { app: 'prometheus' },
      namedPorts: ['metrics'],
      ports: [Port.tcp(9100)],
    });
    const specs = synth(chart);
    const protocols = [{ tcp: { destinationPort: { number: 9100 } } }, { destinationNamedPort: 'metrics' }];
    expect(specs['allow-monitoring']).toEqual({
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: {} },
      ingress: [
        {
          name: 'allow-monitoring',
          action: 'Accept',
          from: [{ pods: { namespaceSelector: NS('monitoring'), podSelector: { matchLabels: { app: 'prometheus' } } } }],
          protocols,
        },
      ],
    });
    expect(specs['allow-monitoring-egress']).toEqual({
      tier: 'Admin',
      priority: 20,
      subject: { pods: { namespaceSelector: NS('monitoring'), podSelector: { matchLabels: { app: 'prometheus' } } } },
      egress: [{ name: 'allow-monitoring', action: 'Accept', to: [{ namespaces: {} }], protocols }],
    });
  });

  test('both policies share a priority given explicitly, which is no conflict: they act in different directions', () => {
    const chart = new Chart(Testing.app(), 'c');
    new AllowMonitoring(chart, 'm', {
      namespace: 'monitoring',
      namedPorts: ['metrics'],
      priority: 7,
      targets: ClusterSubject.namespaces({ scrape: 'yes' }),
    });
    const specs = synth(chart);
    expect([specs.m.priority, specs['m-egress'].priority]).toEqual([7, 7]);
    expect(specs['m-egress'].egress[0].to).toEqual([{ namespaces: { matchLabels: { scrape: 'yes' } } }]);
    // without pods, the whole monitoring namespace: a namespaces peer and subject
    expect(specs.m.ingress[0].from).toEqual([{ namespaces: NS('monitoring') }]);
    expect(specs['m-egress'].subject).toEqual({ namespaces: NS('monitoring') });
  });

  test('throws without ports, which would open every port', () => {
    const chart = new Chart(Testing.app(), 'c');
    new AllowMonitoring(chart, 'm', { namespace: 'monitoring' });
    expect(errors(chart)).toBe(
      "Validation failed with the following errors:\n  [c/m] ports: give the metrics ports: ports: [Port.tcp(9090)] or namedPorts: ['metrics']; without them every port would be open",
    );
  });
});

describe('DelegateNamespace', () => {
  test('passes every connection of the namespace on to its NetworkPolicies, both directions', () => {
    const chart = new Chart(Testing.app(), 'c');
    new DelegateNamespace(chart, 'delegate-team-a', { namespace: 'team-a', priority: 5 });
    expect(synth(chart)['delegate-team-a']).toEqual({
      tier: 'Admin',
      priority: 5,
      subject: { namespaces: NS('team-a') },
      ingress: [{ name: 'delegate-ingress', action: 'Pass', from: [{ namespaces: {} }] }],
      egress: [{ name: 'delegate-egress', action: 'Pass', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }],
    });
  });

  test('takes namespaces by labels, and throws for both or neither', () => {
    const chart = new Chart(Testing.app(), 'c');
    new DelegateNamespace(chart, 'd', { namespaces: LabelSelector.of({ delegated: 'true' }) });
    expect(synth(chart).d.subject).toEqual({ namespaces: { matchLabels: { delegated: 'true' } } });
    const bad = new Chart(Testing.app(), 'b');
    new DelegateNamespace(bad, 'd', { namespace: 'a', namespaces: { x: 'y' } });
    expect(errors(bad)).toBe(
      'Validation failed with the following errors:\n  [b/d] namespace: give either namespace (a name) or namespaces (labels)',
    );
  });
});

describe('AllowDomains', () => {
  test('accepts egress to the environment domain names on TCP 443 by default', () => {
    const env = Environment.fromObject({ name: 'prod', domains: { stripe: ['api.stripe.com', '*.stripe.com'] } }, 'prod.yaml');
    const chart = new Chart(Testing.app(), 'c');
    new AllowDomains(chart, 'allow-stripe', {
      domains: env.domains('stripe'),
      subject: ClusterSubject.podsInNamespace('shop', { app: 'backend' }),
    });
    expect(synth(chart)['allow-stripe']).toEqual({
      tier: 'Admin',
      priority: 10,
      subject: { pods: { namespaceSelector: NS('shop'), podSelector: { matchLabels: { app: 'backend' } } } },
      egress: [
        {
          name: 'allow-domains',
          action: 'Accept',
          to: [{ domainNames: ['api.stripe.com', '*.stripe.com'] }],
          protocols: [{ tcp: { destinationPort: { number: 443 } } }],
        },
      ],
    });
  });

  test('splits more than 25 names over several peers', () => {
    const chart = new Chart(Testing.app(), 'c');
    const names = Array.from({ length: 30 }, (_, i) => `n${i}.example.com`);
    new AllowDomains(chart, 'many', { domains: names, ports: [Port.tcp(443), Port.tcp(8443)] });
    const to = synth(chart).many.egress[0].to;
    expect(to.map((p: any) => p.domainNames.length)).toEqual([25, 5]);
  });

  test('throws for a bad name, no names, and named ports', () => {
    const chart = new Chart(Testing.app(), 'c');
    new AllowDomains(chart, 'bad', { domains: ['https://api.stripe.com'] });
    new AllowDomains(chart, 'none', { domains: [] });
    new AllowDomains(chart, 'named', { domains: ['a.example.com'], ports: [Port.named('https')] });
    expect(errors(chart)).toBe(
      'Validation failed with the following errors:\n' +
        '  [c/bad] domains: domain name "https://api.stripe.com" is invalid: write the host name only, without scheme, port or path (e.g. "api.example.com", or "*.example.com" for its subdomains)\n' +
        '  [c/none] domains: domainNames needs at least one domain name\n' +
        '  [c/named] ports: domain names have no named ports ("https"); give port numbers',
    );
  });
});

describe('guardrails together', () => {
  test('get priorities in creation order per tier, and do not conflict', () => {
    const chart = new Chart(Testing.app(), 'cluster-admin');
    new DenyCloudMetadata(chart, 'deny-cloud-metadata');
    new AllowMonitoring(chart, 'allow-monitoring', { namespace: 'monitoring', namedPorts: ['metrics'] });
    new AllowDomains(chart, 'allow-stripe', { domains: ['api.stripe.com'] });
    new BaselineDefaultDeny(chart, 'baseline-deny', { dns: DEFAULT_DNS });
    const specs = synth(chart);
    expect(Object.entries(specs).map(([n, s]) => `${n} ${s.tier} ${s.priority}`)).toEqual([
      'deny-cloud-metadata Admin 10',
      'allow-monitoring Admin 20',
      'allow-monitoring-egress Admin 30',
      'allow-stripe Admin 40',
      'baseline-deny Baseline 10',
    ]);
  });
});
