/**
 * What an environment document may hold, and how its checked parts become a
 * `ParsedEnvironment`: shared by the schema (zod, which checks every document and words every
 * problem) and the plain path (which answers plainly valid documents without loading zod), so
 * that both accept the same keys and build the same values.
 */
import { IpBlock } from '../../model/cidr';
import { DomainName } from '../../model/domain-name';
import { Port } from '../../model/port';
import { DatabaseParams, DEFAULT_DNS, DnsSettings } from '../settings';

/** The keys of the document, in the order messages list them. */
export const DOCUMENT_KEYS = ['name', 'dns', 'cidrs', 'databases', 'domains', 'extras'] as const;
/** The keys of `dns`. */
export const DNS_KEYS = ['namespace', 'namespaceLabels', 'pods', 'port', 'ports', 'nodeLocalCidrs'] as const;
/** The keys of one entry of `dns.ports`. */
export const DNS_PORT_KEYS = ['port', 'endPort', 'protocol'] as const;
/** The keys of a database. */
export const DATABASE_KEYS = ['cidrs', 'cidr', 'port', 'endPort', 'ports', 'protocol'] as const;
/** The keys of one entry of a database's `ports`. */
export const DATABASE_PORT_KEYS = ['port', 'endPort', 'protocol'] as const;
/** The keys of a CIDR written as a mapping. */
export const IP_BLOCK_KEYS = ['cidr', 'except'] as const;
/** The most names one list under `domains` holds (the ClusterNetworkPolicy CRD's limit). */
export const MAX_DOMAINS = 25;

/** A checked environment document. */
export interface ParsedEnvironment {
  /** The checked name. */
  readonly name: string;
  /** DNS settings with defaults filled in. */
  readonly dns: DnsSettings;
  /** Named blocks, in name order. */
  readonly cidrs: ReadonlyMap<string, IpBlock>;
  /** Databases, in name order. */
  readonly databases: ReadonlyMap<string, DatabaseParams>;
  /** Lists of domain names (egress peers of ClusterNetworkPolicies), in name order. */
  readonly domains: ReadonlyMap<string, readonly DomainName[]>;
  /** The output of the extras schema, or undefined without one. */
  readonly extras: unknown;
}

/** The checked values of a `dns` mapping, before defaults (`ports` from `port` or `ports`). */
export interface CheckedDns {
  /** `namespace`. */
  readonly namespace?: string;
  /** `namespaceLabels`, frozen. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /** `pods`, frozen. */
  readonly pods?: Readonly<Record<string, string>>;
  /** From `ports`, or UDP and TCP on `port`. */
  readonly ports?: readonly Port[];
  /** `nodeLocalCidrs`. */
  readonly nodeLocalCidrs?: readonly IpBlock[];
}

/** A database's checked blocks and ports. */
export interface CheckedDatabase {
  /** From `cidrs`, or `cidr` alone; frozen. */
  readonly cidrs: IpBlock[];
  /** From `ports`, or `port` and `endPort`, with the database's protocol where an entry names none; frozen. */
  readonly ports: Port[];
}

/** The checked values of a document; a nullish section is absent. */
export interface CheckedDocument {
  /** The environment's name. */
  readonly name: string;
  /** The DNS settings, defaults filled in (`dnsSettings`). */
  readonly dns?: DnsSettings | null;
  /** The blocks by name, as written. */
  readonly cidrs?: Readonly<Record<string, IpBlock>> | null;
  /** The databases by name, as written. */
  readonly databases?: Readonly<Record<string, CheckedDatabase>> | null;
  /** The lists of domain names by name, as written; each frozen. */
  readonly domains?: Readonly<Record<string, readonly DomainName[]>> | null;
}

/** A frozen copy, typed as a plain array (jsii has no read-only arrays; it cannot be changed all the same). */
export function frozenList<T>(xs: readonly T[]): T[] {
  return Object.freeze([...xs]) as unknown as T[];
}

/** DNS settings with the stock cluster's defaults where the file gives nothing. Frozen. */
export function dnsSettings(d: CheckedDns): DnsSettings {
  return Object.freeze({
    namespace: d.namespace ?? DEFAULT_DNS.namespace,
    ...(d.namespaceLabels ? { namespaceLabels: d.namespaceLabels } : {}),
    pods: d.pods ?? DEFAULT_DNS.pods,
    ports: frozenList(d.ports ?? DEFAULT_DNS.ports),
    nodeLocalCidrs: frozenList(d.nodeLocalCidrs ?? DEFAULT_DNS.nodeLocalCidrs),
  });
}

/** The environment of a checked document: maps in name order, databases frozen with their names. */
export function parsedEnvironment(doc: CheckedDocument, extras: unknown): ParsedEnvironment {
  const cidrs = Object.entries(doc.cidrs ?? {}).sort(byKey);
  const databases = Object.entries(doc.databases ?? {}).sort(byKey);
  const domains = Object.entries(doc.domains ?? {}).sort(byKey);
  return {
    name: doc.name,
    dns: doc.dns ?? DEFAULT_DNS,
    cidrs: new Map(cidrs),
    databases: new Map(databases.map(([name, d]): [string, DatabaseParams] => [name, Object.freeze({ name, ...d })])),
    domains: new Map(domains),
    extras,
  };
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
