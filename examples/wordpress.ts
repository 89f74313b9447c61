/**
 * WordPress and MySQL in `default`: the web tier is open on 80/443 to the world and the
 * corporate range, talks to itself, and is the only client of the database.
 */
import { App, Chart } from 'cdk8s';
import { AllowDns, DefaultDeny, Environment, Peer, Port, Tier } from '../lib';

export function wordpress(app: App, env: Environment): Chart {
  const chart = new Chart(app, 'wordpress', { namespace: 'default' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns', { dns: env.dns });
  const wordpress = new Tier(chart, 'wordpress', { pods: { app: 'wordpress' } });
  const mysql = new Tier(chart, 'mysql', { pods: { app: 'mysql' } });
  wordpress.allowWithin(Port.tcp(80), Port.tcp(443));
  wordpress.allowFrom(Peer.anyIpv4(), Port.tcp(80), Port.tcp(443));
  wordpress.allowFrom(env.cidr('corporate'), Port.tcp(80), Port.tcp(443));
  wordpress.allowTo(mysql, Port.tcp(3306)); // egress on wordpress AND ingress on mysql
  return chart;
}
