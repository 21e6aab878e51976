import { ConnectionError } from '../errors/connection-error.ts';
import type { MplError } from '../errors/mpl-error.ts';
import type { AlpnHello } from '../protocol/handshake.ts';
import { keepName } from '../platform/class-name.ts';
import { onDemand } from '../platform/on-demand.ts';
import type { InboundMessage, OutboundRequest, Transport } from './transport.ts';
import type { WebSocketLink, WebSocketTransportOptions } from './websocket-transport.ts';

export type { WebSocketTransportOptions } from './websocket-transport.ts';

/** The link's code and partysocket, one chunk loaded with the first `start`: an HTTP-only page never downloads it. */
const loadWebSocketLink = /* @__PURE__ */ onDemand('WebSocket transport', () => import('./websocket-transport.ts'));

/**
 * A WebSocket link that reconnects by itself (partysocket), with jittered backoff of its
 * own, the hello sent as the first frame of every link and nothing else sent before it.
 * Frames become parsed JSON; frames that are not are reported through `onerror`.
 *
 * Its code (and partysocket) loads with `start`; if it cannot, `start` rejects with an
 * `MplError` `E-MODULE-LOAD`.
 *
 * @example
 * const t = new WebSocketTransport({ url: () => 'ws://127.0.0.1:8080/ws', endpoint: 'ws://127.0.0.1:8080/ws',
 *   reconnect: { enabled: true, minDelayMs: 500, maxDelayMs: 5000, growFactor: 1.5, maxRetries: Infinity },
 *   openTimeoutMs: 10_000, maxFrameBytes: 1 << 24 });
 */
export class WebSocketTransport implements Transport {
  readonly kind = 'websocket' as const;
  readonly ordered = true;
  onmessage?: (message: InboundMessage) => void;
  onerror?: (error: MplError, requestId?: string) => void;
  onopen?: () => void;
  onclose?: (info: { reconnecting: boolean; error?: MplError }) => void;

  readonly #options: WebSocketTransportOptions;
  #link: WebSocketLink | undefined;
  #closed = false;

  constructor(options: WebSocketTransportOptions) {
    this.#options = options;
  }

  async start(signal: AbortSignal): Promise<void> {
    // Closed already: refused without downloading the link's code (as the HTTP transport does).
    if (this.#closed) throw new ConnectionError('Session closed before it was open', { endpoint: this.#options.endpoint });
    const { WebSocketLink } = await loadWebSocketLink();
    const link = (this.#link ??= new WebSocketLink(this.#options, this));
    if (this.#closed) await link.close(); // closed while loading: the link's start says so
    return link.start(signal);
  }

  handshake(hello: AlpnHello, signal: AbortSignal): Promise<unknown> {
    if (this.#link) return this.#link.handshake(hello, signal);
    return Promise.reject(new ConnectionError(`WebSocket to ${this.#options.endpoint} is not open`, { endpoint: this.#options.endpoint }));
  }

  send(text: string, request: OutboundRequest): boolean {
    return this.#link !== undefined && this.#link.send(text, request);
  }

  reconnect(reason?: string): void {
    this.#link?.reconnect(reason);
  }

  accepted(): void {
    this.#link?.accepted();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#link?.close();
  }
}
keepName(WebSocketTransport, 'WebSocketTransport');
