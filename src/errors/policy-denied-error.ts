import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * A peer's policy refused the request (`E-POLICY-DENIED`).
 *
 * @example
 * catch (e) { if (e instanceof PolicyDeniedError) console.log(e.message, e.details); }
 */
export class PolicyDeniedError extends MplError {
  constructor(message: string, options: MplErrorOptions = {}) {
    super(ErrorCode.PolicyDenied, message, options);
  }
}
nameErrorClass(PolicyDeniedError, 'PolicyDeniedError');
