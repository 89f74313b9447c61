/**
 * Validating a custom resource against its CRD's structural schema and CEL rules, with the API
 * server's messages. Follows these public sources (behaviour only, no code copied):
 *
 * - kubernetes/kube-openapi pkg/validation/validate (schema.go, type.go, object_validator.go,
 *   slice_validator.go, validator.go): which checks run on which values, in which order, and
 *   pkg/validation/errors/schema.go for their wording (`<path> in body should ...`).
 * - kubernetes/kubernetes staging/src/k8s.io/apiextensions-apiserver/pkg/apiserver/validation/validation.go
 *   (kubeOpenAPIResultToFieldErrors): how those become field errors (`Required value`,
 *   `Unsupported value`, `Too long`, `Too many`, `Invalid value`).
 * - .../apiextensions-apiserver/pkg/apiserver/schema/listtype/validation.go: `Duplicate value`
 *   for `x-kubernetes-list-type: set`.
 * - .../apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go: a failed rule is
 *   `Invalid value` with the rule's message, the value omitted for objects and arrays.
 * - staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go: how each error prints.
 *
 * Two deliberate differences: null fields are treated as absent (the server prunes them before
 * validating), unknown fields are reported in our words with the allowed ones (the server prunes
 * them, or with strict field validation refuses them with `unknown field`), and CEL rules run
 * even when a schema error elsewhere would make the server skip them ("some validation rules
 * were not checked"), so that one run shows every problem.
 */
import { goQuote, Report } from './report';
import { checkFields, isMap, Shape } from './structure';

/** A CEL rule of the CRD, as a predicate on the value it is declared on. */
export interface CelRule {
  /** The rule's `message`. */
  readonly message: string;
  /** The rule's result; undefined when the value is not of the shape the rule reads (not evaluated). */
  readonly holds: (self: unknown) => boolean | undefined;
}

/** One node of a structural schema: the parts the CRDs we validate use. */
export interface SchemaNode {
  readonly type: 'object' | 'array' | 'string' | 'integer';
  /** Properties, in the order their errors are reported (the API's order). */
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  /** The schema of map values (`matchLabels`). */
  readonly additionalProperties?: SchemaNode;
  readonly items?: SchemaNode;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly maxLength?: number;
  /** An ECMAScript pattern, as the CRD writes it. */
  readonly pattern?: string;
  /** `x-kubernetes-list-type: set`. */
  readonly listSet?: boolean;
  readonly rules?: readonly CelRule[];
  /** Advice for unknown fields that belong elsewhere. */
  readonly misplaced?: Readonly<Record<string, string>>;
  /** Called on a value that passed the schema, for checks beyond it (selectors implementations must read). */
  readonly extra?: (r: Report, path: string, value: unknown) => void;
}

/**
 * Validates `value` at `path` against `schema`, adding the API server's issues to `r`. Returns
 * true if it found nothing to report at or below `path`.
 */
export function validateSchema(r: Report, path: string, value: unknown, schema: SchemaNode): boolean {
  const before = r.issues.length;
  walk(r, path, value, schema);
  return r.issues.length === before;
}

function walk(r: Report, path: string, value: unknown, schema: SchemaNode): void {
  const before = r.issues.length;
  const actual = jsonType(value);
  const typeOk = actual === schema.type;
  if (!typeOk) {
    r.add(
      'field.type-invalid',
      path,
      `Invalid value: ${goQuote(actual)}: ${path} in body must be of type ${schema.type}: ${goQuote(actual)}`,
    );
  }
  if (typeOk) {
    switch (schema.type) {
      case 'string':
        stringChecks(r, path, value as string, schema);
        break;
      case 'integer':
        numberChecks(r, path, value as number, schema);
        break;
      case 'array':
        arrayChecks(r, path, value as unknown[], schema);
        break;
      case 'object':
        objectChecks(r, path, value as Record<string, unknown>, schema);
        break;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    r.add('field.not-supported', path, `Unsupported value: ${printValue(value)}: supported values: ${schema.enum.map(goQuote).join(', ')}`);
  }
  if (!typeOk) return;
  for (const rule of schema.rules ?? []) {
    if (rule.holds(value) !== false) continue;
    const shown = schema.type === 'object' || schema.type === 'array' ? '' : `${printValue(value)}: `;
    r.add('field.invalid', path, `Invalid value: ${shown}${rule.message}`);
  }
  if (r.issues.length === before) schema.extra?.(r, path, value);
}

function stringChecks(r: Report, path: string, value: string, schema: SchemaNode): void {
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
    r.add('field.too-long', path, `Too long: may not be more than ${schema.maxLength} bytes`);
    return;
  }
  if (schema.pattern !== undefined && !patternOf(schema.pattern).test(value)) {
    r.add('field.invalid', path, `Invalid value: ${goQuote(value)}: ${path} in body should match '${schema.pattern}'`);
  }
}

