/**
 * `cdk8s-netpol/plugin`: `netpol lint` as a cdk8s validation plugin. The cdk8s CLI loads it
 * by file path (`package: ./node_modules/cdk8s-netpol/build/lib/api/plugin.js` in
 * `cdk8s.yaml`) and constructs the class named by `class:`.
 */

export { NetpolLintValidation } from '../check/plugin/netpol-lint-validation';
export type {
  NetpolLintValidationProps,
  ValidationContextLike,
  ViolatingResource,
  Violation,
} from '../check/plugin/netpol-lint-validation';
