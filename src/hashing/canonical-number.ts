import type { HashLayout } from './hash-layout.ts';

const TWO_POW_63 = 2 ** 63;

/** Whether the layouts write a number differently: its magnitude is at least 2^63. */
export function differsByLayout(x: number): boolean {
  return x >= TWO_POW_63 || x <= -TWO_POW_63;
}

/**
 * The reference's text for a finite number (conformance rule 4), or `undefined` for NaN
 * and ±Infinity, which have none. Integral values below 2^63 print as exact integers;
 * anything else is rounded to 6 decimals, halves away from zero, then laid out as the
 * reference's float formatting does (`2.0`, `-0.0`, `0.0012`, `1e+20`, `2.5e-6`; `1e20`
 * in the legacy layout).
 */
export function canonicalNumber(x: number, layout: HashLayout = 'current'): string | undefined {
  if (Number.isInteger(x)) {
    if (x <= Number.MAX_SAFE_INTEGER && x >= -Number.MAX_SAFE_INTEGER) return '' + x;
    if (!differsByLayout(x)) return BigInt(x).toString();
  } else if (x !== x || x === Infinity || x === -Infinity) {
    return undefined;
  }
  const scaled = x * 1e6;
  if (scaled === Infinity || scaled === -Infinity) return floatLayout(x, layout);
  return floatLayout(roundHalfAway(scaled) / 1e6, layout);
}

const roundHalfAway = (scaled: number): number => (scaled < 0 ? -Math.round(-scaled) : Math.round(scaled));

/**
 * For a number that is not an integer: N, the integer nearest to x × 10^6 (halves away
 * from zero), when 10 ≤ |N| < 10^15; else `undefined`. Then the canonical text of x is
 * N's digits with a point 6 from the right, trailing zeros after it dropped (one kept):
 * r = N / 10^6 lies in [1e-5, 1e9), where the layout is decimal, and its shortest
 * round-trip digits are N's, since decimals of at most 15 significant digits map to
 * distinct doubles. (test/hashing/float-fast-path.test.ts checks it against `canonicalNumber`.)
 */
export function millionths(x: number): number | undefined {
  const n = roundHalfAway(x * 1e6);
  return (n >= 10 && n < 1e15) || (n <= -10 && n > -1e15) ? n : undefined;
}

/** The float layout of a finite double: decimal between 1e-5 and 1e16, exponent form outside. */
function floatLayout(r: number, layout: HashLayout): string {
  if (r === 0) return Object.is(r, -0) ? '-0.0' : '0.0';
  const magnitude = r < 0 ? -r : r;
  if (magnitude >= 1e-5 && magnitude < 1e16) return Number.isInteger(r) ? r + '.0' : '' + r;
  const text = r.toExponential();
  return layout === 'legacy' ? text.replace('e+', 'e') : text;
}
