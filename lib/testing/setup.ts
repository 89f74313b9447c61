/**
 * Registers the flow matchers (`toAllow`, `toDeny`, `toAllowExactly`) with jest when loaded.
 * List it in the jest configuration:
 *
 *   setupFilesAfterEnv: ['cdk8s-netpol/testing/setup']
 *
 * or import it at the top of a test file, which also brings the matchers' types.
 */
import { installNetpolMatchers } from './matchers';

// Re-exported so that the declarations of this module load the matchers' `jest.Matchers` types.
export type { FlowQuery } from './matchers';

installNetpolMatchers();
