/**
 * Every example chart. `netpol synth examples/index.ts examples/environments` (what
 * `npm run synth` runs) builds them into one App per environment.
 */
import { App } from 'cdk8s';
import { Environment } from '../lib';
import { clusterAdmin } from './cluster-admin';
import { docsExample } from './docs-example';
import { shop } from './shop';
import { teamIsolation } from './team-isolation';
import { threeTier } from './three-tier';
import { wordpress } from './wordpress';

/** The example charts of NetworkPolicies, by chart name. */
export const EXAMPLES = {
  wordpress: wordpress,
  shop: shop,
  'three-tier': threeTier,
  'docs-example': docsExample,
  'team-isolation': teamIsolation,
};

/** The example charts of ClusterNetworkPolicies, for cluster administrators, by chart name. */
export const CLUSTER_EXAMPLES = {
  'cluster-admin': clusterAdmin,
};

/** Adds every example chart to `app`, with the parameters of `env`. */
export function build(app: App, env: Environment): void {
  for (const example of Object.values(EXAMPLES)) example(app, env);
  for (const example of Object.values(CLUSTER_EXAMPLES)) example(app, env);
}

/** The same as `build`. */
export const buildExamples = build;
