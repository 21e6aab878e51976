import { whenAborted } from '../platform/abort-listeners.ts';
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
  /** Calls `listener` once when it aborts (not if it already has). */
  onAbort(listener: () => void): void;
  /** Removes a listener `onAbort` added. */
  offAbort(listener: () => void): void;
  /** Ends it: it will not abort (nor call its listeners, which it lets go of). */
  clear(): void;
}

class OperationDeadline implements Deadline {
  aborted = false;
  reason: unknown = undefined;
  /** When it times out, on `performance.now()`'s clock; `Infinity` for no time limit. */
  readonly due: number;
  readonly timeoutMs: number;
  readonly operation: string;
  /** True while it waits in its timer's queue. */
  queued = false;
  #controller: AbortController | undefined;
  /** The first listener; more (rare) go to `#more`. */
  #listener: (() => void) | undefined;
  #more: (() => void)[] | undefined;
  readonly #timer: DeadlineTimer;
  /** Forgets the caller's signal (see `whenAborted`). */
  readonly #forgetCaller: (() => void) | undefined;

  constructor(timer: DeadlineTimer, operation: string, timeoutMs: number, callerSignal: AbortSignal | undefined) {
    this.#timer = timer;
    this.operation = operation;
    this.timeoutMs = timeoutMs;
    this.due = Number.isFinite(timeoutMs) ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
    if (callerSignal?.aborted) {
      this.#abort(callerSignal.reason);
      return;
    }
    if (callerSignal) this.#forgetCaller = whenAborted(callerSignal, () => this.#abort(callerSignal.reason));
    if (this.due !== Number.POSITIVE_INFINITY) timer.enqueue(this);
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  onAbort(listener: () => void): void {
    if (this.aborted) return;
    if (this.#listener === undefined && this.#more === undefined) this.#listener = listener;
    else (this.#more ??= []).push(listener);
  }

  offAbort(listener: () => void): void {
    if (this.#listener === listener) this.#listener = undefined;
    const at = this.#more?.indexOf(listener) ?? -1;
    if (at >= 0) this.#more!.splice(at, 1);
  }

  clear(): void {
    if (this.queued) this.#timer.dequeue(this);
    this.#forgetCaller?.();
    // It will not abort now: its listeners (a request's, holding all of it) are let go of (see `Request.settle` in session.ts).
    this.#listener = this.#more = undefined;
  }

  /** Its time is up (its timer calls this, having taken it off the queue). */
  expire(): void {
    this.#abort(new TimeoutError(this.operation, this.timeoutMs));
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    if (this.queued) this.#timer.dequeue(this);
    this.#controller?.abort(reason);
    const first = this.#listener;
    const more = this.#more;
    this.#listener = this.#more = undefined;
    first?.();
    if (more) for (const listener of more) listener();
  }
}

/** Deadlines of one time limit, in the order they fall due (the order they were made). */
interface DueQueue {
  items: (OperationDeadline | undefined)[];
  /** Index of the first item still in the queue. */
  head: number;
  /** Items behind `head` that were cleared but not yet removed. */
  cleared: number;
}

/** setTimeout's longest delay (a longer one fires at once); a later deadline is re-checked when it fires. @internal */
export const MAX_DELAY_MS = 2 ** 31 - 1;
/** Cleared items a queue may hold before it is compacted (and then only when they outnumber the rest). */
const COMPACT_AT = 256;
/** Queues kept while empty. */
const MAX_IDLE_QUEUES = 4;

/**
 * Deno gives npm code Node's timers, `unref()` included, but its test sanitizer still
 * counts an unreferenced timer as a leak: there the idle timer is cleared.
 */
const IN_DENO = typeof (globalThis as { Deno?: unknown }).Deno === 'object';

/** What a Node (or Bun) timer adds: `unref()` lets the process exit while it waits. */
interface Unrefable {
  ref(): unknown;
  unref(): unknown;
}

/**
 * The time limits of one session's operations on one timer, set for the earliest of
 * them, instead of a timer for each: a busy session makes and clears a deadline per
 * request. Deadlines with the same time limit fall due in the order they are made, so
 * each limit has a queue; a cleared deadline is removed from its queue's head at once
 * and from elsewhere when cleared ones outnumber the rest. While no deadline waits, the
 * timer is kept for the next one but unreferenced (Node, Bun), or cleared where timers
 * cannot be unreferenced, and in Deno; `close()` clears it for good once nothing waits.
 */
export class DeadlineTimer {
  readonly #queues = new Map<number, DueQueue>();
  #waiting = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The due time the timer is set for. */
  #setFor = Number.POSITIVE_INFINITY;
  #closed = false;

  /**
   * Combines a time limit (a `TimeoutError` naming `operation`) with the caller's signal.
   * The deadline's `reason` is whichever came first.
   */
  deadline(operation: string, timeoutMs: number, callerSignal?: AbortSignal): Deadline {
    return new OperationDeadline(this, operation, timeoutMs, callerSignal);
  }

  /** Deadlines waiting for their time. */
  get size(): number {
    return this.#waiting;
  }

  /** No more deadlines will be needed: the timer goes as soon as none waits. */
  close(): void {
    this.#closed = true;
    if (this.#waiting === 0) this.#stop();
  }

  enqueue(deadline: OperationDeadline): void {
    let queue = this.#queues.get(deadline.timeoutMs);
    if (!queue) this.#queues.set(deadline.timeoutMs, (queue = { items: [], head: 0, cleared: 0 }));
    queue.items.push(deadline);
    deadline.queued = true;
    if (this.#waiting++ === 0 && this.#timer !== undefined) (this.#timer as Partial<Unrefable>).ref?.();
    if (deadline.due < this.#setFor) this.#set(deadline.due);
  }

  dequeue(deadline: OperationDeadline): void {
    deadline.queued = false;
    const queue = this.#queues.get(deadline.timeoutMs)!;
    queue.cleared++;
    this.#dropCleared(queue, deadline.timeoutMs);
    if (--this.#waiting > 0) return;
    const timer = this.#timer as Partial<Unrefable> | undefined;
    if (this.#closed || typeof timer?.unref !== 'function' || IN_DENO) this.#stop();
    else timer.unref();
  }

  #dropCleared(queue: DueQueue, timeoutMs: number): void {
    const { items } = queue;
    while (queue.head < items.length && !items[queue.head]!.queued) {
      items[queue.head++] = undefined;
      queue.cleared--;
    }
    // An emptied queue stays for the next deadline of its limit (a session with one request at a time
    // empties it on every reply), unless several limits are in use; the compaction below trims it.
    if (queue.head === items.length && this.#queues.size > MAX_IDLE_QUEUES) {
      this.#queues.delete(timeoutMs);
    } else if (queue.cleared > COMPACT_AT && queue.cleared * 2 > items.length - queue.head) {
      queue.items = items.filter((item) => item?.queued === true);
      queue.head = 0;
      queue.cleared = 0;
    } else if (queue.head > COMPACT_AT && queue.head * 2 > items.length) {
      queue.items = items.slice(queue.head);
      queue.head = 0;
    }
  }

  #set(due: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#setFor = due;
    this.#timer = setTimeout(this.#fire, Math.min(Math.max(due - performance.now(), 0), MAX_DELAY_MS));
  }

  #stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#setFor = Number.POSITIVE_INFINITY;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#setFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    const expired: OperationDeadline[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const queue of this.#queues.values()) {
      const { items } = queue;
      for (let i = queue.head; i < items.length; i++) {
        const deadline = items[i]!;
        if (!deadline.queued) continue;
        if (deadline.due > now) {
          next = Math.min(next, deadline.due);
          break;
        }
        expired.push(deadline);
      }
    }
    // In the order they fell due; each leaves its queue as it aborts.
    expired.sort((a, b) => a.due - b.due);
    for (const deadline of expired) if (deadline.queued) deadline.expire();
    if (next < this.#setFor && this.#waiting > 0) this.#set(next);
  };
}

/** Rejects with the deadline's reason when it aborts; `dispose` removes the listener. */
export function abortPromise(deadline: Deadline): { promise: Promise<never>; dispose(): void } {
  let listener: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (deadline.aborted) reject(deadline.reason);
    else deadline.onAbort((listener = () => reject(deadline.reason)));
  });
  promise.catch(() => {});
  return { promise, dispose: () => { if (listener) deadline.offAbort(listener); } };
}