const PATTERNS = new Map<string, RegExp>();

function patternOf(pattern: string): RegExp {
  let re = PATTERNS.get(pattern);
  if (!re) PATTERNS.set(pattern, (re = new RegExp(pattern)));
  return re;
}

function numberChecks(r: Report, path: string, value: number, schema: SchemaNode): void {
  if (schema.maximum !== undefined && value > schema.maximum) {
    r.add('field.invalid', path, `Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}`);
  }
  if (schema.minimum !== undefined && value < schema.minimum) {
    r.add('field.invalid', path, `Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}`);
  }
}

function arrayChecks(r: Report, path: string, value: unknown[], schema: SchemaNode): void {
  if (schema.items) value.forEach((item, i) => walk(r, `${path}[${i}]`, item, schema.items!));
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    r.add('field.invalid', path, `Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items`);
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    r.add('field.too-many', path, `Too many: ${value.length}: must have at most ${schema.maxItems} items`);
  }
  if (schema.listSet) {
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) r.add('field.duplicate', `${path}[${i}]`, `Duplicate value: ${printValue(item)}`);
      seen.add(key);
    });
  }
}

/** What `objectChecks` needs of a schema node, worked out once per node. */
interface ObjectShape {
  readonly shape?: Shape;
  readonly entries: ReadonlyArray<readonly [string, SchemaNode]>;
}

const SHAPES = new WeakMap<SchemaNode, ObjectShape>();

function objectShape(schema: SchemaNode): ObjectShape {
  let s = SHAPES.get(schema);
  if (!s) {
    const entries = Object.entries(schema.properties ?? {});
    s = { entries, ...(schema.properties ? { shape: { fields: entries.map(([k]) => k), misplaced: schema.misplaced } } : {}) };
    SHAPES.set(schema, s);
  }
  return s;
}

function objectChecks(r: Report, path: string, value: Record<string, unknown>, schema: SchemaNode): void {
  const { shape, entries } = objectShape(schema);
  // the server prunes null fields and (without strict field validation) unknown ones first
  if (shape) checkFields(r, path, value, shape);
  let present = 0;
  for (const k of Object.keys(value)) {
    if (value[k] !== null && value[k] !== undefined && (!shape || schema.properties![k] !== undefined)) present++;
  }
  if (schema.minProperties !== undefined && present < schema.minProperties) {
    r.add('field.invalid', path, `Invalid value: ${present}: ${path} in body should have at least ${schema.minProperties} properties`);
    return;
  }
  if (schema.maxProperties !== undefined && present > schema.maxProperties) {
    r.add('field.too-many', path, `Too many: ${present}: must have at most ${schema.maxProperties} items`);
    return;
  }
  for (const [k, s] of entries) {
    const v = value[k];
    if (v !== null && v !== undefined) walk(r, childPath(path, k), v, s);
  }
  if (schema.additionalProperties) {
    for (const k of Object.keys(value).sort()) {
      if (value[k] !== null && value[k] !== undefined) walk(r, childPath(path, k), value[k], schema.additionalProperties);
    }
  }
  for (const k of schema.required ?? []) {
    if (value[k] === null || value[k] === undefined) r.add('field.required', childPath(path, k), 'Required value');
  }
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** The JSON type of a value as the schema validator names it. */
function jsonType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return isMap(value) ? 'object' : typeof value;
}

/** A bad value as the server prints it: strings quoted, numbers and booleans plain, the rest by type. */
function printValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return goQuote(jsonType(value));
}
