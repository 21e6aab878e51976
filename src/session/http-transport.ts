import { ConnectionError } from '../errors/connection-error.ts';
import type { MplError } from '../errors/mpl-error.ts';
import type { AlpnHello } from '../protocol/handshake.ts';
import { keepName } from '../platform/class-name.ts';
import { onDemand } from '../platform/on-demand.ts';
import type { HttpLink } from './http-link.ts';
import type { InboundMessage, OutboundRequest, Transport } from './transport.ts';

/**
 * Options of {@link HttpTransport}.
 *
 * @example
 * const transport = new HttpTransport({
 *   url: 'http://127.0.0.1:8080/mcp?tenant=a', endpoint: 'http://127.0.0.1:8080/mcp',
 *   headers: async () => ({ authorization: `Bearer ${await freshToken()}` }),
 * });
 */
export interface HttpTransportOptions {
  /** Where envelopes are POSTed, e.g. `https://host/mcp`. */
  url: string;
  /** The URL as shown in errors (no query). */
  endpoint: string;
  /** Request headers, evaluated before every request. */
  headers: () => Promise<Record<string, string>>;
  /** The `fetch` to use. Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Largest reply body read, in bytes; a larger one is refused unread. Default: no limit. */
  maxFrameBytes?: number | undefined;
}

const loadHttpLink = /* @__PURE__ */ onDemand('HTTP transport', () => import('./http-link.ts'));

/**
 * MPL over HTTP: the hello is POSTed to `/.well-known/ai-alpn` at the origin root (then,
 * on a 404, below the endpoint's path), each envelope is POSTed to the endpoint, and each
 * response comes back through `onmessage` with the id of the request it answers.
 *
 * The code that makes the requests loads with `start` (or the first `handshake`): a page
 * with WebSocket sessions only never downloads it. Requests go straight to `fetch`, not
 * through ky: the transport uses none of what ky adds (it retries nothing, and its time
 * limits are the Session's), and in Node 20 ky's Request, which `fetch` copies again,
 * cost more CPU per round trip than the rest of the transport. If it cannot load, `start`
 * rejects with an `MplError` `E-MODULE-LOAD`.
 *
 * @example
 * const t = new HttpTransport({ url: 'http://127.0.0.1:8080/mcp', endpoint: 'http://127.0.0.1:8080/mcp', headers: async () => ({}) });
 */
export class HttpTransport implements Transport {
  readonly kind = 'http' as const;
  readonly ordered = false;
  onmessage?: (message: InboundMessage) => void;
  onerror?: (error: MplError, requestId?: string) => void;

  readonly #options: HttpTransportOptions;
  #link: HttpLink | undefined;
  #closed = false;

  constructor(options: HttpTransportOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.#open();
  }

  /**
   * POSTs the hello. Any answer that reads as an AI-ALPN reply or an MPL error, whatever its
   * status, is returned for `negotiate` to read; another 4xx (other than the 404 that
   * triggers the fallback, e.g. the proxy's plain-text 422) is returned as an
   * `ai-alpn-error`, so that it becomes a `NegotiationError`; an unreachable server or
   * another 5xx throws `ConnectionError`.
   */
  async handshake(hello: AlpnHello, signal: AbortSignal): Promise<unknown> {
    return (await this.#open()).handshake(hello, signal);
  }

  /** POSTs one envelope; `false` (nothing sent) before `start` or after `close`. */
  send(text: string, request: OutboundRequest): boolean {
    return !this.#closed && this.#link !== undefined && this.#link.send(text, request);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#link?.close();
  }

  async #open(): Promise<HttpLink> {
    this.#throwIfClosed();
    const { HttpLink } = await loadHttpLink();
    this.#throwIfClosed();
    return (this.#link ??= new HttpLink(this.#options, this));
  }

  #throwIfClosed(): void {
    if (this.#closed) throw new ConnectionError('Session closed', { endpoint: this.#options.endpoint });
  }
}
keepName(HttpTransport, 'HttpTransport');
