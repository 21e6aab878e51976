import { whenAborted } from './abort-listeners.ts';

/** The signal one request runs under. @internal */
export interface RequestSignal {
  readonly signal: AbortSignal;
  /** Whether the time limit ran out (the abort is the limit's). */
  readonly timedOut: boolean;
  abort(reason: unknown): void;
  /** Forgets the caller's signal and the timer: call once the request has settled. */
  done(): void;
}

/**
 * A signal for one request: aborted with the caller's reason when `caller` aborts (through
 * the one listener the SDK keeps on a caller's signal, see `whenAborted`), when `timeoutMs`
 * runs out (`timedOut` is then true and the reason `onTimeout()`), or by `abort`. Throws the
 * caller's reason at once when it has already aborted.
 * @internal
 */
export function requestSignal(caller: AbortSignal | undefined, timeoutMs?: number, onTimeout?: () => unknown): RequestSignal {
  caller?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    controller.abort(onTimeout?.());
  }, timeoutMs);
  const forget = caller === undefined ? undefined : whenAborted(caller, () => controller.abort(caller.reason));
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    abort: (reason) => controller.abort(reason),
    done() {
      clearTimeout(timer);
      forget?.();
    },
  };
}
