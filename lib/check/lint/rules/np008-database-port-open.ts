/**
 * NP008: a database port admitted from every address (0.0.0.0/0, ::/0) or from every source.
 */
import { Peer, PeerKind } from '../../../model/peer';
import { Rule, Direction } from '../../../model/rule';
import { listText, policyObject, portPath } from '../private/policy-paths';
import { wholeFamilies } from '../private/coverage';
import { DATABASE_PORTS, databasePortsOf } from '../private/ports';
import { LintRule, RuleFinding } from '../rule';

/** NP008 database-port-open. */
export const NP008: LintRule = {
  id: 'NP008',
  name: 'database-port-open',
  severity: 'error',
  cause: 'A database port is admitted from every address (0.0.0.0/0, ::/0) or from every source.',
  explanation:
    'An ingress rule that admits 0.0.0.0/0 or ::/0, or has no from list at all, lets anything that can route to the pod connect; ' +
    'on a database or data-store port (MySQL 3306, PostgreSQL 5432, Redis 6379, MongoDB 27017, ' +
    'Cassandra 9042/7000/7001, SQL Server 1433, Oracle 1521, CouchDB 5984, ' +
    'Elasticsearch 9200/9300, Memcached 11211, CockroachDB 26257, etcd 2379, InfluxDB 8086) that ' +
    'exposes the data to the whole network, or to the internet behind a load balancer. ' +
    'Entries that name the port (a number, or a range holding it) are checked; an entry of every port of a protocol is not.',
  fix: 'Admit only the clients: their pods (podSelector/namespaceSelector) or their address ranges.',
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const p of ctx.policies) {
      p.ingress.forEach((rule, i) => {
        const world = worldSources(rule);
        if (world === undefined) return;
        rule.ports.forEach((port, j) => {
          const db = databasePortsOf(port);
          if (db.length === 0) return;
          const what = listText(
            db.map((n) => `${n} (${DATABASE_PORTS.get(n)})`),
            4,
          );
          out.push({
            object: policyObject(p),
            path: portPath(Direction.INGRESS, i, j),
            message: `this ingress rule admits ${world} on ${port}, which is the database port${db.length === 1 ? '' : 's'} ${what}`,
            fix: `admit only the clients of the database on ${port}: their pods (podSelector/namespaceSelector) or their address ranges`,
          });
        });
      });
    }
    return out;
  },
};

/** `every source (no from list)`, `0.0.0.0/0`, … when the rule admits everyone; else undefined. */
function worldSources(rule: Rule): string | undefined {
  if (rule.anyPeer) return 'every source (no from list)';
  // a block of the whole space with excepts still admits nearly everyone; pieces can add up to it
  const open = rule.peers.filter((peer: Peer) => peer.kind === PeerKind.IP_BLOCK && peer.ipBlock!.cidr.prefix === 0);
  if (open.length > 0) return listText(open.map(String));
  const families = wholeFamilies(rule);
  if (families.length === 0) return undefined;
  return listText(rule.peers.filter((p) => p.kind === PeerKind.IP_BLOCK).map(String));
}
