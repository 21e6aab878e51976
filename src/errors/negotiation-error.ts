import { ErrorCode } from './codes.ts';
import { MplError, nameErrorClass, type MplErrorOptions } from './mpl-error.ts';

/**
 * The AI-ALPN handshake failed: the server answered `ai-alpn-error`, or no SType the
 * client offered is common (`E-HANDSHAKE-FAILED`).
 *
 * @example
 * catch (e) { if (e instanceof NegotiationError) console.log(e.reason, e.serverStypes); }
 */
export class NegotiationError extends MplError {
  readonly reason: string;
  readonly clientStypes: string[];
  readonly serverStypes: string[];

  constructor(init: { reason: string; clientStypes: string[]; serverStypes: string[]; message?: string }, options: MplErrorOptions = {}) {
    super(ErrorCode.HandshakeFailed, init.message ?? `AI-ALPN negotiation failed: ${init.reason}`, {
      ...options,
      // Its own fields last: details carried over from an earlier error never contradict them.
      details: { ...options.details, reason: init.reason, clientStypes: init.clientStypes, serverStypes: init.serverStypes },
    });
    this.reason = init.reason;
    this.clientStypes = init.clientStypes;
    this.serverStypes = init.serverStypes;
  }
}
nameErrorClass(NegotiationError, 'NegotiationError');
