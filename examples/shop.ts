/**
 * A shop in namespace `shop`: a public frontend, a backend only the frontend reaches, and an
 * orders database outside the cluster whose address comes from the environment.
 */
import { App, Chart } from 'cdk8s';
import { AllowDns, DefaultDeny, Environment, ExternalDatabase, Peer, Port, Tier } from '../lib';

export function shop(app: App, env: Environment): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new DefaultDeny(chart, 'default-deny');
  new AllowDns(chart, 'allow-dns', { dns: env.dns });
  const frontend = new Tier(chart, 'frontend', { pods: { app: 'frontend' } });
  const backend = new Tier(chart, 'backend', { pods: { app: 'backend' } });
  const orders = new ExternalDatabase(chart, 'orders', env.database('orders'));
  frontend.allowFrom(Peer.any(), Port.tcp(80), Port.tcp(443));
  frontend.allowTo(backend, Port.tcp(8080));
  backend.allowTo(orders);
  return chart;
}
