/** Conversions the guardrail constructs share: subjects as peers, DNS settings as rules. */
import { DnsSettings } from '../../env/settings';
import { ClusterPeer } from '../../model/cluster-peer';
import { ClusterRule } from '../../model/cluster-rule';
import { ClusterSubject } from '../../model/cluster-subject';
import { NetpolError } from '../../model/errors';
import { Port } from '../../model/port';
import { LabelSelector } from '../../model/selector';

/** The pods of a subject as a peer of the other end's rules. */
export function subjectAsPeer(subject: ClusterSubject): ClusterPeer {
  return subject.podSelector
    ? ClusterPeer.pods(subject.namespaceSelector, subject.podSelector)
    : ClusterPeer.namespaces(subject.namespaceSelector);
}

/** Numeric ports and names of named ports, split as ClusterNetworkPolicy rules take them. */
export function splitPorts(ports: readonly Port[]): { ports: Port[]; namedPorts: string[] } {
  return {
    ports: ports.filter((p) => !p.isNamed),
    namedPorts: ports.filter((p) => p.isNamed).map((p) => String(p.port)),
  };
}

/**
 * Accept rules for egress to the cluster DNS: its pods on the DNS ports (named ones included),
 * and NodeLocal DNSCache addresses on the numeric ports (addresses have no named ports).
 * Throws `NetpolError` for a NodeLocal block with excepts, which `networks` cannot express.
 */
export function dnsAcceptRules(dns: DnsSettings): ClusterRule[] {
  const namespaces = dns.namespaceLabels ? LabelSelector.of(dns.namespaceLabels) : LabelSelector.namespaceName(dns.namespace);
  const { ports, namedPorts } = splitPorts(dns.ports);
  const rules = [ClusterRule.accept([ClusterPeer.pods(namespaces, dns.pods)], { ports, namedPorts, name: 'allow-dns' })];
  if (dns.nodeLocalCidrs.length > 0) {
    const withExcept = dns.nodeLocalCidrs.findIndex((b) => b.except.length > 0);
    if (withExcept >= 0) {
      throw NetpolError.of(
        'dns.node-local-except',
        `nodeLocalCidrs[${withExcept}]`,
        `"${dns.nodeLocalCidrs[withExcept]}" has excepts, which ClusterNetworkPolicy networks cannot ` +
          `express; give the NodeLocal DNSCache addresses as plain CIDRs`,
      );
    }
    if (ports.length === 0) {
      throw NetpolError.of(
        'dns.node-local-named',
        'ports',
        'the DNS ports are all named, but NodeLocal DNSCache addresses have no named ports; give the DNS port numbers',
      );
    }
    rules.push(ClusterRule.accept([ClusterPeer.networks(dns.nodeLocalCidrs.map((b) => b.cidr))], { ports, name: 'allow-node-local-dns' }));
  }
  return rules;
}
