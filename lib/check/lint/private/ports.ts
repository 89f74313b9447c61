/**
 * Questions about the port list of a rule: does it hold a given port, which database ports
 * does an entry open. The port arithmetic is the model's (`Rule.portReach`).
 */
import { Workload } from '../../../model/cluster';
import { Port, Protocol } from '../../../model/port';
import { Rule } from '../../../model/rule';

/** Container port names that kube-dns and CoreDNS give their port 53, by protocol. */
const DNS_PORT_NAMES: Readonly<Record<Protocol, string | undefined>> = { UDP: 'dns', TCP: 'dns-tcp', SCTP: undefined };

/**
 * True if the rule's ports let `protocol port` through toward some destination: for sure
 * toward an address or one of the workloads (a named port they define as that port), or, for
 * port 53 and a name no given workload defines (the DNS pods are rarely in the manifests), the
 * names kube-dns uses: `dns` for UDP, `dns-tcp` for TCP.
 */
export function ruleAllowsPort(rule: Rule, protocol: Protocol, port: number, workloads: readonly Workload[]): boolean {
  if (rule.portReach(undefined).allowed.contains(port, protocol)) return true;
  if (!rule.hasNamedPorts) return false;
  if (workloads.some((w) => rule.portReach(w).allowed.contains(port, protocol))) return true;
  return rule.ports.some(
    (e) =>
      e.isNamed &&
      e.protocol === protocol &&
      port === 53 &&
      DNS_PORT_NAMES[protocol] === e.port &&
      !workloads.some((w) => w.ports.some((c) => c.name === e.port)),
  );
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
