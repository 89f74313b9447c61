/**
 * `netpol lint` over a cdk8s App in memory, as a `check` of `synthEnvironments`: the same
 * rules the cdk8s validation plugin runs on the written manifests, before anything is written.
 */
import { IConstruct } from 'constructs';
import { constructModel } from '../../constructs/inspect';
import { appCluster } from '../../io/app-objects';
import { SynthFinding } from '../../constructs/environments';
import { lint, LintOptions } from './engine';
import { objectName } from './finding';

/**
 * Lints the policies of the App that `scope` belongs to, with the Namespaces and workloads the
 * App defines (cdk8s-plus workloads, Deployment/StatefulSet/Pod ApiObjects) as what is known of
 * the cluster, which is not all of it. Suppressed findings are left out; each finding is one
 * line: `<object> <field path>: <rule> <severity>: <why> Fix: <fix>`.
 */
export function lintApp(scope: IConstruct, options: LintOptions = {}): SynthFinding[] {
  const model = constructModel(scope);
  return lint(model.policies, appCluster(scope), { clusterPolicies: model.clusterPolicies, ...options })
    .filter((f) => !f.suppression)
    .map((f) => {
      const object = objectName(f.object);
      return {
        severity: f.severity,
        message: `${object}${f.path ? ` ${f.path}` : ''}: ${f.ruleId} ${f.severity}: ${f.message} Fix: ${f.fix}`,
      };
    });
}
