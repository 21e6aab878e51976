import { TimeoutError } from '../errors/timeout-error.ts';

/**
 * One operation's time limit and cancellation. `clear()` must be called when the
 * operation ends. `signal` is made on first use (an `AbortSignal` costs more than the
 * rest of a request's bookkeeping): a request over WebSocket never needs one; `aborted`,
 * `reason` and `onAbort` answer without it.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly aborted: boolean;
  /** Why it aborted (a `TimeoutError` naming the operation, or the caller's signal's reason). */
  readonly reason: unknown;
  /** Calls `listener` once when it aborts (not if it already has); returns the function that removes it. */
  onAbort(listener: () => void): () => void;
  clear(): void;
}

class OperationDeadline implements Deadline {
  aborted = false;
  reason: unknown = undefined;
  #controller: AbortController | undefined;
  #listeners: (() => void)[] | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;

  constructor(operation: string, timeoutMs: number, callerSignal: AbortSignal | undefined) {
    this.#callerSignal = callerSignal;
    if (callerSignal?.aborted) {
      this.#abort(callerSignal.reason);
      return;
    }
    if (callerSignal) {
      this.#onCallerAbort = () => this.#abort(callerSignal.reason);
      callerSignal.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
    if (Number.isFinite(timeoutMs)) this.#timer = setTimeout(() => this.#abort(new TimeoutError(operation, timeoutMs)), timeoutMs);
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  onAbort(listener: () => void): () => void {
    (this.#listeners ??= []).push(listener);
    return () => {
      const at = this.#listeners?.indexOf(listener) ?? -1;
      if (at >= 0) this.#listeners!.splice(at, 1);
    };
  }

  clear(): void {
    clearTimeout(this.#timer);
    if (this.#onCallerAbort) this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}

/**
 * Combines a time limit (a `TimeoutError` naming `operation`) with the caller's signal.
 * The deadline's `reason` is whichever came first.
 */
export function createDeadline(operation: string, timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  return new OperationDeadline(operation, timeoutMs, callerSignal);
}

/** Rejects with the deadline's reason when it aborts; `dispose` removes the listener. */
export function abortPromise(deadline: Deadline): { promise: Promise<never>; dispose(): void } {
  let dispose = (): void => {};
  const promise = new Promise<never>((_, reject) => {
    if (deadline.aborted) reject(deadline.reason);
    else dispose = deadline.onAbort(() => reject(deadline.reason));
  });
  promise.catch(() => {});
  return { promise, dispose };
}
