import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * The server could not be reached, the link dropped, or the session is not in a state to
 * talk (`E-CONNECTION-FAILED`). `cause` holds the runtime's own error.
 *
 * @example
 * catch (e) { if (e instanceof ConnectionError) console.log(e.endpoint, e.cause); }
 */
export class ConnectionError extends MplError {
  readonly endpoint: string | undefined;

  constructor(message: string, init: MplErrorOptions & { endpoint?: string } = {}) {
    super(ErrorCode.ConnectionFailed, message, {
      ...init,
      details: { ...(init.endpoint === undefined ? {} : { endpoint: init.endpoint }), ...init.details },
    });
    this.endpoint = init.endpoint;
  }
}
nameErrorClass(ConnectionError, 'ConnectionError');
