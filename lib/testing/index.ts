export * from './model';
export * from './matchers';
export type { FlowComparison, FlowStatement } from './flows';
