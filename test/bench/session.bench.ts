// WebSocket round trips through Session (validation and hashing on, reply hash verified
// and reply validated) beside a raw `ws` client doing the same exchange (the same
// envelope text, the same server, matched by in_reply_to) in the same run. The server
// runs in its own process and answers every envelope with a hashed reply envelope. A
// middle column, the same Session with validation and hashing off, shows what the checks cost.
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { Session, semanticHash } from '../../dist/index.js';
import { startServerProcess } from './server-process.ts';
import { printTable } from './timing.ts';

const EVENT = { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] };
const STYPE = 'org.calendar.Event.v1';
const DURATION_MS = 2500;

const server = await startServerProcess();
const url = server.wsUrl;

/**
 * Round trips per second with `inFlight` requests outstanding at all times, and this
 * process's CPU time per round trip (user + system, µs): the client's own cost, which a
 * busy shared machine disturbs far less than the rate.
 */
async function measure(roundTrip: () => Promise<unknown>, inFlight: number): Promise<{ rate: number; cpuUs: number }> {
  for (let i = 0; i < 200; i++) await roundTrip(); // warm up
  (globalThis as { gc?: () => void }).gc?.();
  let done = 0;
  const until = performance.now() + DURATION_MS;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < until) {
      await roundTrip();
      done++;
    }
  }));
  const cpu = process.cpuUsage(cpuStart);
  return { rate: done / ((performance.now() - start) / 1000), cpuUs: (cpu.user + cpu.system) / done };
}

// ---- Session ---------------------------------------------------------------------------
const session = await Session.open({ endpoint: url, stypes: [STYPE] });
const viaSession = (): Promise<unknown> => session.send(STYPE, EVENT);
// The same session with validation and hashing off (the reply's hash is still verified): what the checks cost.
const viaBareSession = (): Promise<unknown> => session.send(STYPE, EVENT, { validate: false, computeHash: false });

// ---- Raw ws: the same handshake, the same envelope (hash computed once), in_reply_to matching
const raw = new WebSocket(url);
await once(raw, 'open');
raw.send(JSON.stringify({ type: 'ai-alpn-hello', version: '1.0', stypes: [STYPE] }));
await once(raw, 'message');
const waiting = new Map<string, () => void>();
raw.on('message', (data) => {
  const reply = JSON.parse(data.toString()) as { in_reply_to: string };
  waiting.get(reply.in_reply_to)?.();
  waiting.delete(reply.in_reply_to);
});
const semHash = await semanticHash(EVENT);
const viaRaw = (): Promise<void> => new Promise((resolve) => {
  const id = randomUUID();
  waiting.set(id, resolve);
  raw.send(JSON.stringify({ id, stype: STYPE, payload: EVENT, sem_hash: semHash, timestamp: new Date().toISOString() }));
});

const rows: string[][] = [];
for (const inFlight of [1, 64]) {
  const s = await measure(viaSession, inFlight);
  const b = await measure(viaBareSession, inFlight);
  const r = await measure(viaRaw, inFlight);
  rows.push([`${inFlight} in flight`, s.rate.toFixed(0), b.rate.toFixed(0), r.rate.toFixed(0), `${(s.rate / r.rate).toFixed(2)}×`,
    `${s.cpuUs.toFixed(1)} / ${b.cpuUs.toFixed(1)} / ${r.cpuUs.toFixed(1)}`]);
}
await session.close();
raw.close();
await server.stop();

printTable(['WebSocket round trips/s', 'Session (validate+hash)', 'Session (checks off)', 'raw ws', 'Session / raw', 'client CPU µs/round trip (same 3)'], rows);
console.log(`payload: ${STYPE}, ${JSON.stringify(EVENT).length} bytes; server in its own process, replies hashed; ${DURATION_MS} ms per cell; Node ${process.versions.node}`);
