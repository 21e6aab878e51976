// Whether the Session gives back what it takes: one session with 10,000 sends in flight at
// once, and 1,000 sessions opened and closed in a loop, in this one process. Each case
// prints the heap after a forced GC before and after (the baseline is "before"), what the
// session still holds (session.stats) and what the process still holds (timers, sockets).
// The server runs in its own process, so its heap is not counted.
import { Session } from '../../dist/node.js';
import { startServerProcess } from './server-process.ts';
import { collectGarbage, printTable } from './timing.ts';

const STYPE = 'org.calendar.Event.v1';
const EVENT = { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] };
const IN_FLIGHT = 10_000;
const SESSIONS = 1_000;

const server = await startServerProcess();

/** Heap in use after a full GC, bytes (a few GCs: finalizers and weak references settle in steps). */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** This process's active timers and sockets, by kind (Node's own view). */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

const describe = (r: Record<string, number>): string => Object.entries(r).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);
const rows: string[][] = [];

// Warm-up: the first session loads the wasm, compiles the schemas and JITs the paths, which
// stays for the process's life and is not what a leak check is after.
{
  const session = await Session.open({ endpoint: server.wsUrl, stypes: [STYPE] });
  await Promise.all(Array.from({ length: 200 }, () => session.send(STYPE, EVENT)));
  await session.close();
}
const idle = resources();

// Each case runs ROUNDS times: a leak grows the heap in every round, a one-time cost (a cache
// filling, code compiled) only in the first.
const ROUNDS = 3;

// ---- One session, 10,000 sends in flight --------------------------------------------------
for (let round = 1; round <= ROUNDS; round++) {
  const session = await Session.open({ endpoint: server.wsUrl, stypes: [STYPE] });
  const before = await settledHeap();
  const sends = Array.from({ length: IN_FLIGHT }, () => session.send(STYPE, EVENT));
  // A send checks and hashes its payload before it waits for its reply: sample once every send has got that far.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const during = session.stats;
  const peak = process.memoryUsage().heapUsed;
  const settled = await Promise.allSettled(sends);
  const failed = settled.filter((s) => s.status === 'rejected').length;
  sends.length = 0;
  settled.length = 0;
  const after = await settledHeap();
  const stats = session.stats;
  rows.push([
    `1 session, ${IN_FLIGHT.toLocaleString('en-US')} sends in flight (round ${round})`, mb(before), mb(peak), mb(after), mb(after - before),
    `pending ${stats.pending}, queued ${stats.queued}, timers ${stats.timers}, buffered ${stats.buffered} (during: pending ${during.pending}, timers ${during.timers})`,
    failed ? `${failed} sends failed` : 'all replied',
  ]);
  await session.close();
}

// ---- 1,000 sessions opened and closed -----------------------------------------------------
for (let round = 1; round <= ROUNDS; round++) {
  const before = await settledHeap();
  let peak = 0;
  const left = { pending: 0, queued: 0, timers: 0, buffered: 0 };
  for (let i = 0; i < SESSIONS; i++) {
    const session = await Session.open({ endpoint: server.wsUrl, stypes: [STYPE] });
    await session.send(STYPE, EVENT);
    await session.close();
    const stats = session.stats;
    left.pending += stats.pending;
    left.queued += stats.queued;
    left.timers += stats.timers;
    left.buffered += stats.buffered;
    if (i % 100 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const after = await settledHeap();
  rows.push([
    `${SESSIONS.toLocaleString('en-US')} sessions opened, 1 send, closed (round ${round})`, mb(before), mb(peak), mb(after), mb(after - before),
    `summed over the closed sessions: pending ${left.pending}, queued ${left.queued}, timers ${left.timers}, buffered ${left.buffered}`,
    'all replied',
  ]);
}

// Sockets close asynchronously: give them a moment before asking what the process holds.
await new Promise((resolve) => setTimeout(resolve, 200));
const end = resources();
await server.stop();

printTable(['case', 'heap before MB', 'peak MB', 'heap after MB', 'after − before MB', 'left in the session(s)', 'sends'], rows);
console.log(`heap: process.memoryUsage().heapUsed after forced GCs (--expose-gc); the baseline is "before", the goal "after − before" ≈ 0 from round 2 on (round 1 also fills caches).`);
console.log(`process resources (timers, sockets): at the start ${describe(idle)}; at the end ${describe(end)} (the same means none left behind).`);
