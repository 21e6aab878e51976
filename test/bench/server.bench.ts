// mpl-sdk/server under load: one server process (test/support/bench-mpl-server.ts), many
// concurrent WebSocket sessions sending hashed envelopes that the server validates and
// re-hashes before answering with a hashed reply; beside it, the same exchange (same
// frames, same clients) against a bare `ws` echo server in that process, from one run.
// Envelopes per second and round-trip latency for each, the server process's CPU time
// per envelope (what a busy shared machine disturbs least), and the server's memory per
// idle handshaken session. Then the same envelope POSTed over HTTP/1.1 keep-alive
// connections: the server as it comes, the server with application routes (which meet
// each request as a web Request), and a bare node:http server answering each POST with its
// body, in alternating rounds. Printed figures only: no assertion on timing.
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { semanticHash } from '../../dist/node.js';
import { startBenchProcess } from './server-process.ts';
import { printTable } from './timing.ts';

const STYPE = 'org.calendar.Event.v1';
const EVENT = { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] };
const SESSIONS = 64;
const IN_FLIGHT = 4; // per session
const DURATION_MS = 3000;
const IDLE_SESSIONS = 500;

const HTTP_CONNECTIONS = 64;
const HTTP_ROUNDS = 5;
const HTTP_ROUND_MS = 1000;

const servers = await startBenchProcess<{ mpl: number; routed: number; echo: number; http: number }>('bench-mpl-server.ts', ['--expose-gc']);
const { mpl: mplPort, routed: routedPort, echo: echoPort, http: httpPort } = servers.ready;

const semHash = await semanticHash(EVENT);
const payloadText = JSON.stringify(EVENT);
let counter = 0;
/** The envelope text: the payload and its hash are fixed, the id is new each time. */
const frame = () => {
  counter += 1;
  const id = `req-${counter}`;
  return { id, text: `{"id":"${id}","stype":"${STYPE}","payload":${payloadText},"sem_hash":"${semHash}"}` };
};

/** A client socket that completed the handshake; resolves `waiting` entries by the id a reply names. */
async function connect(url: string, handshake: boolean) {
  const socket = new WebSocket(url);
  await once(socket, 'open');
  const waiting = new Map<string, () => void>();
  if (handshake) {
    socket.send(JSON.stringify({ type: 'ai-alpn-hello', version: '1.0', stypes: [STYPE] }));
    await once(socket, 'message');
  }
  socket.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as { in_reply_to?: string; id: string };
    const key = reply.in_reply_to ?? reply.id;
    waiting.get(key)?.();
    waiting.delete(key);
  });
  return { socket, waiting };
}

/** The server process's CPU time so far, µs (asked of its bare HTTP server: every server there shares the process). */
const serverCpuUs = async () => ((await (await fetch(`http://127.0.0.1:${httpPort}/cpu`)).json()) as { us: number }).us;

/** Envelopes per second, latency percentiles and server CPU per envelope with SESSIONS × IN_FLIGHT outstanding. */
async function load(url: string, handshake: boolean) {
  const clients = await Promise.all(Array.from({ length: SESSIONS }, () => connect(url, handshake)));
  const roundTrip = (c: (typeof clients)[number]) => new Promise<number>((resolve) => {
    const { id, text } = frame();
    const started = performance.now();
    c.waiting.set(id, () => resolve(performance.now() - started));
    c.socket.send(text);
  });
  for (const c of clients) for (let i = 0; i < 20; i++) await roundTrip(c); // warm up
  const latencies: number[] = [];
  const cpuBefore = await serverCpuUs();
  const until = performance.now() + DURATION_MS;
  const start = performance.now();
  await Promise.all(clients.flatMap((c) => Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < until) latencies.push(await roundTrip(c));
  })));
  const seconds = (performance.now() - start) / 1000;
  const cpuUs = ((await serverCpuUs()) - cpuBefore) / latencies.length;
  for (const c of clients) c.socket.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { rate: latencies.length / seconds, p50: at(0.5), p99: at(0.99), cpuUs };
}

const memory = async () => (await (await fetch(`http://127.0.0.1:${httpPort}/memory`)).json()) as { rss: number; heapUsed: number; external: number; sessions: number };

const mpl = await load(`ws://127.0.0.1:${mplPort}/ws`, true);
const echo = await load(`ws://127.0.0.1:${echoPort}/`, false);

await new Promise((resolve) => setTimeout(resolve, 200)); // the load's sockets close
const before = await memory();
const idle = await Promise.all(Array.from({ length: IDLE_SESSIONS }, () => connect(`ws://127.0.0.1:${mplPort}/ws`, true)));
const after = await memory();
for (const c of idle) c.socket.close();

