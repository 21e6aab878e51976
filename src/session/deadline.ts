import { TimeoutError } from '../errors/timeout-error.ts';

/** One operation's time limit and cancellation, as a single signal. `clear()` must be called when the operation ends. */
export interface Deadline {
  readonly signal: AbortSignal;
  clear(): void;
}

/**
 * Combines a time limit (a `TimeoutError` naming `operation`) with the caller's signal.
 * The combined signal's `reason` is whichever came first.
 */
export function createDeadline(operation: string, timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const controller = new AbortController();
  if (callerSignal?.aborted) {
    controller.abort(callerSignal.reason);
    return { signal: controller.signal, clear() {} };
  }
  const onAbort = (): void => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onAbort, { once: true });
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => controller.abort(new TimeoutError(operation, timeoutMs)), timeoutMs)
    : undefined;
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Rejects with the signal's reason when it aborts; `dispose` removes the listener. */
export function abortPromise(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort = (): void => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
