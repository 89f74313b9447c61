import { NetpolError } from '../../../lib/model/errors';
import { oneOf, wholeNumber } from '../../../lib/report/private/options';

describe('report options', () => {
  test('oneOf returns a known value and refuses another, naming the option and what it may be', () => {
    expect(oneOf('x.detail', 'detail', 'detail', 'auto', ['auto', 'groups'])).toBe('auto');
    expect(() => oneOf('x.detail', 'detail', 'detail', 'all' as string, ['auto', 'groups'])).toThrow(
      'detail: detail "all" is not known; use auto, groups',
    );
    try {
      oneOf('x.detail', 'detail', 'detail', 'all' as string, ['auto', 'groups']);
    } catch (e) {
      expect(NetpolError.isNetpolError(e) && e.issues.map((i) => [i.code, i.path])).toEqual([['x.detail', 'detail']]);
    }
  });

  test('wholeNumber returns 0 or more and refuses fractions, negatives and NaN', () => {
    expect(wholeNumber('x.max', 'max', 'the most rows', 0)).toBe(0);
    expect(wholeNumber('x.max', 'max', 'the most rows', 300)).toBe(300);
    for (const bad of [-1, 1.5, NaN]) {
      expect(() => wholeNumber('x.max', 'max', 'the most rows', bad)).toThrow(
        `max: the most rows must be a whole number, 0 or more, not ${bad}`,
      );
    }
  });
});
