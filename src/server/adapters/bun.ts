import type { PeerSession } from '../peer-session.ts';
import type { MplServer } from '../server.ts';
import { badHandshake, isUpgrade, started, pathOf } from './shared.ts';

/**
 * What the adapter keeps on each Bun socket (`ws.data`).
 *
 * @example
 * const data: BunSocketData = { path: '/ws' };
 */
export interface BunSocketData {
  /** The path the socket was opened on. */
  path: string;
  /** Its MPL session, once open. */
  session?: PeerSession | undefined;
}

/**
 * The part of Bun's `ServerWebSocket` the adapter uses.
 *
 * @example
 * websocket: { message: (ws: BunSocket, message) => ws.data.session?.receive(message) }
 */
export interface BunSocket {
  /** What the adapter keeps on the socket. */
  data: BunSocketData;
  /** Sends one frame. */
  send(data: string | Uint8Array<ArrayBuffer>): unknown;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Cuts the connection without a closing handshake. */
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
  /** Upgrades WebSocket requests (resolves undefined once upgraded), answers the others with `server.fetch`. */
  fetch(request: Request, bun: { upgrade(request: Request, options: { data: BunSocketData }): boolean }): Promise<Response | undefined>;
  /** Bun's WebSocket handlers: each socket gets a session. */
  websocket: {
    /** A socket opened: its session starts (or it is closed with 1013 when the server is full). */
    open(ws: BunSocket): void;
    /** A frame arrived. */
    message(ws: BunSocket, message: string | Uint8Array): void;
    /** The socket closed. */
    close(ws: BunSocket): void;
    /**
     * `true`: a socket whose peer does not read, past Bun's send-buffer limit
     * (`backpressureLimit`, 16 MB by default), is closed, rather than its frames dropped.
     */
    closeOnBackpressureLimit: boolean;
    /** The largest frame Bun reads: `limits.maxFrameBytes` (Bun's own default, 16 MiB, would cap it). */
    maxPayloadLength: number;
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
      const bad = badHandshake(request);
      if (bad) return bad;
      if (!await started(server)) return server.fetch(request); // its 503: the server could not start
      if (bun.upgrade(request, { data: { path: pathOf(request) } })) return undefined;
      return new Response('WebSocket upgrade failed', { status: 400 });
    },
    websocket: {
      open(ws) {
        ws.data.session = server.accept({
          send: (data) => {
            // 0: Bun dropped the frame (its send buffer is past the limit). A reply missing from an
            // ordered stream would hand every later one to the wrong request: the link goes instead.
            if (ws.send(data) !== 0) return;
            if (ws.terminate) ws.terminate();
            else ws.close(1013, 'peer does not read');
          },
          close: (code, reason) => ws.close(code, reason),
          ...(ws.terminate ? { terminate: () => ws.terminate!() } : {}),
        }, ws.data.path);
      },
      message: (ws, message) => void ws.data.session?.receive(message),
      close: (ws) => ws.data.session?.closed(),
      closeOnBackpressureLimit: true,
      // Known before the server starts (Bun reads it at Bun.serve): the limit as configured.
      maxPayloadLength: frameLimit(server),
    },
  };
}

/** `limits.maxFrameBytes`, within Bun's range. */
function frameLimit(server: MplServer): number {
  return Math.min(server.limitsAsMade.maxFrameBytes, 2 ** 31 - 1);
}
