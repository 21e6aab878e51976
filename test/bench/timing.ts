// What every bench shares: timing a call, medians over rounds, printing a table.
const gc = (globalThis as { gc?: () => void }).gc;

/** Forces a full garbage collection (the bench runner starts Node with --expose-gc). */
export function collectGarbage(): void {
  if (gc === undefined) throw new Error('run the benches with node --expose-gc (npm run bench does)');
  gc();
  gc();
}

/**
 * Nanoseconds of CPU time this process has used (`process.cpuUsage`: user and system time of
 * all its threads, exact to the microsecond), or `undefined` where the runtime does not say.
 * On a shared machine, time spent waiting for a CPU is not the code's cost. The count covers
 * V8's helper threads too (garbage collection, compilation): what the code costs the machine,
 * never less. (/proc's per-thread schedstat, read before, moves a scheduler tick, 4 ms here,
 * at a time: ±3% on a 150 ms cell.) The native baseline (test/bench/native) reads its
 * process's CPU time too.
 */
function processCpuNs(): number | undefined {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') return undefined;
  const { user, system } = process.cpuUsage();
  return (user + system) * 1e3;
}

/** What `nsPerOp` measures: this process's CPU time, or wall-clock time where that is unknown. */
export const CLOCK = processCpuNs() === undefined ? 'wall-clock time' : 'CPU time of the process';

/** Milliseconds on `CLOCK` since the clock was started. */
function startClock(): () => number {
  const cpu = processCpuNs();
  const wall = performance.now();
  return cpu === undefined ? () => performance.now() - wall : () => (processCpuNs()! - cpu) / 1e6;
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

/** The ratios from quantile `lo` to `hi` (nearest rank), for the spread of per-round ratios: `0.98–1.31`. */
export function spread(xs: readonly number[], lo: number, hi: number): string {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (q: number): string => sorted[Math.round(q * (sorted.length - 1))]!.toFixed(2);
  return `${at(lo)}–${at(hi)}`;
}

/** A Markdown table (pasteable into the README), first column left-aligned, the others right. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
