import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { heartbeat } from './answers.ts';
import { HttpEndpoint } from './http.ts';
import type { ReferenceServer, ReferenceServerOptions } from './options.ts';
import { ReferencePeer } from './peer.ts';
import { pushOnConnect } from './scenario.ts';
import { WebSocketEndpoint } from './websocket.ts';

/**
 * Starts the reference MPL server: the reference proxy's endpoints (AI-ALPN over HTTP and
 * WebSocket, envelope checks with hash verification, strict-mode blocking, `/health`,
 * `/capabilities`), an A2A peer that pushes envelopes, JSON-RPC tools, open CORS, and the
 * demo page with `dist/` and `registry/`. Validates with the SDK's embedded registry and
 * hashes with the SDK's hasher.
 *
 * @example
 * const server = await startReferenceServer({ mode: 'production', pushOnConnect: true });
 * const session = new Session({ endpoint: `${server.wsUrl}`, stypes: ['org.calendar.Event.v1'] });
 * await session.connect();
 * console.log(server.recorded.at(-1));
 * await server.close();
 */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const peer = await ReferencePeer.create(options);
  const log = options.quiet === false ? (line: string) => console.log(`[server] ${line}`) : () => {};
  const ws = new WebSocketEndpoint(peer, options.pushOnConnect ? pushOnConnect : undefined, log);
  const control = options.control ? { dropWebSockets: () => ws.dropAll(), push: (stype: string, payload: unknown) => ws.pushAll(stype, payload), recorded: peer.recorded } : undefined;
  const http = new HttpEndpoint(peer, log, control);
  const server = createServer(http.handle);
  server.on('upgrade', (req, socket, head) => ws.upgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const heartbeatTimer = options.heartbeatIntervalMs
    ? setInterval(() => void ws.pushAll('org.agent.Heartbeat.v1', heartbeat()), options.heartbeatIntervalMs)
    : undefined;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}/ws`,
    port,
    mode: peer.mode,
    stypes: peer.stypes,
    recorded: peer.recorded,
    pushed: peer.pushed,
    get clientCount() {
      return ws.handshakenCount;
    },
    push: (stype, payload) => ws.pushAll(stype, payload),
    dropConnections: () => ws.dropAll(),
    close() {
      closing ??= (async () => {
        clearInterval(heartbeatTimer);
        await ws.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
