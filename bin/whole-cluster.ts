/**
 * The input of `reach` and `explain`: the policies and the manifests of the whole cluster, read
 * and analysed together (a namespace without a Namespace object carries only its name label).
 */
import type { Analysis } from '../lib/analysis';
import { printWarning } from './cli-util';
import { podCidrs } from './pod-cidrs';

/** The flags `reach` and `explain` share for reading and analysing. */
export interface WholeClusterFlags {
  readonly policies: string[];
  readonly cluster: string[];
  readonly ipblockPods: 'match' | 'ignore';
  readonly skipInvalid?: boolean;
  readonly legacyCidrs?: boolean;
  readonly podCidr: string[];
}

/** Reads the policies (ClusterNetworkPolicies included) and the cluster, and analyses them; --cluster is the whole cluster. */
export function analyzeWholeCluster(flags: WholeClusterFlags): Analysis {
  const io = require('../lib/io') as typeof import('../lib/io');
  const analysis = require('../lib/analysis') as typeof import('../lib/analysis');
  const input = io.readAnalysisInput(flags.policies, flags.cluster, {
    skipInvalid: flags.skipInvalid === true,
    legacyCidrs: flags.legacyCidrs === true,
    onWarning: printWarning,
  });
  return analysis.analyze(
    input.policies,
    { ...input.cluster, complete: true },
    { ipBlockPods: flags.ipblockPods, podCidrs: podCidrs(flags.podCidr), clusterPolicies: input.clusterPolicies },
  );
}
