// WebSocket round trips through Session (validation and hashing on, reply hash verified
// and reply validated) beside a raw `ws` client doing the same exchange (the same
// envelope text, the same server, matched by in_reply_to) in the same run; then, at 1 in
// flight, the three sides request by request in turn (the added latency, paired per turn). The server
// runs in its own process and answers every envelope with a hashed reply envelope. A
// middle column, the same Session with validation and hashing off, shows what the checks cost.
// The three take turns in alternating rounds (the order rotates), and each ratio is the
// median over rounds of the ratio within a round, so load from other processes shifts all
// sides alike. Many short rounds rather than a few long ones: on a shared machine a burst
// of load lasts seconds, so a long round can catch it on one side only. Beside the median
// are its 95% confidence interval, the verdict on issue 14's goal that the interval
// allows, and the range of the per-round rate ratios, so a reader sees how far one run
// can be trusted.
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { Client, Mode, Session, semanticHash } from '../../dist/node.js';
import { startServerProcess } from './server-process.ts';
import { collectGarbage, formatInterval, median, medianInterval, printTable, range, verdict } from './timing.ts';

const EVENT = { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] };
const STYPE = 'org.calendar.Event.v1';
const DURATION_MS = 300;
const WARM_MS = 100;
const ROUNDS = 21;

const server = await startServerProcess();
const url = server.wsUrl;

/** Keeps `inFlight` round trips outstanding for `ms`; how many completed. */
async function keepBusy(roundTrip: () => Promise<unknown>, inFlight: number, ms: number): Promise<number> {
  let done = 0;
  const until = performance.now() + ms;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (performance.now() < until) {
      await roundTrip();
      done++;
    }
  }));
  return done;
}

/**
 * Round trips per second with `inFlight` requests outstanding at all times, and this
 * process's CPU time per round trip (user + system, µs): the client's own cost, which a
 * busy shared machine disturbs far less than the rate. No full GC is forced between
 * cells: a forced full GC deoptimizes optimized code that holds objects it collected (V8
 * "weak objects"; on the Session's path: send, the reply handler, the deadline's clear),
 * and re-optimizing takes some 1,000 round trips, charged to the side with more
 * JavaScript on its path; an application does not collect its whole heap every 300 ms.
 * This is `gc()` itself, not the Session: what dies are the maps (hidden classes) of
 * per-round-trip objects, none alive between round trips; V8 keeps such maps through two
 * ordinary mark-compacts (--retain-maps-for-n-gc) but not through a forced one. With one
 * session kept alive, each forced `gc()` deoptimizes 11–30 functions (Node's own
 * processPromiseRejections and clearBuffer, ws's onMessage among them), a ten-line
 * MessageChannel round trip without the SDK loses some 9 the same way, and mark-compacts
 * the heap starts itself deoptimize none unless run with --retain-maps-for-n-gc=0.
 * The heap is collected once before the rounds; each side's garbage is collected by the
 * scavenges the rotation spreads over all sides alike.
 */
async function measure(roundTrip: () => Promise<unknown>, inFlight: number): Promise<{ rate: number; cpuUs: number }> {
  await keepBusy(roundTrip, inFlight, WARM_MS);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const done = await keepBusy(roundTrip, inFlight, DURATION_MS);
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

type Cell = { rate: number; cpuUs: number };
const rows: string[][] = [];
const ways = [viaSession, viaBareSession, viaRaw];
/** Issue 14's goals: on the rate ratio at both levels, on the CPU ratio at 64 in flight. */
const GOALS: Record<number, { rate: { atLeast: number }; cpu?: { atMost: number } }> = { 1: { rate: { atLeast: 0.9 } }, 64: { rate: { atLeast: 0.8 }, cpu: { atMost: 1.5 } } };
for (const inFlight of [1, 64]) {
  const cells: Cell[][] = ways.map(() => []);
  collectGarbage();
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < ways.length; k++) {
      const way = (round + k) % ways.length; // rotate who goes first
      cells[way]!.push(await measure(ways[way]!, inFlight));
    }
  }
  const [s, b, r] = cells as [Cell[], Cell[], Cell[]];
  const rateRatios = s.map((c, i) => c.rate / r[i]!.rate);
  const rateRatio = median(rateRatios);
  const rateInterval = medianInterval(rateRatios);
  const cpuRatios = s.map((c, i) => c.cpuUs / r[i]!.cpuUs);
  const cpuRatio = median(cpuRatios);
  const cpuGoal = GOALS[inFlight]!.cpu;
  const cpuInterval = medianInterval(cpuRatios);
  const cpuVerdict = cpuGoal ? `; ${verdict(cpuInterval, cpuGoal)} (CI ${formatInterval(cpuInterval)})` : '';
  const bareCpuRatio = median(b.map((c, i) => c.cpuUs / r[i]!.cpuUs));
  const rate = (xs: Cell[]): string => median(xs.map((c) => c.rate)).toFixed(0);
  const cpu = (xs: Cell[]): string => median(xs.map((c) => c.cpuUs)).toFixed(1);
  rows.push([`${inFlight} in flight`, rate(s), rate(b), rate(r), `${rateRatio.toFixed(2)}×`, formatInterval(rateInterval), verdict(rateInterval, GOALS[inFlight]!.rate), range(rateRatios), cpu(s), cpu(b), cpu(r), `${cpuRatio.toFixed(2)}× / ${bareCpuRatio.toFixed(2)}×${cpuVerdict}`]);
}
// ---- 1 in flight, interleaved: one request through each side in turn (the order rotating), so that
// the three requests of a turn meet the same state of the host, which the rounds above cannot give
// (a burst of load lasts longer than a round trip, not longer than a 300 ms cell). Per request, the
// latency from the call to its settling; per turn, each side's difference from raw's and the ratio.
const TURNS = 10_000;
const WARM_TURNS = 500;
const latency: number[][] = ways.map(() => []);
for (let turn = 0; turn < WARM_TURNS + TURNS; turn++) {
  for (let k = 0; k < ways.length; k++) {
    const way = (turn + k) % ways.length;
    const start = performance.now();
    await ways[way]!();
    if (turn >= WARM_TURNS) latency[way]!.push((performance.now() - start) * 1000);
  }
}
const interleavedRows = (['Session', 'checks off', 'raw ws'] as const).map((name, way) => {
  const mine = latency[way]!;
  const raw = latency[2]!;
  if (way === 2) return [name, median(mine).toFixed(1), '', '', ''];
  const added = mine.map((x, i) => x - raw[i]!);
  const ratios = mine.map((x, i) => raw[i]! / x);
  return [name, median(mine).toFixed(1), median(added).toFixed(1), formatInterval(medianInterval(added)), `${median(ratios).toFixed(3)}× (${formatInterval(medianInterval(ratios))})`];
});

