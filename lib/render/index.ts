export * from './policy-object';
export * from './synth';
