/** Every example chart, built into one App per environment by `synth.ts`. */
import { App } from 'cdk8s';
import { Environment } from '../lib';
import { docsExample } from './docs-example';
import { shop } from './shop';
import { teamIsolation } from './team-isolation';
import { threeTier } from './three-tier';
import { wordpress } from './wordpress';

/** The example charts, by chart name. */
export const EXAMPLES = { 'wordpress': wordpress, 'shop': shop, 'three-tier': threeTier, 'docs-example': docsExample, 'team-isolation': teamIsolation };

/** Adds every example chart to `app`. */
export function buildExamples(app: App, env: Environment<any>): void {
  for (const build of Object.values(EXAMPLES)) build(app, env);
}
