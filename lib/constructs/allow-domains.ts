/**
 * `AllowDomains`: egress to named external services (`api.stripe.com`) whose addresses change,
 * which NetworkPolicy cannot express: an Admin tier Accept of `domainNames`.
 */
import { Construct } from 'constructs';
import { ClusterPeer, MAX_PEER_ITEMS } from '../model/cluster-peer';
import { ClusterTier } from '../model/cluster-policy';
import { ClusterRule } from '../model/cluster-rule';
import { ClusterSubject } from '../model/cluster-subject';
import { DomainName } from '../model/domain-name';
import { toDnsLabel } from '../model/names';
import { Port } from '../model/port';
import { ClusterNetworkPolicy } from './cluster-network-policy';
import { splitPorts } from './private/cluster-values';
import { deferErrors } from './private/errors';

/** Properties of `AllowDomains`. */
export interface AllowDomainsProps {
  /** The names, e.g. `env.domains('stripe')`; `*.example.com` matches its subdomains. */
  readonly domains: (string | DomainName)[];
  /** The pods that may reach them. @default - every pod */
  readonly subject?: ClusterSubject;
  /** The ports. @default [Port.tcp(443)] */
  readonly ports?: Port[];
  /** @default - allocated in creation order (see `ClusterNetworkPolicyProps.priority`) */
  readonly priority?: number;
  /** @default - the construct id in DNS-1123 form */
  readonly policyName?: string;
}

/**
 * An Admin tier ClusterNetworkPolicy that accepts egress to the domain names on the ports. The
 * implementation follows the DNS answers the pods get, so the pods must be able to resolve the
 * names (allow DNS), and only names they look up are reachable this way. To make the names an
 * allowlist, deny the rest after it (a later Admin Deny, or `BaselineDefaultDeny`).
 *
 * @see https://network-policy-api.sigs.k8s.io/npeps/npep-133-fqdn-egress-selector/
 * @example
 * new AllowDomains(chart, 'allow-stripe', { domains: env.domains('stripe'), subject: ClusterSubject.podsInNamespace('shop', { app: 'backend' }) });
 */
export class AllowDomains extends Construct {
  /** The ClusterNetworkPolicy it renders. */
  public readonly policy: ClusterNetworkPolicy;

  constructor(scope: Construct, id: string, props: AllowDomainsProps) {
    super(scope, id);
    const { ports, namedPorts } = splitPorts(props.ports ?? [Port.tcp(443)]);
    if (namedPorts.length > 0) {
      this.node.addValidation({ validate: () => [`ports: domain names have no named ports ("${namedPorts[0]}"); give port numbers`] });
    }
    const peers =
      deferErrors(this, 'domains', () => {
        const names = props.domains.map((d) => (DomainName.isDomainName(d) ? d : DomainName.of(d)));
        const chunks: ClusterPeer[] = [];
        for (let i = 0; i < names.length; i += MAX_PEER_ITEMS) chunks.push(ClusterPeer.domainNames(names.slice(i, i + MAX_PEER_ITEMS)));
        if (chunks.length === 0) ClusterPeer.domainNames([]);
        return chunks;
      }) ?? [];
    const rule =
      peers.length > 0 ? deferErrors(this, 'domains', () => ClusterRule.accept(peers, { ports, name: 'allow-domains' })) : undefined;
    this.policy = new ClusterNetworkPolicy(this, 'Policy', {
      tier: ClusterTier.ADMIN,
      subject: props.subject ?? ClusterSubject.allPods(),
      priority: props.priority,
      policyName: props.policyName ?? toDnsLabel(id) ?? id,
      egress: rule ? [rule] : [],
    });
  }
}