// ---- 1 in flight, a round trip in three parts, each side alone (rounds rotating, as above): from the
// call until its frame is handed to the socket (`ws`'s send), from there until the reply's frame is read
// (`ws` emits it), and from there until the call settles (the reply read, checked, matched, its promise
// settled). Stamped by wrapping `ws`'s own send and emit for this part alone (every side goes through
// them, the same two stamps each); put back afterwards. Per round, each side's median of each part; then
// the medians over rounds, and of each round's difference from raw's (the host moves all sides of a round alike).
const SPLIT_ROUNDS = 11;
/** Per side, per part: each round's median (µs). */
const split: number[][][] = ways.map(() => [[], [], []]);
let wroteAt = 0;
let readAt = 0;
const socketProto = WebSocket.prototype as unknown as { send: (...args: unknown[]) => void; emit: (event: string | symbol, ...args: unknown[]) => boolean };
const { send: wsSend, emit: wsEmit } = socketProto;
socketProto.send = function (this: unknown, ...args: unknown[]): void {
  wroteAt = performance.now();
  wsSend.apply(this, args);
};
socketProto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'message') readAt = performance.now();
  return wsEmit.call(this, event, ...args);
};
try {
  for (let round = 0; round < SPLIT_ROUNDS; round++) {
    for (let k = 0; k < ways.length; k++) {
      const way = (round + k) % ways.length;
      const roundTrip = ways[way]!;
      await keepBusy(roundTrip, 1, WARM_MS);
      const parts: number[][] = [[], [], []];
      const until = performance.now() + DURATION_MS;
      while (performance.now() < until) {
        const start = performance.now();
        await roundTrip();
        const settled = performance.now();
        parts[0]!.push((wroteAt - start) * 1000);
        parts[1]!.push((readAt - wroteAt) * 1000);
        parts[2]!.push((settled - readAt) * 1000);
      }
      parts.forEach((xs, part) => split[way]![part]!.push(median(xs)));
    }
  }
} finally {
  socketProto.send = wsSend;
  socketProto.emit = wsEmit;
}
const splitRows = (['Session', 'checks off', 'raw ws'] as const).map((name, way) => [name, ...split[way]!.map((rounds, part) => {
  if (way === 2) return median(rounds).toFixed(1);
  const added = median(rounds.map((x, i) => x - split[2]![part]![i]!));
  return `${median(rounds).toFixed(1)} (${added >= 0 ? '+' : ''}${added.toFixed(1)})`;
})]);

