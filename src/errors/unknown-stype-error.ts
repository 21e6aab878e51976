import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * No schema is known for an SType (`E-UNKNOWN-STYPE`); `where` says where the registry looked.
 *
 * @example
 * catch (e) { if (e instanceof UnknownStypeError) console.log(e.stype, e.where); }
 */
export class UnknownStypeError extends MplError {
  readonly stype: string;
  readonly where: string | undefined;

  constructor(stype: string, where?: string, options: MplErrorOptions & { message?: string } = {}) {
    super(ErrorCode.UnknownStype, options.message ?? `No schema for SType ${stype}${where ? ` (looked in ${where})` : ''}`, {
      ...options,
      details: { stype, ...(where === undefined ? {} : { where }), ...options.details },
    });
    this.stype = stype;
    this.where = where;
  }
}
nameErrorClass(UnknownStypeError, 'UnknownStypeError');
