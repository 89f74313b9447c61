/**
 * The two ends of a connection: a workload of the cluster (a group of identical pods), or an
 * address range outside the cluster.
 */
import { IpAddress } from '../model/cidr';
import { Workload } from '../model/cluster';
import { AddressRange } from '../model/address-range';
import { ConnectionSet } from '../model/connection-set';
import { Reach } from '../model/reach';

/** A workload of the cluster. */
export interface WorkloadEndpoint {
  /** Tells the two kinds of endpoint apart. */
  readonly type: 'workload';
  /** The workload, as in the cluster given to `analyze`. */
  readonly workload: Workload;
}

/**
 * Addresses outside the cluster: one range of the partition that the policies' ipBlocks make
 * (every address of it is treated alike), and the address asked about, if one was given.
 */
export interface ExternalEndpoint {
  /** Tells the two kinds of endpoint apart. */
  readonly type: 'external';
  /** A range of `Analysis.externalSources` (for a source) or `externalDestinations` (for a destination). */
  readonly range: AddressRange;
  /** The address the endpoint was named by. @default - the endpoint stands for its whole range */
  readonly address?: IpAddress;
}

/**
 * A domain name outside the cluster (`api.example.com`): a destination of its own, which
 * ClusterNetworkPolicy `domainNames` peers match; its addresses are unknown.
 */
export interface DomainEndpoint {
  /** Tells the kinds of endpoint apart. */
  readonly type: 'domain';
  /** The name, lower case, without a trailing dot. */
  readonly name: string;
}

/** Either end of a connection (a domain name only as a destination). */
export type Endpoint = WorkloadEndpoint | ExternalEndpoint | DomainEndpoint;

/** An ordered pair of endpoints and what the policies allow from the first to the second. */
export interface Connection {
  /** The source. */
  readonly from: Endpoint;
  /** The destination. */
  readonly to: Endpoint;
  /** What is allowed for sure (empty when everything depends on something unknown). */
  readonly allowed: ConnectionSet;
  /** Everything: `allowed`, and what is allowed only under conditions. Never empty in `Analysis.connections()`. */
  readonly reach: Reach;
}

/** `ns/name[Kind]`: the way np-guard names a workload. */
export function workloadKindName(w: Workload): string {
  return `${w.namespace}/${w.name}[${w.kind}]`;
}
