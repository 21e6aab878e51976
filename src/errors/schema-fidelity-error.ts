import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * One schema violation: `path` is a JSON Pointer to the offending value (`""` for the root).
 *
 * @example
 * const issue: ValidationIssue = { path: '/attendees/1', message: 'must be an email address', keyword: 'format' };
 */
export interface ValidationIssue {
  path: string;
  message: string;
  keyword: string;
}

/**
 * A payload does not match the schema of its SType, found before sending (by this SDK)
 * or reported by the server (`E-SCHEMA-FIDELITY`).
 *
 * @example
 * catch (e) {
 *   if (e instanceof SchemaFidelityError)
 *     for (const v of e.validationErrors) console.log(`${v.path}: ${v.message}`);
 * }
 */
export class SchemaFidelityError extends MplError {
  readonly stype: string;
  readonly validationErrors: ValidationIssue[];

  constructor(stype: string, validationErrors: ValidationIssue[], options: MplErrorOptions & { message?: string } = {}) {
    const first = validationErrors[0];
    const summary = first ? `${first.path || '(root)'}: ${first.message}` : 'no details';
    const more = validationErrors.length > 1 ? ` (and ${validationErrors.length - 1} more)` : '';
    super(ErrorCode.SchemaFidelity, options.message ?? `Payload does not match ${stype}: ${summary}${more}`, {
      ...options,
      details: { stype, validationErrors, ...options.details },
    });
    this.stype = stype;
    this.validationErrors = validationErrors;
  }
}
nameErrorClass(SchemaFidelityError, 'SchemaFidelityError');
