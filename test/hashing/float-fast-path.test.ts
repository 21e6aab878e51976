// hash() writes most rounded floats from N = round(x × 10^6) without number-to-string
// (millionths + writeMillionths): the bytes must be canonicalNumber's text, for every N
// the fast path takes and around its edges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { writeCanonicalBytes, type ByteWindow } from '../../src/hashing/canonical-bytes.ts';
import { canonicalNumber, millionths } from '../../src/hashing/canonical-number.ts';

/** A plain window over a buffer large enough for one number. */
function written(x: number): string {
  const heap = new Uint8Array(64);
  const window: ByteWindow = { heap, view: new DataView(heap.buffer), pos: 0, end: 64, reserve() {}, restart() {} };
  writeCanonicalBytes(x, window);
  return new TextDecoder().decode(window.heap.subarray(0, window.pos));
}

const scaledInteger = fc.oneof(
  fc.integer({ min: 10, max: 1e15 - 1 }),
  fc.integer({ min: 10, max: 1e7 }),
  fc.constantFrom(10, 11, 99, 100, 999_999, 1_000_000, 1_000_001, 1e15 - 1, 1e14, 123_456_789_012_345),
).chain((n) => fc.tuple(fc.constant(n), fc.boolean(), fc.double({ min: -0.5, max: 0.5, noNaN: true })));

describe('rounded floats written from N = x × 10^6', () => {
  it('writes canonicalNumber\'s text for x = ±N / 10^6 (exactly and off by under half a millionth)', () => {
    fc.assert(fc.property(scaledInteger, ([n, negative, jitter]) => {
      for (const x of [(negative ? -n : n) / 1e6, (negative ? -n : n) / 1e6 + jitter / 1e6]) {
        if (Number.isInteger(x)) continue; // integers take the integer path
        assert.equal(written(x), canonicalNumber(x), `x = ${x}`);
      }
    }), { numRuns: 200_000 });
  });

  it('writes canonicalNumber\'s text for any double, taken by the fast path or not', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      assert.equal(written(x), canonicalNumber(x), `x = ${x}`);
    }), { numRuns: 100_000 });
  });

  it('takes the fast path only from |N| = 10 to 10^15 - 1', () => {
    assert.equal(millionths(0.00001), 10);
    assert.equal(millionths(-0.0000095), -10); // halves away from zero
    assert.equal(millionths(0.0000094), undefined); // 9: exponent form (9e-6)
    assert.equal(millionths(999_999_999.999_999), 999_999_999_999_999);
    assert.equal(millionths(1e9 + 0.5), undefined);
    assert.deepEqual([0.1, -2.5, 3576.4, 0.000001, 1e-7].map(written), ['0.1', '-2.5', '3576.4', '1e-6', '0.0']);
  });
});
