/**
 * Label selectors: `matchLabels` and `matchExpressions`, combined with AND. An empty selector
 * selects everything.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import { NetpolError, Issue } from './errors';
import { labelKeyErrors, labelValueErrors } from './names';
import { describeValue, isPlainObject, refuse } from './private/args';

const SELECTOR_BRAND = Symbol.for('cdk8s-netpol.LabelSelector');

/**
 * Labels of a pod or namespace: key to value. A plain string map, so that every language
 * jsii targets can pass one; the values the library keeps are frozen copies.
 */
export type Labels = { [key: string]: string };

/** Set-based selector operators; the values are the API's spellings. */
export enum SelectorOperator {
  /** The label is present with one of the values. */
  IN = 'In',
  /** The label is absent, or present with none of the values. */
  NOT_IN = 'NotIn',
  /** The label is present, with any value. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One `matchExpressions` entry. */
export interface SelectorExpression {
  /** The label key. */
  readonly key: string;
  /** How the label's value is matched. */
  readonly operator: SelectorOperator;
  /**
   * The values to match: required (non-empty) for In/NotIn, absent for Exists/DoesNotExist.
   * @default - none
   */
  readonly values?: string[];
}

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * A label selector. Immutable; build with `LabelSelector.of(...)`, `LabelSelector.all()`.
 *
 * @example
 * LabelSelector.of({ app: 'web' }).matches({ app: 'web', tier: 'front' }); // true
 */
export class LabelSelector {
  /** Brand check that works across copies of the library. */
  public static isLabelSelector(x: unknown): x is LabelSelector {
    return typeof x === 'object' && x !== null && (x as any)[SELECTOR_BRAND] === true;
  }

  /** Selects everything (`{}`). */
  public static all(): LabelSelector {
    return EMPTY;
  }

