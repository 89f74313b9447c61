/**
 * `cdk8s-netpol/synth`: synthesizing one App per environment into `dist/<env>/`, all or
 * nothing, and loading the environments to give it.
 */

export { synthEnvironments } from '../constructs/environments';
export type { SynthEnvironmentsOptions, SynthFinding, SynthResult } from '../constructs/environments';
export { loadEnvironments } from '../env/load-all';
export { DEFAULT_DNS } from '../env/settings';
export { DEFAULT_TERRAFORM_OUTPUT } from '../env/terraform';
export { DEFAULT_CONFIGMAP_KEY } from '../env/configmap';
