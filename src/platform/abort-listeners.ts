/** The callbacks waiting on each caller's signal, behind the one listener this SDK adds to it. */
const waiting = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>();

/**
 * Calls `callback` once when `signal` aborts; returns the function that forgets it. However
 * many operations wait on one signal (a caller's "cancel all" controller given to a
 * hundred sends), the signal holds a single listener of this SDK's: Node warns about a
 * leak past ten listeners on one signal. The listener goes once nobody waits. `signal`
 * must not be aborted yet.
 * @internal
 */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      waiting.delete(signal);
      for (const waiter of callbacks) {
        try {
          waiter();
        } catch (error) {
          // As an event listener's would be: reported, and the others still called.
          queueMicrotask(() => { throw error; });
        }
      }
      callbacks.clear();
    };
    entry = { callbacks, listener };
    waiting.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = entry;
  // Each call waits anew (a callback given twice is called twice), and its own function forgets it.
  const wrapped = (): void => callback();
  callbacks.add(wrapped);
  return () => {
    // After the abort the set is empty and the entry gone: nothing to forget.
    if (!callbacks.delete(wrapped) || callbacks.size !== 0) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
