export * from './documents';
export * from './policy-reader';
export * from './workload-reader';
export * from './manifests';
export * from './cluster-policy-reader';
