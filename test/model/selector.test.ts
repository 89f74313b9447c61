import * as fc from 'fast-check';
import { Labels, LabelSelector, NAMESPACE_NAME_LABEL, SelectorExpression, SelectorOperator } from '../../lib/model';
import { issuesOf } from './caught';

const NAME_PART_REGEX =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')";
const VALUE_REGEX =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')";

describe('LabelSelector.matches', () => {
  const pod = { app: 'web', tier: 'front', env: 'prod' };

  test('an empty selector matches every label set, even none', () => {
    expect(LabelSelector.all().matches({})).toBe(true);
    expect(LabelSelector.of({}).matches(pod)).toBe(true);
  });

  test('matchLabels needs every pair, exactly', () => {
    expect(LabelSelector.of({ app: 'web' }).matches(pod)).toBe(true);
    expect(LabelSelector.of({ app: 'web', tier: 'front' }).matches(pod)).toBe(true);
    expect(LabelSelector.of({ app: 'web', tier: 'back' }).matches(pod)).toBe(false);
    expect(LabelSelector.of({ app: 'Web' }).matches(pod)).toBe(false);
    expect(LabelSelector.of({ owner: 'x' }).matches(pod)).toBe(false);
  });

  test('matchLabels with an empty value needs the key with an empty value', () => {
    expect(LabelSelector.of({ canary: '' }).matches({ canary: '' })).toBe(true);
    expect(LabelSelector.of({ canary: '' }).matches({})).toBe(false);
  });

  test('In needs the key with one of the values', () => {
    const s = LabelSelector.of({}, [{ key: 'env', operator: SelectorOperator.IN, values: ['prod', 'staging'] }]);
    expect(s.matches(pod)).toBe(true);
    expect(s.matches({ env: 'dev' })).toBe(false);
    expect(s.matches({})).toBe(false);
  });

  test('NotIn matches a different value and an absent key', () => {
    const s = LabelSelector.of({}, [{ key: 'env', operator: SelectorOperator.NOT_IN, values: ['prod'] }]);
    expect(s.matches(pod)).toBe(false);
    expect(s.matches({ env: 'dev' })).toBe(true);
    expect(s.matches({ app: 'web' })).toBe(true);
  });

  test('Exists needs the key with any value, DoesNotExist needs it absent', () => {
    const exists = LabelSelector.of({}, [{ key: 'canary', operator: SelectorOperator.EXISTS }]);
    const absent = LabelSelector.of({}, [{ key: 'canary', operator: SelectorOperator.DOES_NOT_EXIST }]);
    expect(exists.matches({ canary: '' })).toBe(true);
    expect(exists.matches({ app: 'web' })).toBe(false);
    expect(absent.matches({ app: 'web' })).toBe(true);
    expect(absent.matches({})).toBe(true);
    expect(absent.matches({ canary: 'yes' })).toBe(false);
  });

  test('labels and expressions are combined with AND', () => {
    const s = LabelSelector.of({ app: 'web' }, [
      { key: 'env', operator: SelectorOperator.IN, values: ['prod'] },
      { key: 'legacy', operator: SelectorOperator.DOES_NOT_EXIST },
    ]);
    expect(s.matches(pod)).toBe(true);
    expect(s.matches({ ...pod, legacy: 'true' })).toBe(false);
    expect(s.matches({ ...pod, app: 'api' })).toBe(false);
  });

  test('keys named like object properties are not found on labels that lack them', () => {
    expect(LabelSelector.of({}, [{ key: 'constructor', operator: SelectorOperator.EXISTS }]).matches({})).toBe(false);
    expect(LabelSelector.of({}, [{ key: 'toString', operator: SelectorOperator.IN, values: ['x'] }]).matches({})).toBe(false);
    expect(LabelSelector.of({ constructor: 'x' }).matches({})).toBe(false);
  });
});

