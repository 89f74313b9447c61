/**
 * Turning value errors inside a construct into validation errors, so that `cdk8s synth` (and
 * `Testing.synth`) report every problem of the app at once, each with its construct path.
 */
import { IConstruct } from 'constructs';
import { joinPath, NetpolError } from '../../model/errors';

/**
 * Runs `fn`; if it throws a `NetpolError`, records its issues as validation errors of `scope`
 * (prefixed by `field`) and returns undefined.
 * @internal
 */
export function deferErrors<T>(scope: IConstruct, field: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!NetpolError.isNetpolError(e)) throw e;
    const messages = e.issues.map((i) => `${joinPath(field, i.path)}: ${i.message}`);
    scope.node.addValidation({ validate: () => messages });
    return undefined;
  }
}
