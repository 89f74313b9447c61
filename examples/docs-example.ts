/**
 * The NetworkPolicy example of the Kubernetes documentation, with its addresses taken from the
 * environment: no default deny, no DNS; one policy on the `role: db` pods.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource
 */
import { App, Chart } from 'cdk8s';
import { Environment, Peer, Port, Tier } from '../lib';

export function docsExample(app: App, env: Environment): Chart {
  const chart = new Chart(app, 'docs-example', { namespace: 'docs-demo' });
  const db = new Tier(chart, 'db', { pods: { role: 'db' } });
  db.allowFrom(env.cidr('docsClients'), Port.tcp(6379));
  db.allowFrom(Peer.namespaces({ project: 'myproject' }), Port.tcp(6379));
  db.allowFrom(Peer.pods({ role: 'frontend' }), Port.tcp(6379));
  db.allowTo(env.cidr('docsBackend'), Port.tcp(5978), Port.tcpRange(32000, 32768));
  // The documentation's example, kept as it is, and what `netpol lint` says about it:
  db.suppressLint(
    'NP010',
    'the documentation example means both peers: pods role=frontend of docs-demo OR every pod of namespaces project=myproject',
  )
    .suppressLint('NP001', 'the documentation example allows no DNS, and db reaches its backend by address')
    .suppressNamespaceLint('NP003', 'the documentation example isolates only the db pods, not the namespace')
    .suppressNamespaceLint('NP004', 'the documentation example isolates only the db pods, not the namespace');
  return chart;
}
