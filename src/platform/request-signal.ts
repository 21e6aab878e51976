import { whenAborted } from './abort-listeners.ts';

/** The signal one request runs under. @internal */
export interface RequestSignal {
  readonly signal: AbortSignal;
  /** Whether the time limit ran out (the abort is the limit's). */
  readonly timedOut: boolean;
  abort(reason: unknown): void;
  /**
   * `step` (the `fetch` call, the body's read), or its abort's reason as soon as this
   * aborts: a `fetch` the caller gave that ignores `init.signal` cannot outlast the time
   * limit or the caller's cancel. What `step` does afterwards is dropped.
   */
  race<T>(step: Promise<T>): Promise<T>;
  /** Forgets the caller's signal and the timer: call once the request has settled. */
  done(): void;
}

/**
 * A signal for one request: aborted with the caller's reason when `caller` aborts (through
 * the one listener the SDK keeps on a caller's signal, see `whenAborted`), when `timeoutMs`
 * runs out (`timedOut` is then true and the reason `onTimeout()`), or by `abort`. Throws the
 * caller's reason at once when it has already aborted. `caller` needs only `aborted`,
 * `reason` and `addEventListener`: a polyfill's signal works as the runtime's does.
 * @internal
 */
export function requestSignal(caller: AbortSignal | undefined, timeoutMs?: number, onTimeout?: () => unknown): RequestSignal {
  if (caller?.aborted) throw caller.reason;
  const controller = new AbortController();
  let timedOut = false;
  /** Rejects the step being raced, if any. */
  let fail: ((reason: unknown) => void) | undefined;
  const abort = (reason: unknown): void => {
    controller.abort(reason);
    fail?.(controller.signal.reason);
  };
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    abort(onTimeout?.());
  }, timeoutMs);
  const forget = caller === undefined ? undefined : whenAborted(caller, () => abort(caller.reason));
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    abort,
    race<T>(step: Promise<T>): Promise<T> {
      if (controller.signal.aborted) {
        step.catch(() => {});
        return Promise.reject(controller.signal.reason);
      }
      return new Promise<T>((resolve, reject) => {
        fail = reject;
        step.then(resolve, reject);
      });
    },
    done() {
      fail = undefined;
      clearTimeout(timer);
      forget?.();
    },
  };
}
