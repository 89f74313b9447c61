import { LabelSelector, MAX_LABEL_SETS, SelectorOperator, representativeLabels, selectorCases } from '../../lib/model/selector';

describe('representativeLabels(LabelSelector)', () => {
  test('takes matchLabels, the first value of In and "any" for Exists', () => {
    const s = LabelSelector.of({ app: 'web' }, [
      { key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] },
      { key: 'canary', operator: SelectorOperator.EXISTS },
      { key: 'x', operator: SelectorOperator.NOT_IN, values: ['y'] },
    ]);
    expect(representativeLabels(s)).toEqual({ app: 'web', tier: 'a', canary: 'any' });
  });

  test('is undefined for a selector no labels can satisfy', () => {
    expect(
      representativeLabels(LabelSelector.of({ app: 'web' }, [{ key: 'app', operator: SelectorOperator.DOES_NOT_EXIST }])),
    ).toBeUndefined();
  });
});

describe('LabelSelector.cases', () => {
  const labelsOf = (s: LabelSelector) => selectorCases(s).map((c) => `${c.matches ? '+' : '-'} ${c.selector} ${JSON.stringify(c.labels)}`);

  test('covers every value of every In expression first, then their product', () => {
    const s = LabelSelector.of({}, [
      { key: 'tier', operator: SelectorOperator.IN, values: ['web', 'api', 'db'] },
      { key: 'zone', operator: SelectorOperator.IN, values: ['a', 'b'] },
    ]);
    expect(labelsOf(s)).toEqual([
      '+ tier=web,zone=a {"tier":"web","zone":"a"}',
      '+ tier=api,zone=b {"tier":"api","zone":"b"}',
      '+ tier=db,zone=a {"tier":"db","zone":"a"}',
      '+ tier=web,zone=b {"tier":"web","zone":"b"}',
      '+ tier=api,zone=a {"tier":"api","zone":"a"}',
      '+ tier=db,zone=b {"tier":"db","zone":"b"}',
    ]);
  });

  test(`stops at ${MAX_LABEL_SETS} label sets that match, having covered every value first`, () => {
    const values = (prefix: string, n: number) => [...Array(n).keys()].map((i) => `${prefix}${i}`);
    const s = LabelSelector.of({}, [
      { key: 'a', operator: SelectorOperator.IN, values: values('a', 10) },
      { key: 'b', operator: SelectorOperator.IN, values: values('b', 10) },
    ]);
    const cases = selectorCases(s);
    expect(cases).toHaveLength(MAX_LABEL_SETS);
    expect(new Set(cases.map((c) => c.labels.a)).size).toBe(10);
    expect(new Set(cases.map((c) => c.labels.b)).size).toBe(10);
  });

  test('drops In values that a NotIn on the same key keeps out, and keeps "any" for Exists clear of NotIn', () => {
    const s = LabelSelector.of({}, [
      { key: 'tier', operator: SelectorOperator.IN, values: ['web', 'api'] },
      { key: 'tier', operator: SelectorOperator.NOT_IN, values: ['web'] },
      { key: 'canary', operator: SelectorOperator.EXISTS },
      { key: 'canary', operator: SelectorOperator.NOT_IN, values: ['any'] },
    ]);
    expect(labelsOf(s)).toEqual([
      '+ tier=api,canary,canary notin (any) {"tier":"api","canary":"any-2"}',
      '- canary=any,tier=api {"tier":"api","canary":"any"}',
    ]);
  });

  test('has no case for a selector no labels can satisfy', () => {
    expect(
      selectorCases(
        LabelSelector.of({}, [
          { key: 'tier', operator: SelectorOperator.IN, values: ['a'] },
          { key: 'tier', operator: SelectorOperator.DOES_NOT_EXIST },
        ]),
      ),
    ).toEqual([]);
  });
});
