import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';

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
  hashLayout?: HashLayout | undefined;
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
  hashLayout?: HashLayout | 'either' | undefined;
}

/**
 * The layout `options` ask to write (default `'current'`).
 * @throws MplError `E-INVALID-ARGUMENT` for a value that is no layout (a typo in plain JavaScript).
 */
export function layoutOf(options: { hashLayout?: HashLayout | undefined } | undefined, where: string, allowed = "'current' or 'legacy'"): HashLayout {
  const layout = options?.hashLayout;
  if (layout === undefined || layout === 'current' || layout === 'legacy') return layout ?? 'current';
  throw new MplError(ErrorCode.InvalidArgument, `${where}: hashLayout must be ${allowed}, got ${JSON.stringify(layout)}`, { details: { hashLayout: layout } });
}

/** The layouts `options` accept in verification (default `'either'`). */
export function acceptedLayouts(options: VerifyOptions | undefined, where: string): HashLayout | 'either' {
  const layout = options?.hashLayout;
  return layout === undefined || layout === 'either' ? 'either' : layoutOf({ hashLayout: layout }, where, "'current', 'legacy' or 'either'");
}
