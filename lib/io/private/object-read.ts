/**
 * What the readers of one Kubernetes object share: the location that names the object in
 * messages, its warnings, and the issues found while reading it, thrown together at the end.
 */
import { IssueCollector } from '../../model/errors';
import { Origin } from '../../model/policy';

/** The reading of one object under way. */
export interface ObjectRead {
  /** How messages name the object (`netpols.yaml#2`), if known. */
  readonly location?: string;
  /** Reports a warning about the object, prefixed by its location. */
  readonly warn: (message: string) => void;
  /** The problems found so far. */
  readonly issues: IssueCollector;
}

/** Where a read object is named from, and who hears its warnings. */
export interface ObjectReadOptions {
  /** How messages name the object. @default - `<origin.where>#<origin.doc>` */
  readonly location?: string;
  /** Called with each warning. @default - none */
  readonly onWarning?: (message: string) => void;
}

/** Starts reading the object found at `origin`. */
export function startRead(origin: Origin | undefined, options: ObjectReadOptions): ObjectRead {
  const location = options.location ?? locationOf(origin);
  return {
    location,
    warn: (m) => options.onWarning?.(location ? `${location}: ${m}` : m),
    issues: new IssueCollector(),
  };
}

/** `file#doc`, or the file alone when the document is not known. */
export function locationOf(origin?: Origin): string | undefined {
  return origin ? (origin.doc !== undefined ? `${origin.where}#${origin.doc}` : origin.where) : undefined;
}

/** The fields every read model object carries besides its own: its labels, annotations and origin. */
export interface ReadCommon {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly origin?: Origin;
}

/**
 * Ends reading one object: `make` builds the model value from what was read, given the fields
 * common to every object. The issues `make` raises are placed under `path`; every issue found
 * is thrown at the object's location.
 */
export function finishRead<T>(
  read: ObjectRead,
  path: string,
  common: { readonly labels: Record<string, string>; readonly annotations: Record<string, string>; readonly origin?: Origin },
  make: (common: ReadCommon) => T,
): T {
  const { labels, annotations, origin } = common;
  const value = read.issues.collect(path, () => make({ labels, annotations, ...(origin ? { origin } : {}) }));
  read.issues.throwIfAny(read.location);
  return value!;
}
