import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * A semantic hash does not match the payload it came with (`E-HASH-MISMATCH`).
 *
 * @example
 * catch (e) { if (e instanceof HashMismatchError) console.log(e.expected, '≠', e.actual); }
 */
export class HashMismatchError extends MplError {
  /** The hash the envelope carried. */
  readonly expected: string;
  /** The hash of the payload as received. */
  readonly actual: string;

  constructor(init: { expected: string; actual: string; stype?: string; message?: string }, options: MplErrorOptions = {}) {
    super(ErrorCode.HashMismatch, init.message ?? `Semantic hash mismatch${init.stype ? ` for ${init.stype}` : ''}: envelope says ${init.expected}, payload hashes to ${init.actual}`, {
      ...options,
      details: { expected: init.expected, actual: init.actual, ...(init.stype ? { stype: init.stype } : {}), ...options.details },
    });
    this.expected = init.expected;
    this.actual = init.actual;
  }
}
nameErrorClass(HashMismatchError, 'HashMismatchError');
