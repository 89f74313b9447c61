/**
 * `AllowDns`: egress from the pods of a namespace to the cluster DNS, which every pod whose
 * egress is isolated needs to resolve names.
 */
import { Construct } from 'constructs';
import { DEFAULT_DNS, DnsSettings } from '../env';
import { IpBlock } from '../model/cidr';
import { Peer } from '../model/peer';
import { Policy } from '../model/policy';
import { Port } from '../model/port';
import { Rule, Direction } from '../model/rule';
import { LabelSelector, Labels } from '../model/selector';
import { PolicyConstruct, PolicyConstructProps } from './policy-construct';
import { AppRegistry } from './private/registry';
import { deferErrors } from './private/errors';
import { isPlainObject, refuse } from '../model/private/args';
import { addBrand, hasBrand } from '../model/brand';

/**
 * Where the cluster DNS is, for `AllowDns`: the fields of the environment's `DnsSettings`, each
 * optional; a field left out takes the default of a stock kube-dns/CoreDNS install. `env.dns`
 * fits as it is.
 */
export interface DnsOptions {
  /**
   * Namespace of the cluster DNS, selected by its `kubernetes.io/metadata.name` label.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Select the DNS namespace by these labels instead of by its name.
   * @default - the namespace is selected by its name
   */
  readonly namespaceLabels?: { [key: string]: string };
  /**
   * Labels of the DNS pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly pods?: { [key: string]: string };
  /**
   * Ports the DNS pods listen on.
   * @default [Port.udp(53), Port.tcp(53)]
   */
  readonly ports?: Port[];
  /**
   * Extra address blocks to allow DNS traffic to, e.g. a NodeLocal DNSCache address `169.254.20.10/32`.
   * @default - none
   */
  readonly nodeLocalCidrs?: IpBlock[];
}

/** Properties of `AllowDns`: where the DNS is (usually `env.dns`) and which pods may use it. */
export interface AllowDnsProps extends PolicyConstructProps {
  /**
   * Where the cluster DNS is: usually the environment's `dns`; unset fields take the defaults.
   * @default - kube-dns/CoreDNS in kube-system on UDP and TCP 53
   */
  readonly dns?: DnsOptions;
  /**
   * Pods of the namespace that may reach the DNS.
   * @default - every pod of the namespace
   */
  readonly from?: Labels | LabelSelector;
}

/**
 * Allows egress to the cluster DNS on UDP and TCP (both: large answers fall back to TCP).
 *
 * Defaults match kube-dns/CoreDNS as most clusters install it: pods `k8s-app: kube-dns` in the
 * namespace `kube-system`, selected by its `kubernetes.io/metadata.name` label, port 53. Pass
 * the environment's `dns` settings for other clusters (OpenShift DNS on 5353, a NodeLocal
 * DNSCache address).
 *
 * @example
 * new AllowDns(chart, 'allow-dns', { dns: env.dns });
 */
export class AllowDns extends PolicyConstruct {
  /** Brand check that works across copies of the library. */
  public static isAllowDns(x: unknown): x is AllowDns {
    return hasBrand(x, BRAND);
  }

  /** The DNS settings in force (defaults filled in). Frozen. */
  public readonly dns: DnsSettings;
  private readonly from: LabelSelector;

  constructor(scope: Construct, id: string, props: AllowDnsProps = {}) {
    super(scope, id, props);
    addBrand(this, BRAND);
    if (props.dns !== undefined && !isPlainObject(props.dns))
      refuse('AllowDns', 'dns', 'DNS settings such as env.dns, or nothing', props.dns, this.node.path);
    if (props.from !== undefined && !isPlainObject(props.from) && !LabelSelector.isLabelSelector(props.from)) {
      refuse('AllowDns', 'from', "labels such as { app: 'web' }, a LabelSelector, or nothing for every pod", props.from, this.node.path);
    }
    if (props.dns?.ports !== undefined && (!Array.isArray(props.dns.ports) || !props.dns.ports.every((p) => Port.isPort(p)))) {
      refuse('AllowDns', 'dns.ports', 'an array of Ports such as [Port.udp(53), Port.tcp(53)]', props.dns.ports, this.node.path);
    }
    const local: unknown = props.dns?.nodeLocalCidrs;
    if (local !== undefined && (!Array.isArray(local) || !local.every((b) => b instanceof IpBlock))) {
      refuse('AllowDns', 'dns.nodeLocalCidrs', "an array of IpBlocks such as [IpBlock.of('169.254.20.10/32')]", local, this.node.path);
    }
    this.dns = dnsSettings(props.dns ?? {});
    this.from =
      deferErrors(this, 'from', () => (LabelSelector.isLabelSelector(props.from) ? props.from : LabelSelector.of(props.from ?? {}))) ??
      LabelSelector.all();
    deferErrors(this, 'dns.pods', () => LabelSelector.of(this.dns.pods));
    if (this.dns.namespaceLabels) deferErrors(this, 'dns.namespaceLabels', () => LabelSelector.of(this.dns.namespaceLabels!));
    else deferErrors(this, 'dns.namespace', () => Peer.namespace(this.dns.namespace));
    if (this.dns.ports.length === 0) {
      this.node.addValidation({
        validate: () => [
          'dns.ports: no DNS port given, which would allow every port; give the DNS ports, e.g. [Port.udp(53), Port.tcp(53)]',
        ],
      });
    }
    if (this.node.validate().length === 0) {
      this.ensureObject();
      // the egress of the pods it selects is isolated now: tiers among them write their egress side
      AppRegistry.of(this).isolate(this.namespace, [Direction.EGRESS], this.from);
    }
  }

  /** The peer the DNS pods form. */
  public get dnsPeer(): Peer {
    const ns = this.dns.namespaceLabels ? LabelSelector.of(this.dns.namespaceLabels) : this.dns.namespace;
    return Peer.podsInNamespace(ns, this.dns.pods);
  }

  /**
   * TypeScript only, like `PolicyConstruct.toPolicy`.
   * @jsii ignore
   */
  public toPolicy(): Policy {
    const ports: readonly Port[] = this.dns.ports;
    const egress = [Rule.of([this.dnsPeer], ports).sorted()];
    if (this.dns.nodeLocalCidrs.length > 0) {
      egress.push(
        Rule.of(
          this.dns.nodeLocalCidrs.map((b: IpBlock) => Peer.fromIpBlock(b)),
          ports,
        ).sorted(),
      );
    }
    return Policy.of({
      name: this.policyName,
      namespace: this.namespace,
      podSelector: this.from,
      policyTypes: [Direction.EGRESS],
      egress,
      ...this.metadata,
    });
  }
}

const BRAND = Symbol.for('cdk8s-netpol.AllowDns');

/** The settings in force: each field given, or its default; frozen copies, so that no caller can change them later. */
function dnsSettings(given: DnsOptions): DnsSettings {
  // labels that are not a plain object are kept as given: LabelSelector.of refuses them under dns.*
  const labels = (l: { [key: string]: string }) => (isPlainObject(l) ? Object.freeze({ ...l }) : l);
  return Object.freeze({
    namespace: given.namespace ?? DEFAULT_DNS.namespace,
    ...(given.namespaceLabels !== undefined ? { namespaceLabels: labels(given.namespaceLabels) } : {}),
    pods: labels(given.pods ?? DEFAULT_DNS.pods),
    ports: Object.freeze([...(given.ports ?? DEFAULT_DNS.ports)]) as Port[],
    nodeLocalCidrs: Object.freeze([...(given.nodeLocalCidrs ?? DEFAULT_DNS.nodeLocalCidrs)]) as IpBlock[],
  });
}