// HTTP: one envelope POSTed per round trip on each keep-alive connection, all connections at once.
const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONNECTIONS });
const httpBody = frame().text;
const postOnce = (port: number) => new Promise<void>((resolve, reject) => {
  const sent = httpRequest({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(httpBody) } }, (res) => {
    if (res.statusCode !== 200) reject(new Error(`port ${port} answered ${res.statusCode}`));
    res.resume();
    res.on('end', () => resolve());
  });
  sent.on('error', reject);
  sent.end(httpBody);
});
async function httpRound(port: number, ms: number) {
  const latencies: number[] = [];
  const cpuBefore = await serverCpuUs();
  const until = performance.now() + ms;
  const start = performance.now();
  await Promise.all(Array.from({ length: HTTP_CONNECTIONS }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await postOnce(port);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  return { rate: latencies.length / seconds, latencies, cpuUs: ((await serverCpuUs()) - cpuBefore) / latencies.length };
}
const HTTP_SERVERS = [
  ['mpl-sdk/server over HTTP (strict: validate + re-hash, hashed reply)', mplPort],
  ['the same with application routes (asked first, answering nothing)', routedPort],
  ['bare node:http (answers a POST with its body)', httpPort],
] as const;
for (const [, port] of HTTP_SERVERS) await httpRound(port, 300); // warm up
const httpRuns = HTTP_SERVERS.map(() => ({ rates: [] as number[], cpu: [] as number[], latencies: [] as number[] }));
for (let round = 0; round < HTTP_ROUNDS; round++) {
  // Alternate which server goes first.
  const order = HTTP_SERVERS.map((_, i) => (i + round) % HTTP_SERVERS.length);
  for (const i of order) {
    const r = await httpRound(HTTP_SERVERS[i]![1], HTTP_ROUND_MS);
    httpRuns[i]!.rates.push(r.rate);
    httpRuns[i]!.cpu.push(r.cpuUs);
    httpRuns[i]!.latencies.push(...r.latencies);
  }
}
agent.destroy();
await servers.stop();

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
printTable(['server', 'envelopes/s', 'p50 ms', 'p99 ms', 'server CPU µs/envelope'], [
  ['mpl-sdk/server (strict: validate + re-hash, hashed reply)', mpl.rate.toFixed(0), mpl.p50.toFixed(2), mpl.p99.toFixed(2), mpl.cpuUs.toFixed(1)],
  ['bare ws echo', echo.rate.toFixed(0), echo.p50.toFixed(2), echo.p99.toFixed(2), echo.cpuUs.toFixed(1)],
  ['server / echo', ratio(mpl.rate, echo.rate), ratio(mpl.p50, echo.p50), ratio(mpl.p99, echo.p99), ratio(mpl.cpuUs, echo.cpuUs)],
]);
console.log(`${SESSIONS} sessions × ${IN_FLIGHT} in flight, ${DURATION_MS} ms each; payload ${STYPE}, ${payloadText.length} bytes; one server process (CPU: user + system of that process); Node ${process.versions.node}`);
const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const bare = httpRuns.at(-1)!;
/** The median over rounds of a server's figure / the bare server's in the same round. */
const perRound = (xs: number[], ys: number[]) => `${middle(xs.map((x, i) => x / ys[i]!)).toFixed(2)}×`;
printTable(['HTTP server', 'requests/s', 'p50 ms', 'p99 ms', 'server CPU µs/request', 'requests/s vs bare', 'CPU vs bare'], HTTP_SERVERS.map(([name], i) => {
  const run = httpRuns[i]!;
  const last = i === HTTP_SERVERS.length - 1;
  return [name, middle(run.rates).toFixed(0), quantile(run.latencies, 0.5).toFixed(2), quantile(run.latencies, 0.99).toFixed(2), middle(run.cpu).toFixed(1), last ? '' : perRound(run.rates, bare.rates), last ? '' : perRound(run.cpu, bare.cpu)];
}));
console.log(`${HTTP_CONNECTIONS} keep-alive connections, one request in flight each; ${HTTP_ROUNDS} rounds of ${HTTP_ROUND_MS} ms per server, alternating which goes first (medians over rounds; ratios: the median of per-round ratios); same process as above`);
const perSession = (bytes: number) => `${(bytes / IDLE_SESSIONS / 1024).toFixed(1)} KiB`;
console.log(`memory per idle handshaken session (${after.sessions - before.sessions} sessions, after GC): heap ${perSession(after.heapUsed - before.heapUsed)}, heap+external ${perSession(after.heapUsed + after.external - before.heapUsed - before.external)}`);
