import type { AlpnSelect } from 'mpl-sdk';
import type { InboundRecord } from 'mpl-sdk/server';

/**
 * How the reference server behaves. Every field is optional.
 *
 * @example
 * // Like the reference proxy in strict mode, answering id-less:
 * await startReferenceServer({ mode: 'production', replies: 'id-less' });
 * // An A2A peer that pushes a task plan and a heartbeat to each client after its handshake:
 * await startReferenceServer({ pushOnConnect: true, requiredProfile: 'qom-basic' });
 */
export interface ReferenceServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** `production` blocks invalid envelopes like the proxy's strict mode; default `development`. */
  mode?: 'development' | 'production';
  /**
   * `in-reply-to` (default): full MPL envelopes naming the request they answer, hashed, with a
   * `qom_report`. `id-less`: exactly the reference proxy's `{"type":"mpl-response",…}` frames.
   */
  replies?: 'in-reply-to' | 'id-less';
  /** The `type` of the handshake reply; default `ai-alpn-select`. */
  handshakeReplyType?: AlpnSelect['type'];
  /**
   * What to answer when no SType is common: `empty` (default) sends a select with an empty
   * `common_stypes`, as the real proxy does; `error` sends an `ai-alpn-error`.
   */
  onIncompatible?: 'empty' | 'error';
  /** The STypes it has schemas for; default: all of the embedded registry. */
  stypes?: string[];
  /** The profile it selects when the client offers none it knows; default none (`null`). */
  requiredProfile?: string;
  /** After each WebSocket handshake, push an `org.agent.TaskPlan.v1` and an `org.agent.Heartbeat.v1`. */
  pushOnConnect?: boolean;
  /** Push an `org.agent.Heartbeat.v1` to every handshaken client at this interval (ms); off by default. */
  heartbeatIntervalMs?: number;
  /** No request log on stdout; default true (the server is quiet unless asked). */
  quiet?: boolean;
  /**
   * For tests in other runtimes: a test-control endpoint, `POST /__control/drop-websockets`
   * (terminates every WebSocket, answers `{dropped}`) and `POST /__control/push?stype=S`
   * with the payload as body (answers the PushedMessage), and `GET /__control/recorded` (answers
   * `recorded`). Off by default (404).
   */
  control?: boolean;
}

/**
 * One message the server received, in arrival order: what mpl-sdk/server reports to
 * `onInbound`, JSON-RPC calls to the demo's tools, and the time it came.
 *
 * @example
 * const last = server.recorded.at(-1);
 * if (last?.kind === 'envelope' && !last.valid) console.log(last.errors); // ["Schema error at /start: must be …"]
 */
export interface RecordedMessage extends Omit<InboundRecord, 'kind'> {
  kind: InboundRecord['kind'] | 'json-rpc';
  /** `Date.now()` on arrival. */
  at: number;
}

/**
 * A message the server pushed to its WebSocket clients.
 *
 * @example
 * const { id, semHash, clients } = await server.push('org.agent.Heartbeat.v1', { status: 'alive' });
 */
export interface PushedMessage {
  stype: string;
  id: string;
  semHash: string;
  /** How many clients it went to. */
  clients: number;
  at: number;
}

/**
 * A running reference server.
 *
 * @example
 * const server = await startReferenceServer();
 * const session = await Session.open({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'] });
 * await server.push('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
 * server.dropConnections();   // the session reconnects
 * await server.close();
 */
export interface ReferenceServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `ws://127.0.0.1:PORT/ws` */
  readonly wsUrl: string;
  readonly port: number;
  readonly mode: 'development' | 'production';
  /** The STypes it has schemas for. */
  readonly stypes: readonly string[];
  /** Everything that came in, in order. */
  readonly recorded: RecordedMessage[];
  /** Everything it pushed, in order. */
  readonly pushed: PushedMessage[];
  /** Number of WebSocket clients that completed the handshake and are still open. */
  readonly clientCount: number;
  /** Sends a hashed envelope to every WebSocket client that completed the handshake. */
  push(stype: string, payload: unknown): Promise<PushedMessage>;
  /** Terminates every socket at once (no close handshake), as a crash would. */
  dropConnections(): void;
  /** Stops listening, closes every socket; resolves when all is shut. Idempotent. */
  close(): Promise<void>;
}
