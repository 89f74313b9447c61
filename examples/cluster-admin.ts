/**
 * What a platform team sets for the whole cluster, beside the teams' NetworkPolicies: no pod
 * reaches the cloud metadata service, monitoring scrapes every pod's `metrics` port, the shop's
 * backend reaches Stripe by name (the names come from the environment), and namespaces that opt
 * in with the label `netpol.dev/baseline: deny` deny by default what their own NetworkPolicies
 * do not decide, DNS aside.
 */
import { App, Chart } from 'cdk8s';
import { AllowDomains, AllowMonitoring, BaselineDefaultDeny, ClusterSubject, DenyCloudMetadata, Environment, Port } from '../lib';

export function clusterAdmin(app: App, env: Environment): Chart {
  const chart = new Chart(app, 'cluster-admin');
  new DenyCloudMetadata(chart, 'deny-cloud-metadata');
  new AllowMonitoring(chart, 'allow-monitoring', { namespace: 'monitoring', namedPorts: ['metrics'] });
  new AllowDomains(chart, 'allow-stripe', {
    domains: env.domains('stripe'),
    subject: ClusterSubject.podsInNamespace('shop', { app: 'backend' }),
    ports: [Port.tcp(443)],
  });
  new BaselineDefaultDeny(chart, 'baseline-deny', { namespaces: { 'netpol.dev/baseline': 'deny' }, dns: env.dns });
  return chart;
}
