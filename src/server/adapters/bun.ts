import type { PeerSession } from '../peer-session.ts';
import type { MplServer } from '../server.ts';
import { isUpgrade, pathOf } from './shared.ts';

/** What the adapter keeps on each Bun socket (`ws.data`). */
interface SocketData {
  path: string;
  session?: PeerSession | undefined;
}

/** The part of Bun's ServerWebSocket the adapter uses. */
interface BunSocket {
  data: SocketData;
  send(data: string | Uint8Array<ArrayBuffer>): unknown;
  close(code?: number, reason?: string): void;
  terminate?(): void;
}

/**
 * The options of `Bun.serve` for an MPL server.
 *
 * @example
 * const options: BunServeOptions = bunHandler(server);
 * Bun.serve({ port: 8080, ...options });
 */
export interface BunServeOptions {
  fetch(request: Request, bun: { upgrade(request: Request, options: { data: SocketData }): boolean }): Promise<Response | undefined>;
  websocket: {
    open(ws: BunSocket): void;
    message(ws: BunSocket, message: string | Uint8Array): void;
    close(ws: BunSocket): void;
  };
}

/**
 * `fetch` and `websocket` for `Bun.serve`: upgrades go to Bun's WebSocket server, everything
 * else to `server.fetch`.
 *
 * @example
 * const server = new MplServer();
 * Bun.serve({ port: 8080, ...bunHandler(server) });
 */
export function bunHandler(server: MplServer): BunServeOptions {
  return {
    async fetch(request, bun) {
      if (!isUpgrade(request)) return server.fetch(request);
      await server.ready();
      if (bun.upgrade(request, { data: { path: pathOf(request) } })) return undefined;
      return new Response('WebSocket upgrade failed', { status: 400 });
    },
    websocket: {
      open(ws) {
        ws.data.session = server.accept({
          send: (data) => void ws.send(data),
          close: (code, reason) => ws.close(code, reason),
          ...(ws.terminate ? { terminate: () => ws.terminate!() } : {}),
        }, ws.data.path);
      },
      message: (ws, message) => ws.data.session?.receive(message),
      close: (ws) => ws.data.session?.closed(),
    },
  };
}
