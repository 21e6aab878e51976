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

  /** `options.message` replaces the default `<operation> timed out after <timeoutMs> ms`. */
  constructor(operation: string, timeoutMs: number, options: MplErrorOptions & { message?: string } = {}) {
    super(ErrorCode.Timeout, options.message ?? `${operation} timed out after ${timeoutMs} ms`, {
      cause: options.cause,
      details: { operation, timeoutMs, ...options.details },
    });
    this.timeoutMs = timeoutMs;
    this.operation = operation;
  }
}
nameErrorClass(TimeoutError, 'TimeoutError');
