export * from './policy-object';
export * from './synth';
export * from './cluster-policy-object';
