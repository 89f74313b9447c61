import * as fc from 'fast-check';
import { compareStrings } from '../../lib/model/order';

describe('compareStrings', () => {
  test('orders as the UTF-8 bytes do (Go string order), for any well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareStrings(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))));
      }),
      { numRuns: 2000 },
    );
  });

  test('puts a code point above U+FFFF after U+FFFD, where UTF-16 code units would not', () => {
    expect(['😀', '\ufffd', 'a'].sort(compareStrings)).toEqual(['a', '\ufffd', '😀']);
    expect(['😀', '\ufffd', 'a'].sort()).toEqual(['a', '😀', '\ufffd']);
  });

  test('puts a prefix first and is zero only for equal strings', () => {
    expect(['ab', 'a', 'abc', 'a'].sort(compareStrings)).toEqual(['a', 'a', 'ab', 'abc']);
    expect(compareStrings('same', 'same')).toBe(0);
  });
});
