/**
 * The typed values an environment file provides: where cluster DNS lives, and the address
 * ranges and ports of databases outside the cluster.
 */
import { IpBlock } from '../model/cidr';
import { Port } from '../model/port';

/**
 * Where the cluster DNS runs, so that a policy can allow pods to resolve names once egress is
 * denied by default. Every field has a default that matches a stock kube-dns/CoreDNS install.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/
 */
export interface DnsSettings {
  /**
   * Namespace of the cluster DNS.
   * @default 'kube-system'
   */
  readonly namespace: string;
  /**
   * If set, select the DNS namespace by these labels instead of by its `kubernetes.io/metadata.name`.
   * @default - undefined: the namespace is selected by its name
   */
  readonly namespaceLabels?: { readonly [key: string]: string };
  /**
   * Labels of the DNS pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly pods: { readonly [key: string]: string };
  /**
   * Ports the DNS pods listen on. In the file: `port: 5353` (UDP and TCP on that port) or
   * `ports: [{ port, protocol }]`.
   * @default [Port.udp(53), Port.tcp(53)]
   */
  readonly ports: Port[];
  /**
   * Extra addresses to allow DNS traffic to, e.g. a NodeLocal DNSCache address `169.254.20.10/32`.
   * @default []
   */
  readonly nodeLocalCidrs: IpBlock[];
}

/** The DNS settings of a stock cluster: kube-system, pods `k8s-app=kube-dns`, UDP and TCP 53. */
export const DEFAULT_DNS: DnsSettings = Object.freeze({
  namespace: 'kube-system',
  pods: Object.freeze({ 'k8s-app': 'kube-dns' }),
  // frozen: the arrays are typed mutable only because jsii has no read-only arrays
  ports: Object.freeze([Port.udp(53), Port.tcp(53)]) as unknown as Port[],
  nodeLocalCidrs: Object.freeze([]) as unknown as IpBlock[],
});

/** A database outside the cluster, reached by address range and port. */
export interface DatabaseParams {
  /** Its key under `databases` in the file. */
  readonly name: string;
  /** One or more blocks, IPv4 or IPv6; a single host is written `/32` (IPv4) or `/128` (IPv6). */
  readonly cidrs: IpBlock[];
  /** From `port` (with an optional `endPort`) or `ports`; the protocol defaults to TCP. */
  readonly ports: Port[];
}