describe('LabelSelector.of validation', () => {
  test('throws for an invalid label key in matchLabels', () => {
    expect(issuesOf(() => LabelSelector.of({ '-app': 'web' }))).toEqual([
      { code: 'label.key', path: 'matchLabels', message: `label key "-app" is invalid: ${NAME_PART_REGEX}` },
    ]);
  });

  test('throws for an invalid key prefix', () => {
    expect(issuesOf(() => LabelSelector.of({ '/app': 'web' }))).toEqual([
      { code: 'label.key', path: 'matchLabels', message: 'label key "/app" is invalid: prefix part must be non-empty' },
    ]);
    expect(issuesOf(() => LabelSelector.of({ 'Example.com/app': 'web' }))[0].message).toBe(
      "label key \"Example.com/app\" is invalid: prefix part must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  });

  test('throws for a label name longer than 63 characters', () => {
    const key = `example.com/${'n'.repeat(64)}`;
    expect(issuesOf(() => LabelSelector.of({ [key]: 'x' }))).toEqual([
      { code: 'label.key', path: 'matchLabels', message: `label key "${key}" is invalid: name part must be no more than 63 characters` },
    ]);
  });

  test('throws for an invalid label value', () => {
    expect(issuesOf(() => LabelSelector.of({ app: 'web app' }))).toEqual([
      { code: 'label.value', path: 'matchLabels', message: `label value "web app" of "app" is invalid: ${VALUE_REGEX}` },
    ]);
  });

  test('throws for a label value that is not a string', () => {
    expect(issuesOf(() => LabelSelector.of({ replicas: 3, enabled: true } as unknown as Labels))).toEqual([
      {
        code: 'label.value',
        path: 'matchLabels',
        message: 'label "replicas" has the value 3; label values are strings (quote numbers and booleans in YAML)',
      },
      {
        code: 'label.value',
        path: 'matchLabels',
        message: 'label "enabled" has the value true; label values are strings (quote numbers and booleans in YAML)',
      },
    ]);
  });

  test('throws for an invalid expression key', () => {
    expect(issuesOf(() => LabelSelector.of({}, [{ key: 'a/b/c', operator: SelectorOperator.EXISTS }]))).toEqual([
      {
        code: 'label.key',
        path: 'matchExpressions[0].key',
        message:
          "label key \"a/b/c\" is invalid: a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      },
    ]);
  });

  test.each<SelectorOperator>([SelectorOperator.IN, SelectorOperator.NOT_IN])('throws for %s without values', (operator) => {
    const expected = [
      { code: 'selector.values', path: 'matchExpressions[0].values', message: `operator ${operator} needs at least one value` },
    ];
    expect(issuesOf(() => LabelSelector.of({}, [{ key: 'env', operator }]))).toEqual(expected);
    expect(issuesOf(() => LabelSelector.of({}, [{ key: 'env', operator, values: [] }]))).toEqual(expected);
  });

  test('throws for an invalid value of In, with its index', () => {
    expect(issuesOf(() => LabelSelector.of({}, [{ key: 'env', operator: SelectorOperator.IN, values: ['prod', '-dev'] }]))).toEqual([
      { code: 'label.value', path: 'matchExpressions[0].values[1]', message: `value "-dev" is invalid: ${VALUE_REGEX}` },
    ]);
  });

  test.each<SelectorOperator>([SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST])('throws for %s with values', (operator) => {
    expect(issuesOf(() => LabelSelector.of({}, [{ key: 'env', operator, values: ['prod'] }]))).toEqual([
      { code: 'selector.values', path: 'matchExpressions[0].values', message: `operator ${operator} takes no values; remove them` },
    ]);
  });

  test('accepts Exists with an empty values list', () => {
    expect(LabelSelector.of({}, [{ key: 'env', operator: SelectorOperator.EXISTS, values: [] }]).matches({ env: 'x' })).toBe(true);
  });

  test.each(['in', 'Equals', ''])('throws for the operator %p', (operator) => {
    expect(issuesOf(() => LabelSelector.of({}, [{ key: 'env', operator: operator as SelectorOperator, values: ['a'] }]))).toEqual([
      {
        code: 'selector.operator',
        path: 'matchExpressions[0].operator',
        message: `operator "${operator}" is not valid; use In, NotIn, Exists or DoesNotExist (case-sensitive)`,
      },
    ]);
  });

  test('throws every issue at once, in order', () => {
    const issues = issuesOf(() =>
      LabelSelector.of({ '-a': 'ok', b: '-bad' }, [
        { key: 'env', operator: SelectorOperator.IN },
        { key: 'x', operator: SelectorOperator.EXISTS, values: ['y'] },
      ]),
    );
    expect(issues.map((i) => `${i.path} ${i.code}`)).toEqual([
      'matchLabels label.key',
      'matchLabels label.value',
      'matchExpressions[0].values selector.values',
      'matchExpressions[1].values selector.values',
    ]);
  });
});

describe('LabelSelector forms', () => {
  test('toJson is {} for the empty selector', () => {
    expect(LabelSelector.all().toJson()).toEqual({});
  });

  test('toJson gives matchLabels sorted by key and matchExpressions in order, values only where given', () => {
    const s = LabelSelector.of({ tier: 'front', app: 'web' }, [
      { key: 'env', operator: SelectorOperator.NOT_IN, values: ['dev', 'test'] },
      { key: 'legacy', operator: SelectorOperator.DOES_NOT_EXIST },
    ]);
    const json = s.toJson();
    expect(json).toEqual({
      matchLabels: { app: 'web', tier: 'front' },
      matchExpressions: [
        { key: 'env', operator: SelectorOperator.NOT_IN, values: ['dev', 'test'] },
        { key: 'legacy', operator: SelectorOperator.DOES_NOT_EXIST },
      ],
    });
    expect(Object.keys(json.matchLabels!)).toEqual(['app', 'tier']);
    expect(json.matchExpressions![1]).not.toHaveProperty('values');
  });

  test('toJson omits matchLabels when there are only expressions', () => {
    expect(LabelSelector.of({}, [{ key: 'a', operator: SelectorOperator.EXISTS }]).toJson()).toEqual({
      matchExpressions: [{ key: 'a', operator: SelectorOperator.EXISTS }],
    });
  });

  test('changing the input or the JSON afterwards does not change the selector', () => {
    const labels: Record<string, string> = { app: 'web' };
    const values = ['prod'];
    const s = LabelSelector.of(labels, [{ key: 'env', operator: SelectorOperator.IN, values }]);
    labels.app = 'api';
    values.push('dev');
    const json = s.toJson();
    json.matchLabels!.app = 'db';
    (json.matchExpressions![0].values as string[]).push('test');
    expect(s.toString()).toBe('app=web,env in (prod)');
  });

  test('toString writes the kubectl form, or * for the empty selector', () => {
    expect(LabelSelector.all().toString()).toBe('*');
    expect(LabelSelector.of({ tier: 'front', app: 'web' }).toString()).toBe('app=web,tier=front');
    expect(
      LabelSelector.of({ app: 'web' }, [
        { key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] },
        { key: 'env', operator: SelectorOperator.NOT_IN, values: ['dev'] },
        { key: 'canary', operator: SelectorOperator.EXISTS },
        { key: 'legacy', operator: SelectorOperator.DOES_NOT_EXIST },
      ]).toString(),
    ).toBe('app=web,tier in (a,b),env notin (dev),canary,!legacy');
  });

  test('equals, kept for TypeScript, answers as isEqualTo', () => {
    expect(LabelSelector.of({ a: '1', b: '2' }).equals(LabelSelector.of({ b: '2', a: '1' }))).toBe(true);
    expect(LabelSelector.of({ a: '1' }).equals(LabelSelector.of({ a: '2' }))).toBe(false);
  });

  test('labels and expressions are frozen copies: changing what was given or the properties changes nothing', () => {
    const labels: { [key: string]: string } = { app: 'web' };
    const values = ['a', 'b'];
    const expressions = [{ key: 'tier', operator: SelectorOperator.IN, values }];
    const s = LabelSelector.of(labels, expressions);
    labels.app = 'db';
    values.push('c');
    expressions.push({ key: 'x', operator: SelectorOperator.EXISTS, values: [] });
    expect(s.toString()).toBe('app=web,tier in (a,b)');
    expect(Object.isFrozen(s.matchLabels)).toBe(true);
    expect(Object.isFrozen(s.matchExpressions)).toBe(true);
    expect(Object.isFrozen(s.matchExpressions[0])).toBe(true);
    expect(Object.isFrozen(s.matchExpressions[0].values)).toBe(true);
    expect(() => s.matchExpressions[0].values!.push('d')).toThrow(TypeError);
    expect(() => s.matchExpressions.pop()).toThrow(TypeError);
    expect(s.matches({ app: 'web', tier: 'c' })).toBe(false);
  });

  test('isEqualTo ignores the order of matchLabels', () => {
    expect(LabelSelector.of({ a: '1', b: '2' }).isEqualTo(LabelSelector.of({ b: '2', a: '1' }))).toBe(true);
    expect(LabelSelector.of({ a: '1' }).isEqualTo(LabelSelector.of({ a: '2' }))).toBe(false);
  });

  test('isEmpty is true only for the empty selector', () => {
    expect(LabelSelector.all().isEmpty).toBe(true);
    expect(LabelSelector.of({}).isEmpty).toBe(true);
    expect(LabelSelector.of({ a: 'b' }).isEmpty).toBe(false);
    expect(LabelSelector.of({}, [{ key: 'a', operator: SelectorOperator.EXISTS }]).isEmpty).toBe(false);
  });

  test('namespaceName selects by the metadata.name label and reports the name back', () => {
    const s = LabelSelector.namespaceName('db');
    expect(s.toJson()).toEqual({ matchLabels: { [NAMESPACE_NAME_LABEL]: 'db' } });
    expect(s.namespaceNameOnly).toBe('db');
    expect(NAMESPACE_NAME_LABEL).toBe('kubernetes.io/metadata.name');
  });

  test('namespaceNameOnly is undefined when the selector pins anything else', () => {
    expect(LabelSelector.of({ [NAMESPACE_NAME_LABEL]: 'db', team: 'a' }).namespaceNameOnly).toBeUndefined();
    expect(
      LabelSelector.of({ [NAMESPACE_NAME_LABEL]: 'db' }, [{ key: 'x', operator: SelectorOperator.EXISTS }]).namespaceNameOnly,
    ).toBeUndefined();
    expect(LabelSelector.of({ team: 'a' }).namespaceNameOnly).toBeUndefined();
    expect(LabelSelector.all().namespaceNameOnly).toBeUndefined();
  });
});

describe('properties', () => {
  const KEYS = ['app', 'tier', 'env', 'example.com/team'];
  const VALUES = ['a', 'b', 'c', ''];
  const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 4 });
  const exprArb: fc.Arbitrary<SelectorExpression> = fc.oneof(
    fc.record({
      key: fc.constantFrom(...KEYS),
      operator: fc.constantFrom<SelectorOperator>(SelectorOperator.IN, SelectorOperator.NOT_IN),
      values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      key: fc.constantFrom(...KEYS),
      operator: fc.constantFrom<SelectorOperator>(SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST),
    }),
  );
  const selectorArb = fc.tuple(labelsArb, fc.array(exprArb, { maxLength: 4 }));

  /** The selector read as a list of requirements over a Map, as the Kubernetes docs state them. */
  function oracle(matchLabels: Labels, exprs: readonly SelectorExpression[], labels: Labels): boolean {
    const present = new Map(Object.entries(labels));
    const requirements: Array<(m: Map<string, string>) => boolean> = [
      ...Object.entries(matchLabels).map(
        ([k, v]) =>
          (m: Map<string, string>) =>
            m.get(k) === v,
      ),
      ...exprs.map((x) => {
        const vs = new Set(x.values ?? []);
        switch (x.operator) {
          case SelectorOperator.IN:
            return (m: Map<string, string>) => m.has(x.key) && vs.has(m.get(x.key)!);
          case SelectorOperator.NOT_IN:
            return (m: Map<string, string>) => !(m.has(x.key) && vs.has(m.get(x.key)!));
          case SelectorOperator.EXISTS:
            return (m: Map<string, string>) => m.has(x.key);
          case SelectorOperator.DOES_NOT_EXIST:
            return (m: Map<string, string>) => !m.has(x.key);
        }
      }),
    ];
    return requirements.filter((r) => !r(present)).length === 0;
  }

  test('matches agrees with an independent evaluation of the requirements', () => {
    fc.assert(
      fc.property(selectorArb, labelsArb, ([matchLabels, exprs], labels) => {
        expect(LabelSelector.of(matchLabels, exprs).matches(labels)).toBe(oracle(matchLabels, exprs, labels));
      }),
      { numRuns: 500 },
    );
  });

  test('a selector rebuilt from its JSON is equal and matches the same labels', () => {
    fc.assert(
      fc.property(selectorArb, labelsArb, ([matchLabels, exprs], labels) => {
        const s = LabelSelector.of(matchLabels, exprs);
        const json = s.toJson();
        const t = LabelSelector.of(json.matchLabels ?? {}, json.matchExpressions);
        expect(t.isEqualTo(s)).toBe(true);
        expect(t.matches(labels)).toBe(s.matches(labels));
      }),
    );
  });
});
