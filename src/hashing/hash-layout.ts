import { differsByLayout } from './canonical-number.ts';
import { walkCanonical } from './canonicalize.ts';

/**
 * How the canonical form writes numbers of magnitude ≥ 2^63, the only place where
 * builds of the reference MPL core differ. `'current'` (the reference as built today,
 * serde_json ≥ 1.0.147) writes a positive exponent with its sign: `1e+20`,
 * `1.2345678901234565e+19`. `'legacy'` (serde_json ≤ 1.0.146) writes `1e20`. Both hash
 * the same payload honestly; verification accepts either.
 *
 * @example
 * canonicalize(1e20);                          // '1e+20'
 * canonicalize(1e20, { hashLayout: 'legacy' }); // '1e20'
 */
export type HashLayout = 'current' | 'legacy';

/**
 * Options of `canonicalize`, `semanticHash` and `SemanticHasher.hash`.
 *
 * @example
 * await semanticHash(payload, { hashLayout: 'legacy' }); // for a peer built with an older serde_json
 */
export interface HashOptions {
  /** The number layout to write. Default `'current'`. */
  hashLayout?: HashLayout;
}

/**
 * Options of `verifyHash` and `SemanticHasher.verify`.
 *
 * @example
 * await verifyHash(payload, hash);                          // either layout
 * await verifyHash(payload, hash, { hashLayout: 'current' }); // only the current one
 */
export interface VerifyOptions {
  /** The layouts a hash may be in. Default `'either'`: a peer of either build is honest. */
  hashLayout?: HashLayout | 'either';
}

/**
 * Whether the canonical form of `value` depends on the layout: it holds a number that
 * {@link differsByLayout} (seen as `JSON.stringify` sees it). Walked only when a hash
 * did not match in the first layout, so that the second is computed only when it can differ.
 */
export function dependsOnLayout(value: unknown): boolean {
  let found = false;
  walkCanonical(value, {
    scalar: (scalar) => {
      if (typeof scalar === 'number' && differsByLayout(scalar)) found = true;
      return undefined;
    },
    mark: () => {},
    key: () => {},
  });
  return found;
}
