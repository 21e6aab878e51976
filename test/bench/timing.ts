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

/**
 * A confidence interval of the median of `xs` that assumes nothing about how they are
 * distributed: their k-th smallest and k-th largest, for the largest k such that the true
 * median falls outside that range with probability at most `1 - level` (each value is
 * above the median with probability ½, so the count above it is binomial). The per-round
 * ratios of a bench on a shared machine are far from normal (a disturbed round is off by
 * 2×), so neither a mean nor a standard error fits them. It takes the rounds as
 * independent; a burst of load that spans several rounds makes them less so, and the
 * interval narrower than it should be. `undefined` for too few values (fewer than 6 at 95%).
 */
export function medianInterval(xs: readonly number[], level = 0.95): [number, number] | undefined {
  const n = xs.length;
  // P(count ≤ i) for count ~ Binomial(n, ½), i = 0, 1, …, until it passes (1 - level) / 2. The
  // terms are kept as logarithms: ½ⁿ itself is 0 in a double from n = 1075 on (a latency list).
  let logTerm = -n * Math.LN2;
  let below = Math.exp(logTerm);
  let k = 0;
  while (below <= (1 - level) / 2) {
    k++;
    logTerm += Math.log((n - k + 1) / k);
    below += Math.exp(logTerm);
  }
  if (k === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return [sorted[k - 1]!, sorted[n - k]!];
}

/**
 * Whether a goal on a median is met, judged on its confidence interval: `met` when the
 * whole interval meets it, `not met` when none of it does, `at the line` when it spans the
 * goal (this run cannot tell).
 */
export function verdict(interval: readonly [number, number] | undefined, goal: { atMost?: number; atLeast?: number; below?: number }): string {
  if (interval === undefined) return 'too few rounds';
  const meets = (x: number): boolean => (goal.atMost === undefined || x <= goal.atMost) && (goal.atLeast === undefined || x >= goal.atLeast) && (goal.below === undefined || x < goal.below);
  const [lo, hi] = interval;
  if (meets(lo) && meets(hi)) return 'met';
  return meets(lo) || meets(hi) ? 'at the line' : 'not met';
}

/** `0.91–1.02`, an interval as printed in the tables. */
export const formatInterval = (interval: readonly [number, number] | undefined): string =>
  interval === undefined ? '–' : `${interval[0].toFixed(2)}–${interval[1].toFixed(2)}`;

/** The range of the per-round ratios, smallest to largest: `0.58–1.50`. */
export const range = (xs: readonly number[]): string => formatInterval([Math.min(...xs), Math.max(...xs)]);

/** A Markdown table (pasteable into the README), first column left-aligned, the others right. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
