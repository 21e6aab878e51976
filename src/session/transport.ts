import type { MplError } from '../errors/mpl-error.ts';
import type { AlpnHello } from '../protocol/handshake.ts';

/**
 * One message that came in, already parsed from JSON.
 *
 * @example
 * transport.onmessage = ({ data, requestId, status }) => console.log(requestId ?? 'pushed', status, data);
 */
export interface InboundMessage {
  /** The parsed JSON value. */
  data: unknown;
  /** Set when the transport itself knows which request this answers (an HTTP response). */
  requestId?: string;
  /** HTTP status of a response. */
  status?: number;
  /** `X-MPL-*` response headers (lower-case names), for replies that are not envelopes. */
  headers?: Record<string, string>;
  /**
   * Set for a frame that arrived but could not be read (not JSON, too large, not UTF-8):
   * why. `data` is then undefined. On an ordered link it still answers the oldest request.
   */
  unreadable?: MplError;
}

/**
 * What the session hands a transport along with a request.
 *
 * @example
 * transport.send(JSON.stringify(envelope), { id: envelope.id, stype: envelope.stype, signal: AbortSignal.timeout(30_000) });
 */
export interface OutboundRequest {
  /** The envelope's id. */
  id: string;
  stype: string;
  /** Aborted when the request times out or is cancelled: a transport stops any work on it. */
  signal: AbortSignal;
}

/**
 * How a {@link Session} moves messages, in the style of the MCP SDK's transports:
 * `start`/`send`/`close` plus callbacks. A WebSocket transport keeps a link (and may
 * re-open it: `onopen` fires for every re-opened link, `onclose` for every drop); an HTTP
 * transport makes one POST per message and reports each reply through `onmessage` with
 * the `requestId` it answers.
 *
 * @example
 * const transport: Transport = new HttpTransport({ url: 'http://127.0.0.1:8080/mcp', endpoint: 'http://127.0.0.1:8080/mcp', headers: async () => ({}) });
 * transport.onmessage = ({ data, requestId }) => console.log(requestId, data);
 * await transport.start(AbortSignal.timeout(5000));
 * const reply = await transport.handshake(createHello({ stypes: ['org.calendar.Event.v1'] }), AbortSignal.timeout(5000));
 */
export interface Transport {
  readonly kind: 'websocket' | 'http';
  /** True when replies without a marker come back in request order (WebSocket), so one that never comes must be remembered. */
  readonly ordered: boolean;
  /** Opens the link. Rejects with `ConnectionError` if it cannot. */
  start(signal: AbortSignal): Promise<void>;
  /** Sends the hello on the fresh link and resolves with the server's raw answer. */
  handshake(hello: AlpnHello, signal: AbortSignal): Promise<unknown>;
  /** Sends one serialized envelope. Returns `false` if the link is not open (nothing was sent). */
  send(text: string, request: OutboundRequest): boolean;
  /** Drops the current link (saying why) and opens a new one (links that reconnect only), after a backoff that grows until `accepted()`. */
  reconnect?(reason?: string): void;
  /** The server accepted the hello on the current link: the reconnection backoff starts over (links that reconnect only). */
  accepted?(): void;
  /** Closes the link for good. Idempotent. */
  close(): Promise<void>;
  /** A message arrived (a reply or a pushed envelope). */
  onmessage?: (message: InboundMessage) => void;
  /** Something went wrong: a bad frame (`requestId` absent) or a failed request (`requestId` set). */
  onerror?: (error: MplError, requestId?: string) => void;
  /** A new link is open after a drop (not called for the first one, which `start` reports). */
  onopen?: () => void;
  /** The link dropped. `reconnecting` says whether the transport is trying again. */
  onclose?: (info: { reconnecting: boolean; error?: MplError }) => void;
}

/**
 * Where a link loaded on demand reports (its public transport, whose callbacks are read
 * when it reports).
 * @internal
 */
export type TransportEvents = Pick<Transport, 'onmessage' | 'onerror' | 'onopen' | 'onclose'>;
