import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { SType } from '../protocol/stype.ts';
import type { MplEnvelope } from '../protocol/envelope.ts';
import type { ErrorContext, MessageHandler } from './config.ts';

/**
 * Routes pushed envelopes to the handlers of their SType, in arrival order. Until
 * `start()` they are buffered (bounded); a handler that throws or rejects is reported to
 * `onError` and the others still run.
 */
export class Dispatcher {
  readonly #handlers = new Map<string, Set<MessageHandler>>();
  readonly #buffer: MplEnvelope[] = [];
  readonly #maxBuffered: number;
  readonly #onError: (error: Error, context: ErrorContext) => void;
  #listening = false;

  constructor(options: { maxBuffered: number; onError: (error: Error, context: ErrorContext) => void }) {
    this.#maxBuffered = options.maxBuffered;
    this.#onError = options.onError;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  /** Adds a handler; returns the function that removes it. */
  on(stype: string, handler: MessageHandler): () => void {
    const key = SType.parse(stype).id;
    if (typeof handler !== 'function') {
      // Caught here, not as a TypeError reported for every message of that SType once `listen()` runs.
      throw new MplError(ErrorCode.InvalidArgument, `onMessage(${JSON.stringify(key)}) needs a handler function, got ${handler === null ? 'null' : typeof handler}`, { details: { stype: key } });
    }
    let set = this.#handlers.get(key);
    if (!set) this.#handlers.set(key, (set = new Set()));
    // Wrapped so that the same function registered twice is two registrations.
    const entry: MessageHandler = (envelope) => handler(envelope);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#handlers.get(key) === set) this.#handlers.delete(key);
    };
  }

  /** Starts dispatching, beginning with what was buffered. */
  start(): void {
    this.#listening = true;
    for (const envelope of this.#buffer.splice(0)) this.#dispatch(envelope);
  }

  /** Goes back to buffering. */
  stop(): void {
    this.#listening = false;
  }

  /** Takes one pushed envelope (already verified). */
  deliver(envelope: MplEnvelope): void {
    if (this.#listening) return this.#dispatch(envelope);
    if (this.#buffer.length >= this.#maxBuffered) {
      // The oldest goes (or, with `maxBuffered: 0`, the one that came).
      const dropped = this.#maxBuffered === 0 ? envelope : this.#buffer.shift()!;
      const message = `A pushed envelope (${dropped.stype}, id ${dropped.id}) was discarded: more than ${this.#maxBuffered} (maxBuffered) arrived before listen()`;
      this.#onError(new MplError(ErrorCode.Overloaded, message, { details: { maxBuffered: this.#maxBuffered } }), { source: 'unhandled', envelope: dropped });
      if (dropped === envelope) return;
    }
    this.#buffer.push(envelope);
  }

  /** Forgets buffered envelopes (the session closed). */
  clear(): void {
    this.#buffer.length = 0;
    this.#listening = false;
  }

  #dispatch(envelope: MplEnvelope): void {
    const handlers = this.#handlers.get(envelope.stype);
    if (!handlers || handlers.size === 0) {
      this.#onError(new UnknownStypeError(envelope.stype, 'the handlers registered with onMessage()', { message: `No handler for pushed ${envelope.stype} (id ${envelope.id}); register one with onMessage()` }), { source: 'unhandled', envelope });
      return;
    }
    for (const handler of [...handlers]) callHook(() => handler(envelope), (error) => this.#onError(error, { source: 'handler', envelope }));
  }
}

/**
 * Calls a user's function (a handler, a hook): what it throws, or an async one rejects
 * with, goes to `failed` as an `Error`, never unhandled.
 * @internal
 */
export function callHook(hook: () => unknown, failed: (error: Error) => void): void {
  const fail = (error: unknown): void => failed(error instanceof Error ? error : new Error(String(error)));
  try {
    const result = hook();
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') (result as PromiseLike<unknown>).then(undefined, fail);
  } catch (error) {
    fail(error);
  }
}
