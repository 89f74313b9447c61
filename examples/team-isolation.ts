/**
 * Two teams, two namespaces: each accepts ingress only from its own namespace (egress stays
 * open), and team-b's API accepts TCP 8443 from team-a's clients — namespace AND pod labels.
 */
import { App, Chart } from 'cdk8s';
import { Environment, Peer, Port, Tier } from '../lib';

export function teamIsolation(app: App, _env: Environment): Chart {
  const chart = new Chart(app, 'team-isolation');
  for (const team of ['team-a', 'team-b']) {
    Tier.allPods(chart, `${team}-internal`, { namespace: team })
      .allowFrom(Peer.pods({}))
      .suppressNamespaceLint('NP004', 'the teams isolate ingress only, egress stays open by design');
  }
  const client = new Tier(chart, 'client', { namespace: 'team-a', pods: { app: 'client' } });
  const api = new Tier(chart, 'api', { namespace: 'team-b', pods: { app: 'api' } });
  api.allowFrom(client, Port.tcp(8443)); // team-a's egress is open, so only team-b's ingress is written
  return chart;
}
