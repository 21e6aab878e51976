// The bench's statistics (test/bench/timing.ts): the confidence interval of a median that its
// tables print, and the verdict on a goal read from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatInterval, medianInterval, range, verdict } from '../bench/timing.ts';

/** n, n - 1, …, 1 (out of order, as rounds come): the k-th smallest is k, so an interval names its ranks. */
const ranks = (n: number): number[] => Array.from({ length: n }, (_, i) => n - i);

describe('medianInterval', () => {
  it('takes the order statistics of the binomial table (95%: n = 6 → 1st–6th, 11 → 2nd–10th, 15 → 4th–12th, 21 → 6th–16th, 31 → 10th–22nd)', () => {
    for (const [n, lo, hi] of [[6, 1, 6], [11, 2, 10], [15, 4, 12], [21, 6, 16], [31, 10, 22]] as const) {
      assert.deepEqual(medianInterval(ranks(n)), [lo, hi], `n = ${n}`);
    }
  });

  it('covers the median at least as often as it says, and nearly so (simulated, skewed values)', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const trueMedian = Math.log(2); // of the exponential distribution below
    for (const n of [11, 21]) {
      let covered = 0;
      const trials = 4000;
      for (let t = 0; t < trials; t++) {
        const [lo, hi] = medianInterval(Array.from({ length: n }, () => -Math.log(1 - random())))!;
        if (lo <= trueMedian && trueMedian <= hi) covered++;
      }
      assert.ok(covered / trials >= 0.94 && covered / trials <= 0.995, `n = ${n}: covered ${covered / trials}`);
    }
  });

  it('takes the normal approximation\'s ranks for many values, where ½ⁿ is 0 in a double (n = 10,000 → 4,902nd–5,099th)', () => {
    assert.deepEqual(medianInterval(ranks(10_000)), [4902, 5099]);
    assert.deepEqual(medianInterval(ranks(2_000)), [956, 1045]);
  });

  it('is wider at a higher level and undefined when the values are too few for it', () => {
    assert.equal(medianInterval([1, 2, 3, 4, 5]), undefined);
    assert.deepEqual(medianInterval(ranks(21), 0.99), [5, 17]);
    assert.deepEqual(medianInterval(ranks(21), 0.5), [9, 13]);
  });
});

describe('verdict', () => {
  it('is met, not met or at the line as the whole interval, none of it or part of it meets the goal', () => {
    assert.equal(verdict([0.91, 0.97], { atLeast: 0.9 }), 'met');
    assert.equal(verdict([0.86, 0.95], { atLeast: 0.9 }), 'at the line');
    assert.equal(verdict([0.8, 0.89], { atLeast: 0.9 }), 'not met');
    assert.equal(verdict([0.9, 1], { atMost: 1 }), 'met');
    assert.equal(verdict([1.01, 1.3], { atMost: 1 }), 'not met');
    assert.equal(verdict([0.7, 1], { below: 1 }), 'at the line');
    assert.equal(verdict(undefined, { atMost: 1 }), 'too few rounds');
  });

  it('prints an interval as its two ends, and a range as its smallest and largest', () => {
    assert.equal(formatInterval([0.905, 1.021]), '0.91–1.02');
    assert.equal(formatInterval(undefined), '–');
    assert.equal(range([1.2, 0.584, 1.5, 0.9]), '0.58–1.50');
  });
});
