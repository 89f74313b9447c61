/**
 * `cdk8s-netpol/testing`: jest matchers that state what a chart's policies allow
 * (`toAllow`, `toDeny`, `toAllowExactly`), and the flow model behind them. Importing this
 * module also brings the matchers' types for projects that use `@types/jest`;
 * `cdk8s-netpol/testing/setup` registers the matchers when jest loads it.
 */

export { NetpolError } from '../model/errors';
export { installNetpolMatchers, netpolMatchers } from '../testing/matchers';
export type { ExactOptions, ExpectLike, FlowQuery, NetpolMatcherResult, PortLike } from '../testing/matchers';
export { modelOf } from '../testing/model';
export type { EndpointSet, FlowModel, ModelOptions, ModelTarget, PodGroup } from '../testing/model';
export type { FlowComparison, FlowStatement } from '../testing/flows';
