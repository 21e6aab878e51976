// The walkthrough's output: short lines, timings, and a tally of what did not behave.

const started = performance.now();
const failures: string[] = [];

/** `b3:1a2b3c4d5e6f…`: enough of a hash to compare by eye. */
export const shortHash = (hash: string | undefined): string => (hash ? `${hash.slice(0, 15)}…` : '(no hash)');

/** Milliseconds since `t0`, rounded. */
export const since = (t0: number): string => `${Math.round(performance.now() - t0)} ms`;

export function heading(text: string): void {
  console.log(`\n${text}`);
}

export function line(text: string): void {
  console.log(`   ${text}`);
}

/** Records a failed expectation; the walkthrough exits non-zero if there is any. */
export function expect(condition: unknown, what: string): void {
  if (!condition) {
    failures.push(what);
    console.log(`   ✗ ${what}`);
  }
}

/** Resolves when `promise` does, or rejects after `ms` with a message saying what did not happen. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A promise with its resolve function, for "wait until a handler has run". */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Prints the summary line and returns the exit code. */
export function summary(): number {
  console.log(failures.length === 0
    ? `\nAll three examples behaved (${since(started)}).`
    : `\n${failures.length} thing(s) did not behave:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  return failures.length === 0 ? 0 : 1;
}
