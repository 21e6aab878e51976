// The waiting of a graceful shutdown, shared by MplServer.drain and the Node adapter's drain,
// and the longest delay a timer takes.
import type { ServerLimits } from './options.ts';

/** The longest delay `setTimeout` and `setInterval` take (about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** How long a graceful shutdown waits: `graceMs`, else `limits.handlerTimeoutMs` (by when every handler has its answer); at most 30 s. */
export const graceOf = (limits: ServerLimits, graceMs?: number): number => Math.min(graceMs ?? limits.handlerTimeoutMs, 30_000);

/** Resolves once `work` settles, or after `ms`, whichever comes first; leaves no timer behind. */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([work.then(() => {}, () => {}), new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
