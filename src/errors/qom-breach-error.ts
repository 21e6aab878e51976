import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * A reply's QoM report fails the negotiated profile (`E-QOM-BREACH`).
 *
 * @example
 * catch (e) { if (e instanceof QomBreachError) console.log(e.metric, e.actual, '<', e.expected); }
 */
export class QomBreachError extends MplError {
  readonly metric: string;
  readonly expected: number;
  readonly actual: number | undefined;
  readonly profile: string;

  constructor(init: { metric: string; expected: number; actual: number | undefined; profile: string; message?: string }, options: MplErrorOptions = {}) {
    const actual = init.actual === undefined ? 'absent' : String(init.actual);
    super(ErrorCode.QomBreach, init.message ?? `QoM profile ${init.profile} breached: ${init.metric} is ${actual}, needs ≥ ${init.expected}`, {
      ...options,
      details: { metric: init.metric, expected: init.expected, actual: init.actual, profile: init.profile, ...options.details },
    });
    this.metric = init.metric;
    this.expected = init.expected;
    this.actual = init.actual;
    this.profile = init.profile;
  }
}
nameErrorClass(QomBreachError, 'QomBreachError');
