import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * An operation did not finish within its time limit (`E-TIMEOUT`).
 *
 * @example
 * catch (e) { if (e instanceof TimeoutError) console.log(e.operation, e.timeoutMs); }
 */
export class TimeoutError extends MplError {
  readonly timeoutMs: number;
  /** What timed out: `connect`, `send org.calendar.Event.v1`, `GET /health`… */
  readonly operation: string;

  constructor(operation: string, timeoutMs: number, options: MplErrorOptions = {}) {
    super(ErrorCode.Timeout, `${operation} timed out after ${timeoutMs} ms`, {
      ...options,
      details: { operation, timeoutMs, ...options.details },
    });
    this.timeoutMs = timeoutMs;
    this.operation = operation;
  }
}
nameErrorClass(TimeoutError, 'TimeoutError');
