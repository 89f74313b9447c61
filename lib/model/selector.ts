/**
 * Label selectors: `matchLabels` and `matchExpressions`, combined with AND. An empty selector
 * selects everything.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import { NetpolError, Issue } from './errors';
import { labelKeyErrors, labelValueErrors } from './names';
import { describeValue, isPlainObject, refuse } from './private/args';
import { addBrand, hasBrand } from './brand';

const SELECTOR_BRAND = Symbol.for('cdk8s-netpol.LabelSelector');
/** The expressions of every selector without any. */
const NO_EXPRESSIONS = Object.freeze([]) as unknown as SelectorExpression[];

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
    return hasBrand(x, SELECTOR_BRAND);
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
    // most selectors have no expressions: they share one frozen empty list
    return new LabelSelector(Object.freeze(labels), exprs.length === 0 ? NO_EXPRESSIONS : (Object.freeze(exprs) as SelectorExpression[]));
  }

  /**
   * Reads a selector as `toString()` writes it: `*`, or requirements separated by commas:
   * `key=value`, `key in (a,b)`, `key notin (a,b)`, `key` (exists), `!key` (does not exist).
   * Throws `NetpolError` for text in another form, or labels the API server refuses.
   *
   * @example
   * LabelSelector.parse('app=web,tier in (a,b)').matches({ app: 'web', tier: 'b' }); // true
   */
  public static parse(text: string): LabelSelector {
    const t = text.trim();
    if (t === '*') return EMPTY;
    const labels: Record<string, string> = {};
    const exprs: SelectorExpression[] = [];
    for (const part of t.match(/[^,(]+(\([^)]*\))?/g) ?? []) {
      const p = part.trim();
      if (p === '') continue;
      let m: RegExpExecArray | null;
      if ((m = /^([^=!\s]+)\s*=\s*(\S*)$/.exec(p))) labels[m[1]] = m[2];
      else if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p)))
        exprs.push({
          key: m[1],
          operator: m[2] === 'in' ? SelectorOperator.IN : SelectorOperator.NOT_IN,
          values: m[3].split(',').map((v) => v.trim()),
        });
      else if ((m = /^!(\S+)$/.exec(p))) exprs.push({ key: m[1], operator: SelectorOperator.DOES_NOT_EXIST });
      else if ((m = /^([^\s=!]+)$/.exec(p))) exprs.push({ key: m[1], operator: SelectorOperator.EXISTS });
      else {
        throw NetpolError.ofValue(
          'selector.syntax',
          `"${p}" in "${t}" is not a label requirement; write key=value, key in (a,b), key notin (a,b), key or !key`,
        );
      }
    }
    if (Object.keys(labels).length === 0 && exprs.length === 0) {
      throw NetpolError.ofValue(
        'selector.syntax',
        `"${t}" is not a selector; write "*" for every label set, or requirements such as app=web`,
      );
    }
    return LabelSelector.of(labels, exprs);
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
  ) {}

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

/**
 * At most this many label sets stand for one selector in `LabelSelector.cases`: as many that it
 * matches, and as many that only one of its `NotIn` values keeps out. A selector whose `In`
 * lists name more values than that has its further values (and combinations) unrepresented.
 */
export const MAX_LABEL_SETS = 16;

/** One kind of pods that a selector tells apart from others (see `LabelSelector.cases`). */
export interface SelectorCase {
  /** Labels that pods of this kind carry. */
  readonly labels: Labels;
  /**
   * The selector of exactly this kind of pods: the given selector with the values of its `In`
   * expressions (and, for a case it keeps out, the `NotIn` value) pinned, e.g. `tier=api` for
   * the second case of `tier in (web,api)`.
   */
  readonly selector: LabelSelector;
  /** True if the given selector matches `labels`; false for labels that a `NotIn` value keeps out. */
  readonly matches: boolean;
}