// ---- HTTP: the same exchange POSTed, Session (checks on) beside fetch with the same envelope text (no goal)
const HTTP_ROUNDS = 7;
const httpUrl = url.replace(/^ws/, 'http').replace(/\/ws$/, '/mcp');
const httpSession = await Session.open({ endpoint: httpUrl, stypes: [STYPE] });
const viaHttpSession = (): Promise<unknown> => httpSession.send(STYPE, EVENT);
const client = new Client(httpUrl, { mode: Mode.Production });
const viaClient = (): Promise<unknown> => client.send(STYPE, EVENT);
const viaFetch = async (): Promise<void> => {
  const response = await fetch(httpUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-mpl-stype': STYPE },
    body: JSON.stringify({ id: randomUUID(), stype: STYPE, payload: EVENT, sem_hash: semHash, timestamp: new Date().toISOString() }),
  });
  if ((await response.json() as { in_reply_to?: string }).in_reply_to === undefined) throw new Error('not a reply');
};
const httpRows: string[][] = [];
const httpWays = [viaHttpSession, viaClient, viaFetch];
for (const inFlight of [1, 16]) {
  const cells: Cell[][] = httpWays.map(() => []);
  for (let round = 0; round < HTTP_ROUNDS; round++) {
    for (let k = 0; k < httpWays.length; k++) {
      const way = (round + k) % httpWays.length; // rotate who goes first
      cells[way]!.push(await measure(httpWays[way]!, inFlight));
    }
  }
  const [s, c, f] = cells as [Cell[], Cell[], Cell[]];
  const rate = (xs: Cell[]): string => median(xs.map((x) => x.rate)).toFixed(0);
  const cpu = (xs: Cell[]): string => median(xs.map((x) => x.cpuUs)).toFixed(1);
  const vsFetch = (xs: Cell[], of: 'rate' | 'cpuUs'): string => `${median(xs.map((x, i) => x[of] / f[i]![of])).toFixed(2)}×`;
  httpRows.push([`${inFlight} in flight`, rate(s), rate(c), rate(f), `${vsFetch(s, 'rate')} / ${vsFetch(c, 'rate')}`, cpu(s), cpu(c), cpu(f), `${vsFetch(s, 'cpuUs')} / ${vsFetch(c, 'cpuUs')}`]);
}
await httpSession.close();

await session.close();
raw.close();
await server.stop();

printTable([
  'WebSocket', 'round trips/s: Session', 'checks off', 'raw ws', 'Session / raw', '95% CI', 'goal', 'rounds: min–max',
  'client CPU µs/round trip: Session', 'checks off', 'raw ws', 'CPU vs raw (Session / checks off)',
], rows);
console.log(`payload: ${STYPE}, ${JSON.stringify(EVENT).length} bytes; server in its own process, replies hashed; medians of ${ROUNDS} rotating rounds, ${DURATION_MS} ms per cell after ${WARM_MS} ms of warm-up (Session / raw: the median of the per-round ratios, with its 95% confidence interval, and the ratios' range); Node ${process.versions.node}`);
console.log('Goals (issue 14): Session / raw ≥ 0.80× at 64 in flight and ≥ 0.90× at 1; client CPU ≤ 1.50× raw at 64 in flight. "met" when the whole confidence interval meets the goal, "not met" when none of it does, "at the line" when this run cannot tell. Client CPU is this process (user + system) per round trip.');
printTable(['WebSocket, 1 in flight, interleaved', 'latency µs (median)', 'added to raw ws\'s, µs (median per turn)', '95% CI', 'raw ws / this, per turn (95% CI)'], interleavedRows);
console.log(`${TURNS.toLocaleString('en')} turns after ${WARM_TURNS} of warm-up, each one request through each side, the order rotating: the three requests of a turn meet the same state of the host. Latency: from the call to its settling (µs, wall clock). The last column is the rate ratio of one turn (raw's latency over this side's), its median with a 95% confidence interval: the 1-in-flight goal read request by request rather than round by round (no verdict here: the goal is judged on the rounds above)`);
printTable(['WebSocket, 1 in flight, a round trip in parts', 'call → frame written, µs (vs raw ws)', 'written → reply frame read, µs (vs raw ws)', 'reply read → call settled, µs (vs raw ws)'], splitRows);
console.log(`${SPLIT_ROUNDS} rotating rounds of ${DURATION_MS} ms per side (each alone, as in the rounds above), stamped where \`ws\` takes the request's frame and emits the reply's; each cell the median over rounds of a round's median, and in brackets the median over rounds of its difference from raw ws's in the same round. First part: what a side does before its frame leaves (for the Session: the payload validated and hashed, the envelope made). Middle: \`ws\`'s send and the write, the wire, the server, the read, and what a side does while it waits (no side's own work but a little bookkeeping after its send: mostly the host's noise). Last: what a side does with the reply (for the Session: read, hash verified, payload validated, matched, settled). No goal: where the 1-in-flight difference lies`);
printTable(['HTTP', 'round trips/s: Session', 'Client.send', 'fetch', 'vs fetch (Session / Client)', 'client CPU µs/round trip: Session', 'Client.send', 'fetch', 'CPU vs fetch (Session / Client)'], httpRows);
console.log(`the same envelope POSTed to the same server: a Session and a Client (checks on, reply verified) beside the runtime's fetch sending the same text and parsing the reply; medians of ${HTTP_ROUNDS} rotating rounds of ${DURATION_MS} ms (ratios: medians of per-round ratios); no goal`);