  /** Selects by labels and, optionally, expressions. Checks label syntax and operators. */
  public static of(matchLabels: Labels, matchExpressions: SelectorExpression[] = []): LabelSelector {
    // a missing argument is refused rather than read as {}, which would select everything
    if (!isPlainObject(matchLabels)) {
      refuse('LabelSelector.of', 'matchLabels', "labels such as { app: 'web' } (LabelSelector.all() selects everything)", matchLabels);
    }
    const given: unknown = matchExpressions;
    if (!Array.isArray(given)) refuse('LabelSelector.of', 'matchExpressions', 'an array of expressions', given);
    matchExpressions.forEach((expression, i) => {
      const field = `matchExpressions[${i}]`;
      const x: unknown = expression;
      if (!isPlainObject(x))
        refuse('LabelSelector.of', field, "an expression such as { key: 'tier', operator: SelectorOperator.IN, values: ['web'] }", x);
      if (typeof x.key !== 'string') refuse('LabelSelector.of', `${field}.key`, 'a label key', x.key);
      if (typeof x.operator !== 'string') refuse('LabelSelector.of', `${field}.operator`, 'a SelectorOperator', x.operator);
      if (x.values !== undefined && (!Array.isArray(x.values) || x.values.some((v: unknown) => typeof v !== 'string'))) {
        refuse('LabelSelector.of', `${field}.values`, 'an array of label values (strings)', x.values);
      }
    });
    const issues: Issue[] = [];
    for (const [k, v] of Object.entries(matchLabels)) {
      for (const e of labelKeyErrors(k))
        issues.push({ code: 'label.key', path: 'matchLabels', message: `label key "${k}" is invalid: ${e}` });
      if (typeof v !== 'string') {
        issues.push({
          code: 'label.value',
          path: 'matchLabels',
          message: `label "${k}" has the value ${valueText(v)}; label values are strings (quote numbers and booleans in YAML)`,
        });
        continue;
      }
      for (const e of labelValueErrors(v))
        issues.push({ code: 'label.value', path: 'matchLabels', message: `label value "${v}" of "${k}" is invalid: ${e}` });
    }
    matchExpressions.forEach((x, i) => {
      const path = `matchExpressions[${i}]`;
      for (const e of labelKeyErrors(x.key))
        issues.push({ code: 'label.key', path: `${path}.key`, message: `label key "${x.key}" is invalid: ${e}` });
      const values = x.values ?? [];
      if (x.operator === SelectorOperator.IN || x.operator === SelectorOperator.NOT_IN) {
        if (values.length === 0)
          issues.push({ code: 'selector.values', path: `${path}.values`, message: `operator ${x.operator} needs at least one value` });
        values.forEach((v, j) => {
          for (const e of labelValueErrors(v))
            issues.push({ code: 'label.value', path: `${path}.values[${j}]`, message: `value "${v}" is invalid: ${e}` });
        });
      } else if (x.operator === SelectorOperator.EXISTS || x.operator === SelectorOperator.DOES_NOT_EXIST) {
        if (values.length > 0)
          issues.push({ code: 'selector.values', path: `${path}.values`, message: `operator ${x.operator} takes no values; remove them` });
      } else {
        issues.push({
          code: 'selector.operator',
          path: `${path}.operator`,
          message: `operator "${x.operator}" is not valid; use In, NotIn, Exists or DoesNotExist (case-sensitive)`,
        });
      }
    });
    if (issues.length > 0) throw new NetpolError(issues);
    const labels = Object.fromEntries(Object.entries(matchLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const exprs = matchExpressions.map((x) =>
      Object.freeze({ key: x.key, operator: x.operator, ...(x.values ? { values: Object.freeze([...x.values]) as string[] } : {}) }),
    );
    return new LabelSelector(Object.freeze(labels), Object.freeze(exprs) as SelectorExpression[]);
  }

  /** Selects the namespace with this name, through its `kubernetes.io/metadata.name` label. */
  public static namespaceName(name: string): LabelSelector {
    return LabelSelector.of({ [NAMESPACE_NAME_LABEL]: name });
  }

  private constructor(
    /** The labels a match must carry, sorted by key. Frozen: the selector never changes. */
    public readonly matchLabels: Labels,
    /** The expressions a match must satisfy, in the given order. Frozen, like each expression. */
    public readonly matchExpressions: SelectorExpression[],
  ) {
    Object.defineProperty(this, SELECTOR_BRAND, { value: true });
  }

  /** True for `{}`, which selects everything. */
  public get isEmpty(): boolean {
    return Object.keys(this.matchLabels).length === 0 && this.matchExpressions.length === 0;
  }

  /** True if the labels satisfy every matchLabels entry and every expression. */
  public matches(labels: Labels): boolean {
    for (const [k, v] of Object.entries(this.matchLabels)) {
      if (labels[k] !== v) return false;
    }
    for (const x of this.matchExpressions) {
      const has = Object.prototype.hasOwnProperty.call(labels, x.key);
      const values = x.values ?? [];
      switch (x.operator) {
        case SelectorOperator.IN:
          if (!has || !values.includes(labels[x.key])) return false;
          break;
        case SelectorOperator.NOT_IN:
          if (has && values.includes(labels[x.key])) return false;
          break;
        case SelectorOperator.EXISTS:
          if (!has) return false;
          break;
        case SelectorOperator.DOES_NOT_EXIST:
          if (has) return false;
          break;
      }
    }
    return true;
  }

  /** If the selector only pins `kubernetes.io/metadata.name`, that name. */
  public get namespaceNameOnly(): string | undefined {
    const keys = Object.keys(this.matchLabels);
    return keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL && this.matchExpressions.length === 0
      ? this.matchLabels[NAMESPACE_NAME_LABEL]
      : undefined;
  }

  /**
   * The Kubernetes JSON form; `{}` when empty.
   * TypeScript only: the manifests are written by the library itself.
   * @jsii ignore
   */
  public toJson(): { matchLabels?: Record<string, string>; matchExpressions?: SelectorExpression[] } {
    const out: { matchLabels?: Record<string, string>; matchExpressions?: SelectorExpression[] } = {};
    if (Object.keys(this.matchLabels).length > 0) out.matchLabels = { ...this.matchLabels };
    if (this.matchExpressions.length > 0)
      out.matchExpressions = this.matchExpressions.map((x) => ({ ...x, ...(x.values ? { values: [...x.values] } : {}) }));
    return out;
  }

  /** True if both select by the same labels and expressions (label order does not count). */
  public isEqualTo(other: LabelSelector): boolean {
    return this.toString() === other.toString();
  }

  /**
   * @deprecated use `isEqualTo`, which every language jsii targets can call
   * @jsii ignore
   */
  public equals(other: LabelSelector): boolean {
    return this.isEqualTo(other);
  }

  /** `app=web,tier in (a,b),!legacy`, or `*` for the empty selector. */
  public toString(): string {
    if (this.isEmpty) return '*';
    const parts = Object.entries(this.matchLabels).map(([k, v]) => `${k}=${v}`);
    for (const x of this.matchExpressions) {
      switch (x.operator) {
        case SelectorOperator.IN:
          parts.push(`${x.key} in (${(x.values ?? []).join(',')})`);
          break;
        case SelectorOperator.NOT_IN:
          parts.push(`${x.key} notin (${(x.values ?? []).join(',')})`);
          break;
        case SelectorOperator.EXISTS:
          parts.push(x.key);
          break;
        case SelectorOperator.DOES_NOT_EXIST:
          parts.push(`!${x.key}`);
          break;
      }
    }
    return parts.join(',');
  }
}

const EMPTY = LabelSelector.of({});

/** A label value that is not a string, as the user wrote it (`3`, `true`), or described. */
function valueText(v: unknown): string {
  try {
    const json = typeof v === 'bigint' ? undefined : JSON.stringify(v);
    if (json !== undefined && json.length <= 60) return json;
  } catch {
    // a value JSON cannot show (a cycle, a BigInt inside): described instead
  }
  return describeValue(v);
}
