/**
 * The classic three tiers in namespace `hollow`: web → app → db, each hop on its own port,
 * and no shortcut from web to db.
 */
import { App, Chart } from 'cdk8s';
import { AllowDns, DefaultDeny, Environment, Peer, Port, Tier } from '../lib';

export function threeTier(app: App, env: Environment): Chart {
  const chart = new Chart(app, 'three-tier', { namespace: 'hollow' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns', { dns: env.dns });
  const web = new Tier(chart, 'web', { pods: { tier: 'web' } });
  const appTier = new Tier(chart, 'app', { pods: { tier: 'app' } });
  const db = new Tier(chart, 'db', { pods: { tier: 'db' } });
  web.allowFrom(Peer.any(), Port.tcp(80));
  web.allowTo(appTier, Port.tcp(8080));
  appTier.allowTo(db, Port.tcp(3306));
  return chart;
}
