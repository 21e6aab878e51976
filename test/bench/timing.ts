// What every bench shares: timing a call, medians over rounds, printing a table.
import { readFileSync } from 'node:fs';

const gc = (globalThis as { gc?: () => void }).gc;

/** Forces a full garbage collection (the bench runner starts Node with --expose-gc). */
export function collectGarbage(): void {
  if (gc === undefined) throw new Error('run the benches with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

/**
 * Nanoseconds this thread has run on a CPU (Linux), or `undefined` where /proc does not say.
 * On a shared machine, time spent waiting for a CPU is not the code's cost; the native
 * baseline (test/bench/native) reads the same counter.
 */
function threadCpuNs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]);
  } catch {
    return undefined;
  }
}

/** What `nsPerOp` measures: this thread's CPU time, or wall-clock time where that is unknown. */
export const CLOCK = threadCpuNs() === undefined ? 'wall-clock time' : 'CPU time of the calling thread';

/** Milliseconds on `CLOCK` since the clock was started. */
function startClock(): () => number {
  const cpu = threadCpuNs();
  const wall = performance.now();
  return cpu === undefined ? () => performance.now() - wall : () => (threadCpuNs()! - cpu) / 1e6;
}

/**
 * Nanoseconds per call of `fn` on `CLOCK`, called in growing batches for at least `minMs`
 * after a warm-up.
 */
export function nsPerOp(fn: () => unknown, minMs: number): number {
  for (let i = 0; i < 50; i++) fn();
  collectGarbage();
  let runs = 0;
  let batch = 1;
  const elapsedMs = startClock();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) fn();
    runs += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = elapsedMs();
  }
  return (elapsed * 1e6) / runs;
}

/** The same for an async `fn`, each call awaited before the next (on `CLOCK` too: time spent waiting for a CPU is not its cost). */
export async function nsPerAsyncOp(fn: () => Promise<unknown>, minMs: number): Promise<number> {
  for (let i = 0; i < 200; i++) await fn();
  collectGarbage();
  let runs = 0;
  let batch = 1;
  const elapsedMs = startClock();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) await fn();
    runs += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = elapsedMs();
  }
  return (elapsed * 1e6) / runs;
}

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A Markdown table (pasteable into the README), first column left-aligned, the others right. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
