export * from './connection-set';
export * from './address-range';
export * from './endpoint';
export * from './analysis';
export * from './explanation';
export * from './probe';
export type { IpBlockPods } from './private/semantics';
export * from './infer-cluster';