/**
 * The selector that matches what every one of `selectors` matches (their requirements
 * combined with AND). Two different values for one label key are kept as `In` expressions,
 * so that the result matches nothing rather than failing.
 */
export function allOfSelectors(selectors: readonly LabelSelector[]): LabelSelector {
  const labels: Record<string, string> = {};
  const exprs: SelectorExpression[] = [];
  for (const s of selectors) {
    for (const [k, v] of Object.entries(s.matchLabels)) {
      if (labels[k] === undefined || labels[k] === v) labels[k] = v;
      else exprs.push({ key: k, operator: SelectorOperator.IN, values: [v] });
    }
    exprs.push(...s.matchExpressions);
  }
  return LabelSelector.of(labels, exprs);
}

/**
 * The kinds of pods (or namespaces) a selector tells apart, so that an analysis over made-up
 * pods sees every value the selector names: first the label sets it matches, one for every
 * value of every `In` expression (its matchLabels, the value `any` for `Exists`; several `In`
 * expressions combine as a product, the values of each all covered first), then the label sets
 * that one `NotIn` value keeps out (the first matching set with that value), so that widening
 * or narrowing a `NotIn` list changes what some set is allowed. At most `MAX_LABEL_SETS` of
 * each; none that match when no label set can (e.g. `In` and `DoesNotExist` on one key).
 *
 * @example
 * selectorCases(LabelSelector.of({}, [{ key: 'tier', operator: SelectorOperator.IN, values: ['web', 'api'] }])).map((c) => c.labels);
 * // [{ tier: 'web' }, { tier: 'api' }]
 */
export function selectorCases(selector: LabelSelector): SelectorCase[] {
  let cases = CASES.get(selector);
  if (!cases) CASES.set(selector, (cases = computeCases(selector)));
  return cases;
}

function computeCases(selector: LabelSelector): SelectorCase[] {
  const { fixed, pinned, free } = caseLabels(selector);
  const keys = [...pinned.keys()];
  const combos = valueCombinations(keys.map((k) => pinned.get(k)!));
  const out: SelectorCase[] = [];
  const freeKeys = Object.keys(free);
  for (const combo of combos) {
    const labels: Record<string, string> = { ...fixed };
    keys.forEach((k, i) => (labels[k] = combo[i]));
    Object.assign(labels, free);
    if (selector.matches(labels)) out.push({ labels, selector: narrowToCase(selector, labels, freeKeys), matches: true });
  }
  if (out.length === 0) return out;
  return [...out, ...keptOutCases(selector, { fixed, pinned, free }, out[0].labels)];
}

/** The label values a selector's cases are built from. */
interface CaseLabels {
  /** The selector's matchLabels, in every case. */
  readonly fixed: Record<string, string>;
  /** The values each `In` key can take (all `In` lists on the key at once, none that a `NotIn` excludes). */
  readonly pinned: Map<string, string[]>;
  /** One value for each `Exists` key that nothing else pins, which no `NotIn` excludes. */
  readonly free: Record<string, string>;
}

function caseLabels(selector: LabelSelector): CaseLabels {
  const fixed: Record<string, string> = { ...selector.matchLabels };
  const pinned = new Map<string, string[]>();
  for (const x of selector.matchExpressions) {
    if (x.operator !== SelectorOperator.IN || hasOwn(fixed, x.key)) continue;
    const prev = pinned.get(x.key);
    pinned.set(x.key, prev ? prev.filter((v) => x.values!.includes(v)) : [...new Set(x.values)]);
  }
  const excluded = (key: string, value: string) =>
    selector.matchExpressions.some((x) => x.key === key && x.operator === SelectorOperator.NOT_IN && x.values!.includes(value));
  for (const [key, values] of pinned)
    pinned.set(
      key,
      values.filter((v) => !excluded(key, v)),
    );
  const free: Record<string, string> = {};
  for (const x of selector.matchExpressions) {
    if (x.operator !== SelectorOperator.EXISTS || hasOwn(fixed, x.key) || pinned.has(x.key) || hasOwn(free, x.key)) continue;
    let value = 'any';
    for (let i = 2; excluded(x.key, value); i++) value = `any-${i}`;
    free[x.key] = value;
  }
  return { fixed, pinned, free };
}

