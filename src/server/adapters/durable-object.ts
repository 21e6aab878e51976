import type { PeerSession, SessionSnapshot } from '../peer-session.ts';
import type { MplServer } from '../server.ts';
import { fromAttachment, toAttachment } from './attachment.ts';
import { CloseCode } from '../socket.ts';
import { asksForWebSocket, pathOf, switchingProtocols, webSocketPair } from './shared.ts';

/** A WebSocket accepted through the hibernation API: it carries a small attachment. */
interface HibernatableSocket extends WebSocket {
  serializeAttachment(value: unknown): void;
  deserializeAttachment(): unknown;
}

/**
 * The part of a Durable Object's state the adapter uses.
 *
 * @example
 * constructor(state: HibernationState) { this.mpl = durableObjectHandler(server, state); }
 */
export interface HibernationState {
  /** Accepts a socket through the hibernation API. */
  acceptWebSocket(ws: WebSocket): void;
  /** The sockets accepted so far, also after the object woke. */
  getWebSockets(): WebSocket[];
}

/**
 * The methods a Durable Object class delegates to.
 *
 * @example
 * webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) { return this.mpl.webSocketMessage(ws, message); }
 */
export interface DurableObjectHandler {
  /** The object's `fetch`: upgrades WebSocket requests, answers the others with `server.fetch`. */
  fetch(request: Request): Promise<Response>;
  /** The object's `webSocketMessage`: a frame for the socket's session. */
  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void>;
  /** The object's `webSocketClose`: ends the session, answers the close. */
  webSocketClose(ws: WebSocket): Promise<void>;
  /** The object's `webSocketError`: ends the session. */
  webSocketError(ws: WebSocket): Promise<void>;
  /**
   * Rebuilds the sessions of the sockets that outlived the object's memory (once per wake).
   * The handler's other methods call it; call it yourself first in anything else that may
   * wake the object and then pushes or broadcasts, such as `alarm()`.
   */
  wake(): Promise<void>;
}

/**
 * An MPL server in a Durable Object, with WebSocket hibernation: sockets are accepted with
 * `state.acceptWebSocket`, what each session negotiated is kept in its attachment (packed
 * small, however many STypes it negotiated), and when the object wakes its sessions are
 * rebuilt, so replies keep their profile and pushes and broadcasts still reach every
 * socket. A socket whose session cannot be rebuilt (the server serves other STypes now) is
 * closed with 1012, for its client to reconnect and handshake again. Delegate the object's
 * `fetch` and `webSocket*` methods to it, and `await wake()` first in an `alarm()` that
 * pushes or broadcasts.
 *
 * @example
 * export class Calendar {
 *   constructor(state, env) { this.server = calendarServer(); this.mpl = durableObjectHandler(this.server, state); }
 *   fetch(request) { return this.mpl.fetch(request); }
 *   webSocketMessage(ws, message) { return this.mpl.webSocketMessage(ws, message); }
 *   webSocketClose(ws) { return this.mpl.webSocketClose(ws); }
 *   webSocketError(ws) { return this.mpl.webSocketError(ws); }
 *   async alarm() { await this.mpl.wake(); await this.server.broadcast('org.agent.Heartbeat.v1', { status: 'alive' }); }
 * }
 */
export function durableObjectHandler(server: MplServer, state: HibernationState): DurableObjectHandler {
  const sessions = new WeakMap<WebSocket, PeerSession>();
  /** The session revision each socket's attachment holds (see `PeerSession.revision`). */
  const remembered = new WeakMap<WebSocket, number>();
  const remember = (ws: WebSocket, session: PeerSession) => {
    if (remembered.get(ws) === session.revision) return;
    remembered.set(ws, session.revision);
    const socket = ws as HibernatableSocket;
    const snapshot = session.snapshot();
    // Too large (workerd allows 16 KiB): the push ids go first, the session is kept; too large
    // even so (a path of over 16 KiB): no stale state stays behind, the socket is closed on waking.
    for (const withPushes of [true, false]) {
      try {
        socket.serializeAttachment(toAttachment(snapshot, server.stypes, withPushes));
        return;
      } catch {
        // Try the smaller one.
      }
    }
    socket.serializeAttachment(null);
  };
  const attach = (ws: WebSocket, path: string, restored?: SessionSnapshot) => {
    let session: PeerSession | undefined;
    session = server.accept({
      hibernates: true,
      send: (data) => {
        ws.send(data);
        // What changes the snapshot goes out as a frame: the select of a hello, a push (its id is kept, to know the peer's reply to it after a wake).
        if (session) remember(ws, session);
      },
      close: (code, reason) => ws.close(code, reason),
    }, path, restored);
    if (session) {
      sessions.set(ws, session);
      if (restored) remembered.set(ws, session.revision); // its attachment holds this snapshot already
      remember(ws, session);
    }
  };
  let woken: Promise<void> | undefined;
  // On waking, the sockets that outlived the object's memory get their sessions back.
  const wake = () => (woken ??= server.ready().then(() => {
    for (const ws of state.getWebSockets()) {
      if (sessions.has(ws)) continue;
      const snapshot = fromAttachment((ws as HibernatableSocket).deserializeAttachment(), server.stypes);
      if (snapshot) attach(ws, snapshot.path, snapshot);
      else ws.close(CloseCode.ServiceRestart, 'the MPL session could not be restored after hibernation: reconnect');
    }
  }));
  return {
    async fetch(request) {
      // A server that could not start answers what server.fetch answers then (503, the reason), not an uncaught 500.
      if (!await wake().then(() => true, () => false)) return server.fetch(request);
      if (!asksForWebSocket(request)) return server.fetch(request);
      const [client, socket] = webSocketPair();
      if (!server.roomForOne()) {
        // Refused without hibernation: accepted plainly, then closed by accept() with 1013.
        socket.accept();
        server.accept({ send: () => {}, close: (code, reason) => socket.close(code, reason) });
      } else {
        state.acceptWebSocket(socket);
        attach(socket, pathOf(request));
      }
      return switchingProtocols(client);
    },
    async webSocketMessage(ws, message) {
      await wake();
      const session = sessions.get(ws);
      // No session: closed already if this message woke the object and its snapshot was lost.
      if (!session) return ws.readyState === 1 ? ws.close(1011, 'no MPL session for this socket') : undefined; // 1: open
      // The event lasts until the answer is out: an object is not evicted with a reply still to send.
      await session.receive(message);
    },
    async webSocketClose(ws) {
      await wake(); // the other sockets' sessions too: this event may be what woke the object
      sessions.get(ws)?.closed();
      try {
        ws.close(1000);
      } catch {
        // Already closed.
      }
    },
    async webSocketError(ws) {
      await wake();
      sessions.get(ws)?.closed();
    },
    wake,
  };
}
