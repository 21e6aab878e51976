// The servers of the server benchmark, in one process of their own: an MplServer (strict:
// every envelope validated and its hash recomputed, every reply hashed) on the Node adapter,
// and a bare `ws` echo server. Prints `{"mpl":port,"echo":port}`, then runs until stdin
// closes. GET /memory on the MPL server answers process.memoryUsage() after a GC; GET /cpu
// this process's CPU time so far (user + system, µs), for the cost per envelope of each server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type * as Server from '../../dist/server.js';
import { serveNode } from '../../dist/server-node.js';

// The built server, as users run it: its Node build (typed as the package types it, by dist/server.d.ts).
const NODE_BUILD = '../../dist/server.node.js';
const { MplServer } = (await import(NODE_BUILD)) as typeof Server;

const server: Server.MplServer = new MplServer({
  mode: 'strict',
  limits: { maxSessions: 10_000 },
  routes: (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/cpu') {
      const { user, system } = process.cpuUsage();
      return Response.json({ us: user + system });
    }
    if (pathname !== '/memory') return undefined;
    (globalThis as { gc?: () => void }).gc?.();
    return Response.json({ ...process.memoryUsage(), sessions: server.sessions.size });
  },
});
server.on('org.calendar.Event.v1', (envelope) => ({ ...envelope.payload, status: 'confirmed' }));
const mpl = await serveNode(server);

const echoHttp = createServer();
const echo = new WebSocketServer({ server: echoHttp });
echo.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
await new Promise<void>((resolve) => echoHttp.listen(0, '127.0.0.1', resolve));

process.stdout.write(`${JSON.stringify({ mpl: mpl.port, echo: (echoHttp.address() as AddressInfo).port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void mpl.close().then(() => process.exit(0)));
