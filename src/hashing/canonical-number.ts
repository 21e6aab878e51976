const TWO_POW_63 = 2 ** 63;

/**
 * The reference's text for a finite number (conformance rule 4), or `undefined` for NaN
 * and ±Infinity, which have none. Integral values below 2^63 print as exact integers;
 * anything else is rounded to 6 decimals, halves away from zero, then laid out as
 * Rust's `ryu` does (`2.0`, `-0.0`, `0.0012`, `1e20`, `2.5e-6`).
 */
export function canonicalNumber(x: number): string | undefined {
  if (Number.isInteger(x)) {
    if (x <= Number.MAX_SAFE_INTEGER && x >= -Number.MAX_SAFE_INTEGER) return '' + x;
    if (x < TWO_POW_63 && x > -TWO_POW_63) return BigInt(x).toString();
  } else if (x !== x || x === Infinity || x === -Infinity) {
    return undefined;
  }
  const scaled = x * 1e6;
  if (scaled === Infinity || scaled === -Infinity) return floatLayout(x);
  return floatLayout((scaled < 0 ? -Math.round(-scaled) : Math.round(scaled)) / 1e6);
}

/** `ryu`'s layout of a finite double: decimal between 1e-5 and 1e16, exponent form outside. */
function floatLayout(r: number): string {
  if (r === 0) return Object.is(r, -0) ? '-0.0' : '0.0';
  const magnitude = r < 0 ? -r : r;
  if (magnitude >= 1e-5 && magnitude < 1e16) return Number.isInteger(r) ? r + '.0' : '' + r;
  return r.toExponential().replace('e+', 'e');
}
