// Small helpers for the Session's tests.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ErrorContext } from '../../src/session/index.ts';

/** An onError hook that records what it is given. */
export function errorLog(): { onError: (error: Error, context: ErrorContext) => void; errors: Array<{ error: Error; source: ErrorContext['source'] }> } {
  const errors: Array<{ error: Error; source: ErrorContext['source'] }> = [];
  return { errors, onError: (error, context) => errors.push({ error, source: context.source }) };
}

/** V8's `gc()` in a process not started with `--expose-gc`: a full collection each call. */
export function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Polls `condition` until true (bounded). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Settles a promise into a value or its error, for assertions. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/** `session.stats` of a session that holds nothing: no request, timer or buffered push left behind. */
export const EMPTY_STATS = { pending: 0, queued: 0, timers: 0, buffered: 0, expired: 0, reconnections: 0 };

export const EVENT = { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 };

/**
 * Resolves or rejects as `promise` does, or rejects after `timeoutMs` naming what did not
 * happen, so that a regression fails the test at once instead of hanging the file.
 */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs); });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes `things` in order when the test ends, passed or failed (node:test's `t.after`):
 * sessions before the servers they talk to. Every close runs; the first failure is thrown.
 */
export function closeAfter(t: { after(fn: () => Promise<void>): void }, ...things: Array<{ close(): Promise<unknown> } | undefined>): void {
  t.after(async () => {
    const failures: unknown[] = [];
    for (const thing of things) await thing?.close().catch((error: unknown) => failures.push(error));
    if (failures.length) throw failures[0];
  });
}

/**
 * Runs `script` (an ES module, with `tsx`, from the repository's root) in a child process,
 * which prints `closed` once it closed everything, and asserts it then exits at once (within
 * 4 s): nothing it left behind (a timer, a socket) keeps the process alive.
 */
export async function assertExitsOnceClosed(script: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
  let closedAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('closed')) closedAt ??= performance.now(); });
  const [code] = await once(child, 'exit') as [number];
  assert.equal(code, 0);
  assert.ok(closedAt !== undefined, 'the session closed');
  assert.ok(performance.now() - closedAt < 4000, `exited ${(performance.now() - closedAt).toFixed(0)} ms after everything was closed`);
}
