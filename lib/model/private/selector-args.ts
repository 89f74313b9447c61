/** Argument handling shared by the value factories that take labels or selectors. */
import { NetpolError } from '../errors';
import { dns1123LabelErrors } from '../names';
import { LabelSelector, Labels } from '../selector';

/** A selector from labels, or the selector itself. */
export function toSelector(s: Labels | LabelSelector): LabelSelector {
  return s instanceof LabelSelector ? s : LabelSelector.of(s);
}

/** Throws when `name` is no namespace name. */
export function checkNamespaceName(name: string): void {
  const errs = dns1123LabelErrors(name);
  if (errs.length > 0) throw NetpolError.ofValue('namespace.name', `namespace name "${name}" is invalid: ${errs.join('; ')}`);
}
