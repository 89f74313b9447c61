import { describeValue } from '../../lib/model/describe';

describe('describeValue', () => {
  test.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'the number 42'],
    [80n, 'the BigInt 80n'],
    [true, 'true'],
    ['x', 'the string "x"'],
    [[1, 2], 'an array'],
    [{ a: 1 }, 'an object'],
    [Object.create(null), 'an object'],
    [new Date(0), 'an instance of Date'],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
  ])('names a value that code passed: %p is %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  test.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [5, 'the number 5'],
    [false, 'the boolean false'],
    ['10.0.0.0/8', 'the string "10.0.0.0/8"'],
    [[], 'an empty list'],
    [['a'], 'a list of 1 entry'],
    [['a', 'b', 'c'], 'a list of 3 entries'],
    [{ cidr: 'x' }, 'a map'],
  ])('names a value read from YAML in its words: %p is %s', (value, expected) => {
    expect(describeValue(value, { data: true })).toBe(expected);
  });

  test('shows at most 60 characters of a string, and quotes it as asked', () => {
    expect(describeValue('a'.repeat(61))).toBe(`the string "${'a'.repeat(60)}…"`);
    expect(describeValue('a'.repeat(60))).toBe(`the string "${'a'.repeat(60)}"`);
    expect(describeValue('x', { data: true, quote: (s) => `«${s}»` })).toBe('the string «x»');
  });
});
