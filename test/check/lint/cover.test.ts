/**
 * The text-only cover checks behind NP011 (and NP001 without a cluster): a `true` must always
 * be right. Checked against the model's own matching on random label sets and ports.
 */
import * as fc from 'fast-check';
import { portCovers, selectorCovers } from '../../../lib/check/lint/private/cover';
import { Port, Protocol } from '../../../lib/model/port';
import { LabelSelector, SelectorExpression, SelectorOperator } from '../../../lib/model/selector';

const KEYS = ['app', 'tier', 'env'];
const VALUES = ['a', 'b', 'c'];

const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 3 });
const expression: fc.Arbitrary<SelectorExpression> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...KEYS),
    operator: fc.constantFrom(SelectorOperator.IN, SelectorOperator.NOT_IN),
    values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom(SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST) }),
);
const selector = fc.tuple(labels, fc.array(expression, { maxLength: 2 })).map(([l, x]) => LabelSelector.of(l, x));

describe('selectorCovers', () => {
  test('when it says a selector covers another, every label set the narrow one matches, the broad one matches', () => {
    fc.assert(
      fc.property(selector, selector, fc.array(labels, { minLength: 1, maxLength: 20 }), (broad, narrow, sets) => {
        if (!selectorCovers(broad, narrow)) return true;
        return sets.every((l) => !narrow.matches(l) || broad.matches(l));
      }),
      { numRuns: 2000 },
    );
  });

  test('every selector covers itself, and the empty selector covers all', () => {
    fc.assert(fc.property(selector, (s) => selectorCovers(s, s) && selectorCovers(LabelSelector.all(), s)));
  });

  test('more labels are narrower, not broader', () => {
    expect(selectorCovers(LabelSelector.of({ tier: 'front' }), LabelSelector.of({ tier: 'front', app: 'web' }))).toBe(true);
    expect(selectorCovers(LabelSelector.of({ tier: 'front', app: 'web' }), LabelSelector.of({ tier: 'front' }))).toBe(false);
    expect(
      selectorCovers(
        LabelSelector.of({}, [{ key: 'app', operator: SelectorOperator.IN, values: ['a', 'b'] }]),
        LabelSelector.of({ app: 'a' }),
      ),
    ).toBe(true);
  });
});

describe('portCovers', () => {
  const port = fc.oneof(
    fc.tuple(fc.constantFrom(Protocol.TCP, Protocol.UDP), fc.integer({ min: 1, max: 40 })).map(([p, n]) => Port.of(p, n)),
    fc
      .tuple(fc.constantFrom(Protocol.TCP, Protocol.UDP), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 10 }))
      .map(([p, n, w]) => Port.of(p, n, n + w)),
    fc.constantFrom(Protocol.TCP, Protocol.UDP).map((p) => Port.of(p)),
  );
  const holds = (p: Port, protocol: string, n: number) =>
    p.protocol === protocol && (p.port === undefined || (typeof p.port === 'number' && p.port <= n && n <= (p.endPort ?? p.port)));

  test('when it says an entry covers another, every port of the narrow entry is in the broad one', () => {
    fc.assert(
      fc.property(port, port, (broad, narrow) => {
        if (!portCovers(broad, narrow)) return true;
        for (const protocol of ['TCP', 'UDP']) {
          for (let n = 1; n <= 60; n++) if (holds(narrow, protocol, n) && !holds(broad, protocol, n)) return false;
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  test('a named port covers only the same name', () => {
    expect(portCovers(Port.named('http'), Port.named('http'))).toBe(true);
    expect(portCovers(Port.named('http'), Port.tcp(80))).toBe(false);
    expect(portCovers(Port.allTcp(), Port.named('http'))).toBe(true);
  });
});
