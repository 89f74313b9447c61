export * from './settings';
export * from './environment';
export { DEFAULT_TERRAFORM_OUTPUT } from './terraform';
export type { TerraformOptions } from './terraform';
export { DEFAULT_CONFIGMAP_KEY } from './configmap';
export type { ConfigMapOptions } from './configmap';
export * from './load-all';
