/**
 * Questions about the port list of a rule, answered from its text: does it hold a given port,
 * which database ports does an entry open.
 */
import { resolveNamedPort } from '../../../analysis/peer-matching';
import { Workload } from '../../../model/cluster';
import { Port, Protocol } from '../../../model/port';
import { Rule } from '../../../model/rule';

/** Container port names that kube-dns and CoreDNS give their port 53, by protocol. */
const DNS_PORT_NAMES: Readonly<Record<Protocol, string | undefined>> = { UDP: 'dns', TCP: 'dns-tcp', SCTP: undefined };

/**
 * True if the rule's ports let `protocol port` through toward some destination: no port list,
 * an entry of every port of the protocol, a number or range holding it, or a named port that
 * some workload defines as that port (for port 53 and a name no workload defines, the names
 * kube-dns uses: `dns` for UDP, `dns-tcp` for TCP).
 */
export function ruleAllowsPort(rule: Rule, protocol: Protocol, port: number, workloads: readonly Workload[]): boolean {
  if (rule.anyPort) return true;
  return rule.ports.some((e) => {
    if (e.protocol !== protocol) return false;
    if (e.port === undefined) return true;
    if (typeof e.port === 'number') return e.port <= port && port <= (e.endPort ?? e.port);
    const name = e.port;
    if (workloads.some((w) => resolveNamedPort(w, name, protocol) === port)) return true;
    // a name no given workload defines (the DNS pods are rarely in the manifests): assume kube-dns's
    const definedSomewhere = workloads.some((w) => w.ports.some((c) => c.name === name));
    return !definedSomewhere && port === 53 && DNS_PORT_NAMES[protocol] === name;
  });
}

/** Well-known TCP ports of databases and data stores, with the product that uses each. */
export const DATABASE_PORTS: ReadonlyMap<number, string> = new Map([
  [1433, 'Microsoft SQL Server'],
  [1521, 'Oracle Database'],
  [2379, 'etcd'],
  [3306, 'MySQL/MariaDB'],
  [5432, 'PostgreSQL'],
  [5984, 'CouchDB'],
  [6379, 'Redis'],
  [7000, 'Cassandra inter-node'],
  [7001, 'Cassandra inter-node TLS'],
  [8086, 'InfluxDB'],
  [9042, 'Cassandra CQL'],
  [9200, 'Elasticsearch/OpenSearch'],
  [9300, 'Elasticsearch transport'],
  [11211, 'Memcached'],
  [26257, 'CockroachDB'],
  [27017, 'MongoDB'],
]);

/**
 * The database ports that an entry names: a TCP number, or a TCP range holding them. An entry
 * of every port of a protocol names none (it is not about databases in particular).
 */
export function databasePortsOf(entry: Port): number[] {
  if (entry.protocol !== 'TCP' || typeof entry.port !== 'number') return [];
  const first = entry.port;
  const last = entry.endPort ?? entry.port;
  return [...DATABASE_PORTS.keys()].filter((p) => first <= p && p <= last);
}
