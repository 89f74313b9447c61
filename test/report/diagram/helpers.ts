/** Small hand-made clusters and policies for the diagram and diff tests. */
import { Cluster, namespace, Workload } from '../../../lib/model/cluster';
import { LabelSelector, Labels } from '../../../lib/model/selector';
import { Peer } from '../../../lib/model/peer';
import { Policy } from '../../../lib/model/policy';
import { Port } from '../../../lib/model/port';
import { Direction, Rule } from '../../../lib/model/rule';

/** A policy selecting `selector` in `ns`. */
export function policy(
  ns: string,
  name: string,
  selector: Labels,
  types: Direction[],
  rules: { ingress?: Rule[]; egress?: Rule[] } = {},
): Policy {
  return Policy.of({
    name,
    namespace: ns,
    podSelector: LabelSelector.of(selector),
    policyTypes: types,
    ingress: rules.ingress,
    egress: rules.egress,
  });
}

/** A rule. */
export function rule(peers: Peer[], ...ports: Port[]): Rule {
  return Rule.of(peers, ports);
}

/** A Deployment's pods. */
export function workload(ns: string, name: string, labels: Labels): Workload {
  return { namespace: ns, name, kind: 'Deployment', labels, ports: [] };
}

/** The whole cluster: these workloads, their namespaces carrying the given labels. */
export function cluster(workloads: Workload[], namespaceLabels: Record<string, Labels> = {}): Cluster {
  const names = [...new Set(workloads.map((w) => w.namespace))];
  return { namespaces: names.map((n) => namespace(n, namespaceLabels[n] ?? {})), workloads, complete: true };
}

/**
 * The shop: a web tier open on 443 to the internet except 10.0.0.0/8, which talks to the
 * database on 5432, which talks to a database subnet outside on 5432. Everything else denied.
 */
export function shop(): { policies: Policy[]; cluster: Cluster } {
  return {
    policies: [
      policy('shop', 'default-deny', {}, [Direction.INGRESS, Direction.EGRESS]),
      policy('shop', 'web', { app: 'web' }, [Direction.INGRESS, Direction.EGRESS], {
        ingress: [rule([Peer.cidr('0.0.0.0/0', ['10.0.0.0/8'])], Port.tcp(443))],
        egress: [rule([Peer.pods({ app: 'db' })], Port.tcp(5432))],
      }),
      policy('shop', 'db', { app: 'db' }, [Direction.INGRESS, Direction.EGRESS], {
        ingress: [rule([Peer.pods({ app: 'web' })], Port.tcp(5432))],
        egress: [rule([Peer.cidr('10.1.0.0/16')], Port.tcp(5432))],
      }),
    ],
    cluster: cluster([workload('shop', 'web', { app: 'web' }), workload('shop', 'db', { app: 'db' })]),
  };
}
