export * from './address-range';
export * from './endpoint';
export * from './analysis';
export * from './explanation';
export * from './probe';
export * from './peer-matching';
export * from './infer-cluster';
