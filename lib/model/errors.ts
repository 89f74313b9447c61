/**
 * The one error type of cdk8s-netpol. Every check in the project reports through it, so that
 * callers (constructs, environment loaders, the CLI) can show the same three things: where the
 * value came from, what was wrong with it, and how to fix it.
 */
import { addBrand, hasBrand } from './brand';

/** One problem found in one value. */
export interface Issue {
  /** A stable, machine-readable code, e.g. `cidr.mask-missing`. */
  readonly code: string;
  /** Field path in the API server's form, e.g. `spec.ingress[0].ports[0].endPort`; empty for the value itself. */
  readonly path: string;
  /** One sentence: what is wrong, quoting the value, and what to do instead. */
  readonly message: string;
  /**
   * The option of the library call that the message offers as a way out (`skipInvalid`), named
   * in the message as it is; a command line shows its own flag for it instead.
   * @default - the message names no option
   */
  readonly option?: string;
}

/**
 * Thrown when a value breaks a rule. Carries every issue found, not only the first.
 *
 * `message` is the issues joined as `<path>: <message>` lines, prefixed by `where` when known
 * (a construct path, or `file#doc`).
 */
export class NetpolError extends Error {
  /** Brand check that works across copies of the library. */
  public static isNetpolError(x: unknown): x is NetpolError {
    return hasBrand(x, BRAND);
  }

  /**
   * An error with one issue at the field `path` (`spec.ingress[0].ports[0].endPort`). An error
   * about a value that does not know its field is `ofValue`; one about a whole file or construct
   * is `about` (eslint refuses an empty `path` here).
   */
  public static of(code: string, path: string, message: string): NetpolError {
    return new NetpolError([{ code, path, message }]);
  }

  /**
   * An error about a value as a whole (`"10.0.0.0" is not a valid CIDR`), raised where the value
   * is checked, which does not know the field it came from. The message quotes the value. The
   * code that knows the field places the error there, and every reader and construct does:
   * `under(field)`, `IssueCollector.collect(field, ...)`, or in a construct
   * `deferErrors(scope, field, ...)`. A value that a program passes to a public function
   * directly is that call's argument, and the error is thrown at the call.
   */
  public static ofValue(code: string, message: string): NetpolError {
    return new NetpolError([{ code, path: '', message }]);
  }

  /**
   * An error about a whole input that has no field: a file that cannot be read or is too large
   * (`where` is the file, or `file:line`), or a construct that cannot be rendered or used (its
   * path). The message starts with `where:`, so that it keeps naming its input when the issues
   * of many files are thrown together.
   */
  public static about(where: string, code: string, message: string): NetpolError {
    return new NetpolError([{ code, path: '', message: `${where}: ${message}` }]);
  }

  public readonly issues: readonly Issue[];

  constructor(
    issues: readonly Issue[],
    public readonly where?: string,
  ) {
    super(formatIssues(issues, where));
    this.issues = issues;
    this.name = 'NetpolError';
    addBrand(this, BRAND);
  }

  /** The first issue's code. */
  public get code(): string {
    return this.issues[0]?.code ?? 'unknown';
  }

  /** The same issues with a field-path prefix added (`spec.ingress[0]` + `ports[0]`). */
  public under(prefix: string): NetpolError {
    return new NetpolError(
      this.issues.map((i) => ({ ...i, path: joinPath(prefix, i.path) })),
      this.where,
    );
  }

  /** The same issues, located at `where` (a construct path or a file). */
  public at(where: string): NetpolError {
    return new NetpolError(this.issues, where);
  }
}

const BRAND = Symbol.for('cdk8s-netpol.NetpolError');

/** Joins two field-path parts: `a` + `b` = `a.b`, `a` + `[0]` = `a[0]`. */
export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}

function formatIssues(issues: readonly Issue[], where?: string): string {
  const lines = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const body = lines.join('\n');
  if (!where) return body;
  return lines.length === 1 ? `${where}: ${body}` : `${where}:\n${lines.map((l) => `  ${l}`).join('\n')}`;
}

/**
 * Collects issues while checking a value, then throws them all at once.
 * @internal
 */
export class IssueCollector {
  public readonly issues: Issue[] = [];

  public add(code: string, path: string, message: string): void {
    this.issues.push({ code, path, message });
  }

  /** Runs `fn`; a `NetpolError` it throws becomes issues under `prefix`. Returns `fn`'s value or undefined. */
  public collect<T>(prefix: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!NetpolError.isNetpolError(e)) throw e;
      for (const i of e.issues) this.issues.push({ ...i, path: joinPath(prefix, i.path) });
      return undefined;
    }
  }

  public throwIfAny(where?: string): void {
    if (this.issues.length > 0) throw new NetpolError(this.issues, where);
  }
}
