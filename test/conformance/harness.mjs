// A tiny portable test harness: plain ES2022, no imports, so the same cases run in Node,
// Deno, Bun, browsers and workerd. `collect` gathers named cases; `runCases` runs them one
// after another, each under its own time limit, and reports every outcome.

/** Thrown by the assertions below. */
export class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AssertionError';
  }
}

const show = (value) => {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
};

function isDeepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && isDeepEqual(a[k], b[k]));
}

/** Assertions in the spirit of node:assert/strict, portable. */
export const assert = {
  ok(value, message) {
    if (!value) throw new AssertionError(message ?? `expected a truthy value, got ${show(value)}`);
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
  },
  notEqual(actual, unexpected, message) {
    if (Object.is(actual, unexpected)) throw new AssertionError(`${message ? `${message}: ` : ''}did not expect ${show(actual)}`);
  },
  deepEqual(actual, expected, message) {
    if (!isDeepEqual(actual, expected)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(expected)}, got ${show(actual)}`);
  },
  match(text, pattern, message) {
    if (typeof text !== 'string' || !pattern.test(text)) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(text)} to match ${pattern}`);
  },
  /** Calls `fn`, expects it to throw, returns the error for further checks. */
  throws(fn, message) {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new AssertionError(message ?? 'expected a throw, nothing was thrown');
  },
  /** Awaits `promiseOrFn`, expects a rejection, returns the reason. */
  async rejects(promiseOrFn, message) {
    try {
      await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
    } catch (error) {
      return error;
    }
    throw new AssertionError(message ?? 'expected a rejection, the promise resolved');
  },
};

/** A collector: `test(name, fn, {timeoutMs})` adds a case. */
export function collect() {
  const cases = [];
  const test = (name, fn, options = {}) => cases.push({ name, fn, timeoutMs: options.timeoutMs ?? 15_000 });
  return { cases, test };
}

function describeError(error) {
  if (error instanceof Error) {
    const code = typeof error.code === 'string' ? ` [${error.code}]` : '';
    return `${error.name}${code}: ${error.message}`;
  }
  return show(error);
}

async function runOne(c) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError(`timed out after ${c.timeoutMs} ms`)), c.timeoutMs);
  });
  const started = Date.now();
  try {
    await Promise.race([Promise.resolve().then(c.fn), limit]);
    return { name: c.name, ok: true, ms: Date.now() - started };
  } catch (error) {
    return { name: c.name, ok: false, ms: Date.now() - started, error: describeError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the cases in order; resolves with `{passed, failed, results}`, never rejects. */
export async function runCases(cases, onResult = () => {}) {
  const results = [];
  for (const c of cases) {
    const result = await runOne(c);
    results.push(result);
    onResult(result);
  }
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}
