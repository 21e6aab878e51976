// The HTTP transport's work, loaded when a session first uses HTTP (src/session/http-transport.ts
// holds the public class): a page with WebSocket sessions only never downloads it.
import { ConnectionError } from '../errors/connection-error.ts';
import type { MplError } from '../errors/mpl-error.ts';
import { isHandshakeMessage, type AlpnHello } from '../protocol/handshake.ts';
import { isWireError } from '../protocol/peer-error.ts';
import { fetchFailure } from '../platform/fetch-failure.ts';
import { requestSignal, type RequestSignal } from '../platform/request-signal.ts';
import { jsonOrText } from '../platform/json-or-text.ts';
import type { HttpTransportOptions } from './http-transport.ts';
import type { OutboundRequest, TransportEvents } from './transport.ts';

const MPL_HEADERS = ['x-mpl-stype', 'x-mpl-sem-hash', 'x-mpl-profile', 'x-mpl-qom-result', 'x-mpl-toc-result'];
const HANDSHAKE_PATH = '.well-known/ai-alpn';


/** One POST per message, each response reported with the id of the request it answers. */
export class HttpLink {
  readonly #options: HttpTransportOptions;
  readonly #events: TransportEvents;
  readonly #inflight = new Set<RequestSignal>();
  #closed = false;

  constructor(options: HttpTransportOptions, events: TransportEvents) {
    this.#options = options;
    this.#events = events;
  }

  /** See `HttpTransport.handshake`. */
  async handshake(hello: AlpnHello, signal: AbortSignal): Promise<unknown> {
    const body = JSON.stringify(hello);
    const base = new URL(this.#options.url);
    const atRoot = new URL(`/${HANDSHAKE_PATH}`, base);
    atRoot.search = base.search; // the endpoint's query (a token) goes with the hello too
    let reply = await this.#post('AI-ALPN handshake', atRoot.href, body, {}, signal);
    if (reply.status === 404) {
      const belowEndpoint = new URL(base.href);
      belowEndpoint.pathname = `${base.pathname.replace(/\/$/, '')}/${HANDSHAKE_PATH}`;
      reply = await this.#post('AI-ALPN handshake', belowEndpoint.href, body, {}, signal);
    }
    const { status, data } = reply;
    if ((status >= 200 && status < 300) || isWireError(data) || isHandshakeMessage(data)) return data;
    if (status >= 400 && status < 500) {
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      return { type: 'ai-alpn-error', reason: `the server refused the hello: HTTP ${status}${text ? ` ${text.slice(0, 300)}` : ''}` };
    }
    throw new ConnectionError(`AI-ALPN handshake with ${this.#options.endpoint} failed: HTTP ${status}`, { endpoint: this.#options.endpoint, details: { status, body: data } });
  }

  send(text: string, request: OutboundRequest): boolean {
    if (this.#closed) return false;
    const headers = { 'x-mpl-stype': request.stype };
    this.#post(`send ${request.stype}`, this.#options.url, text, headers, request.signal).then(
      (reply) => this.#events.onmessage?.({ data: reply.data, requestId: request.id, status: reply.status, headers: reply.headers }),
      (error: MplError) => { if (!request.signal.aborted) this.#events.onerror?.(error, request.id); },
    );
    return true;
  }

  close(): void {
    this.#closed = true;
    for (const request of this.#inflight) request.abort(new ConnectionError('Session closed', { endpoint: this.#options.endpoint }));
    this.#inflight.clear();
  }

  async #post(operation: string, url: string, body: string, extraHeaders: Record<string, string>, signal: AbortSignal): Promise<{ status: number; data: unknown; headers: Record<string, string> }> {
    const request = requestSignal(signal);
    this.#inflight.add(request);
    try {
      const headers = { 'content-type': 'application/json', accept: 'application/json', ...extraHeaders, ...(await this.#options.headers()) };
      // Called as a plain function: a page's `window.fetch` refuses another `this`.
      const fetchImpl = this.#options.fetch ?? globalThis.fetch;
      const response = await fetchImpl(url, { method: 'POST', body, headers, signal: request.signal });
      const text = await response.text();
      const mpl: Record<string, string> = {};
      for (const name of MPL_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) mpl[name] = value;
      }
      return { status: response.status, data: parseBody(text), headers: mpl };
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw fetchFailure(error, { url, endpoint: this.#options.endpoint, operation });
    } finally {
      request.done();
      this.#inflight.delete(request);
    }
  }
}

/** A response body: JSON when it parses, the text otherwise, `null` when empty. Nothing dropped. */
const parseBody = (text: string): unknown => (text === '' ? null : jsonOrText(text));
