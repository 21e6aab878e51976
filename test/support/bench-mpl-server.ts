// The servers of the server benchmark, in one process of their own:
// - `mpl`: an MplServer (strict: every envelope validated and its hash recomputed, every
//   reply hashed) on the Node adapter, over WebSocket and HTTP;
// - `routed`: the same with application routes (`routes`, asked first; here they answer
//   nothing), which an HTTP request then meets as a web-standard Request;
// - `echo`: a bare `ws` echo server;
// - `http`: a bare node:http server that answers a POST with its body (what a plain server
//   does per request at the least), GET /cpu with this process's CPU time so far (user +
//   system, µs), and GET /memory with process.memoryUsage() after a GC and the `mpl`
//   server's session count.
// Prints their ports as one JSON line, then runs until stdin closes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type * as Server from '../../dist/server.js';
import { serveNode } from '../../dist/server-node.js';

// The built server, as users run it: its Node build (typed as the package types it, by dist/server.d.ts).
const NODE_BUILD = '../../dist/server.node.js';
const { MplServer } = (await import(NODE_BUILD)) as typeof Server;

const options = { mode: 'strict', limits: { maxSessions: 10_000 } } as const;
const server = new MplServer(options);
const routed = new MplServer({ ...options, routes: () => undefined });
for (const s of [server, routed]) s.on('org.calendar.Event.v1', (envelope) => ({ ...envelope.payload, status: 'confirmed' }));
const mpl = await serveNode(server);
const mplRouted = await serveNode(routed);

const echoHttp = createServer();
const echo = new WebSocketServer({ server: echoHttp });
echo.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
await new Promise<void>((resolve) => echoHttp.listen(0, '127.0.0.1', resolve));

const http = createServer((req, res) => {
  const answer = (body: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (req.url === '/cpu') {
    const { user, system } = process.cpuUsage();
    answer({ us: user + system });
    return;
  }
  if (req.url === '/memory') {
    (globalThis as { gc?: () => void }).gc?.();
    answer({ ...process.memoryUsage(), sessions: server.sessions.size });
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.concat(chunks)));
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));

const portOf = (s: typeof http): number => (s.address() as AddressInfo).port;
process.stdout.write(`${JSON.stringify({ mpl: mpl.port, routed: mplRouted.port, echo: portOf(echoHttp), http: portOf(http) })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void Promise.all([mpl.close(), mplRouted.close()]).then(() => process.exit(0)));
