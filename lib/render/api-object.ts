/**
 * Model → cdk8s: one `ApiObject` per policy, whose spec is rendered when the chart is
 * synthesized, so that rules added after the construct was created are included.
 */
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Policy } from '../model/policy';
import { policyToObject } from './policy-object';

/** Adds the NetworkPolicy `ApiObject` of a policy construct; `render` is called at synthesis. */
export function addNetworkPolicyObject(
  scope: Construct,
  id: string,
  meta: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> },
  render: () => Policy,
): ApiObject {
  const has = (r?: Record<string, string>) => r !== undefined && Object.keys(r).length > 0;
  return new ApiObject(scope, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      ...(has(meta.labels) ? { labels: { ...meta.labels } } : {}),
      ...(has(meta.annotations) ? { annotations: { ...meta.annotations } } : {}),
    },
    spec: Lazy.any({ produce: () => policyToObject(render()).spec }),
  });
}