/** The selector of one case: its pinned labels, and the expressions on the other keys. */
function narrowToCase(selector: LabelSelector, labels: Labels, exists: readonly string[]): LabelSelector {
  const exprs = selector.matchExpressions.filter((x) => !hasOwn(labels, x.key) || exists.includes(x.key));
  const shown = Object.fromEntries(Object.entries(labels).filter(([k]) => !exists.includes(k)));
  return LabelSelector.of(
    shown,
    exprs.filter(
      (x, i) =>
        x.operator !== SelectorOperator.EXISTS || exprs.findIndex((y) => y.operator === SelectorOperator.EXISTS && y.key === x.key) === i,
    ),
  );
}

/**
 * One value from each list, every value of every list covered first, then the rest of the
 * product in order; at most `MAX_LABEL_SETS`, none when a list is empty.
 */
function valueCombinations(lists: readonly string[][]): string[][] {
  const combos: string[][] = [];
  const seen = new Set<string>();
  const push = (combo: string[]) => {
    const id = JSON.stringify(combo);
    if (combos.length < MAX_LABEL_SETS && !seen.has(id)) {
      seen.add(id);
      combos.push(combo);
    }
  };
  if (lists.every((l) => l.length > 0)) {
    const widest = Math.max(1, ...lists.map((l) => l.length));
    for (let i = 0; i < widest; i++) push(lists.map((l) => l[i % l.length]));
    const walk = (k: number, prefix: string[]) => {
      if (combos.length >= MAX_LABEL_SETS) return;
      if (k === lists.length) return push(prefix);
      for (const v of lists[k]) walk(k + 1, [...prefix, v]);
    };
    walk(0, []);
  }
  return combos;
}

/** The label sets, each `base` with one `NotIn` value, that the selector keeps out. */
function keptOutCases(selector: LabelSelector, { fixed, pinned, free }: CaseLabels, base: Labels): SelectorCase[] {
  const freeKeys = Object.keys(free);
  const keptOut: SelectorCase[] = [];
  for (const x of selector.matchExpressions) {
    if (x.operator !== SelectorOperator.NOT_IN || hasOwn(fixed, x.key) || pinned.has(x.key)) continue;
    for (const value of x.values!) {
      const labels = { ...base, [x.key]: value };
      if (keptOut.length >= MAX_LABEL_SETS || keptOut.some((c) => JSON.stringify(c.labels) === JSON.stringify(labels))) continue;
      if (
        selector.matches(labels) ||
        selector.matchExpressions.some((y) => y.key === x.key && y.operator === SelectorOperator.DOES_NOT_EXIST)
      )
        continue;
      keptOut.push({
        labels,
        selector: narrowToCase(
          selector,
          labels,
          freeKeys.filter((k) => k !== x.key),
        ),
        matches: false,
      });
    }
  }
  return keptOut;
}

/**
 * Labels that satisfy the selector: its matchLabels, the first value of each `In`, the value
 * `any` for each `Exists` (the first of `selectorCases`). Undefined when no label set can (e.g.
 * `In` and `DoesNotExist` on one key).
 */
export function representativeLabels(selector: LabelSelector): Labels | undefined {
  return selectorCases(selector)[0]?.labels;
}

/** The cases of each selector, computed once (kept out of the object, which stays plain data). */
const CASES = new WeakMap<LabelSelector, SelectorCase[]>();

// on the prototype: defined once for every instance instead of on each one
addBrand(LabelSelector.prototype, SELECTOR_BRAND);

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

/** An own property: a label key such as `constructor` or `toString` is a key like any other. */
function hasOwn(labels: Readonly<Record<string, string>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}
