// The HTTP transport's work, loaded when a session first uses HTTP (src/session/http-transport.ts
// holds the public class): a page with WebSocket sessions only never downloads it.
import { ConnectionError } from '../errors/connection-error.ts';
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { isHandshakeMessage, type AlpnHello } from '../protocol/handshake.ts';
import { isWireError } from '../protocol/peer-error.ts';
import { replyMarkers } from '../protocol/peer-reply.ts';
import { isJsonObject } from '../protocol/json.ts';
import { describeFailure, fetchFailure, fetchOf } from '../platform/fetch-failure.ts';
import { headersProblem } from '../platform/headers.ts';
import { notJsonReply, readJsonOrText } from '../platform/json-or-text.ts';
import { requestSignal, type RequestSignal } from '../platform/request-signal.ts';
import { redact } from './endpoint.ts';
import type { HttpTransportOptions } from './http-transport.ts';
import type { OutboundRequest, TransportEvents } from './transport.ts';

const MPL_HEADERS = ['x-mpl-stype', 'x-mpl-sem-hash', 'x-mpl-profile', 'x-mpl-qom-result', 'x-mpl-qom-pass', 'x-mpl-toc-result'];
const HANDSHAKE_PATH = '.well-known/ai-alpn';
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

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
    const belowEndpoint = new URL(base.href);
    belowEndpoint.pathname = `${base.pathname.replace(/\/$/, '')}/${HANDSHAKE_PATH}`;
    // (An endpoint at the origin's root has no path below it to try: the same URL again would be pointless.)
    if (reply.status === 404 && belowEndpoint.href !== atRoot.href) {
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
    const operation = `send ${request.stype}`;
    this.#post(operation, this.#options.url, text, headers, request.signal).then(
      (reply) => {
        // A 2xx that is not JSON (an HTML page, a bare "OK", nothing at all: a captive portal, a
        // misrouted proxy) is no MPL reply, and never taken for the request's answer.
        // A redirect fetch followed: on 301, 302 and 303 fetch turns the POST into a GET without the envelope, and
        // the URL it ended at answered that GET (a page, a health check), not this request. Its answer counts only
        // when it is an MPL error, or names this request (which a 307 or 308, keeping the body, lets it do);
        // anything else is said as what it is, never taken for the endpoint's reply.
        if (reply.redirectedTo !== undefined && !isWireError(reply.data) && !namesRequest(reply.data, request.id)) {
          const error = new MplError(ErrorCode.HttpStatus, `${operation}: ${this.#options.endpoint} redirected the POST to ${reply.redirectedTo}, which answered HTTP ${reply.status} without naming request ${request.id} (a 301, 302 or 303 turns a POST into a GET without its body, so that is no answer to it): use the URL the redirect names as the endpoint`, {
            details: { status: reply.status, redirectedTo: reply.redirectedTo, endpoint: this.#options.endpoint, body: excerpt(reply.data) },
          });
          return this.#events.onerror?.(error, request.id);
        }
        if (reply.status >= 200 && reply.status < 300 && !reply.json) {
          return this.#events.onerror?.(notJsonReply(operation, this.#options.endpoint, reply.status, reply.contentType, reply.data), request.id);
        }
        this.#events.onmessage?.({ data: reply.data, requestId: request.id, status: reply.status, headers: reply.headers });
      },
      (error: MplError) => { if (!request.signal.aborted) this.#events.onerror?.(error, request.id); },
    );
    return true;
  }

  close(): void {
    this.#closed = true;
    for (const request of this.#inflight) request.abort(new ConnectionError('Session closed', { endpoint: this.#options.endpoint }));
    this.#inflight.clear();
  }

  async #post(operation: string, url: string, body: string, extraHeaders: Record<string, string>, signal: AbortSignal): Promise<{ status: number; data: unknown; json: boolean; contentType: string | undefined; redirectedTo: string | undefined; headers: Record<string, string> }> {
    // Called as a plain function: a page's `window.fetch` refuses another `this`.
    const fetchImpl = fetchOf(this.#options.fetch);
    const request = requestSignal(signal);
    this.#inflight.add(request);
    let response: Response | undefined;
    try {
      // Each step raced against the signal: a headers provider or a `fetch` of the caller's that
      // ignores `init.signal` cannot outlast the session's time limits.
      const headers = await request.race(this.#headers(operation, extraHeaders));
      response = await request.race(fetchImpl(url, { method: 'POST', body, headers, signal: request.signal }));
      const text = await request.race(bodyText(response, this.#options.maxFrameBytes, operation));
      const mpl: Record<string, string> = {};
      for (const name of MPL_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) mpl[name] = value;
      }
      // The JSON value when it parses, else the text itself (nothing is dropped), null for nothing.
      const { value, json } = readJsonOrText(text);
      const data = text === '' ? null : value;
      const redirectedTo = response.redirected && response.url ? redact(response.url) : undefined;
      return { status: response.status, data, json, contentType: response.headers.get('content-type') ?? undefined, redirectedTo, headers: mpl };
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      if (error instanceof MplError) throw error;
      throw fetchFailure(error, { url, endpoint: this.#options.endpoint, operation, answered: response?.status });
    } finally {
      request.done();
      this.#inflight.delete(request);
    }
  }

  /**
   * The request's headers: JSON's, then `extra`, then the session's own (`config.headers`)
   * over them, each name once whatever its case. A `headers` provider that fails is a
   * `ConnectionError` saying so, with nothing sent; headers that `fetch` would refuse are
   * `E-INVALID-ARGUMENT`, naming the header (never its value).
   */
  async #headers(operation: string, extra: Record<string, string>): Promise<Headers> {
    let given: unknown;
    try {
      given = await this.#options.headers();
    } catch (cause) {
      throw new ConnectionError(`${operation}: config.headers failed (${describeFailure(cause)}); nothing was sent to ${this.#options.endpoint}`, { endpoint: this.#options.endpoint, cause });
    }
    let own: Headers;
    try {
      own = new Headers(given as HeadersInit);
    } catch {
      throw new MplError(ErrorCode.InvalidArgument, `${operation}: config.headers: ${headersProblem(given)}`, { details: { endpoint: this.#options.endpoint } });
    }
    const headers = new Headers(JSON_HEADERS);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    for (const [name, value] of own) headers.set(name, value);
    return headers;
  }
}

/**
 * The body's text, read only up to `max` bytes (`maxFrameBytes`): a larger one (by its
 * Content-Length, or as it arrives) is refused with `E-INVALID-ENVELOPE` and not read on,
 * as a WebSocket frame over the limit is.
 */
async function bodyText(response: Response, max: number | undefined, operation: string): Promise<string> {
  const reader = max === undefined || !Number.isFinite(max) ? undefined : response.body?.getReader();
  if (reader === undefined) return response.text();
  const refuse = async (size: string): Promise<never> => {
    await reader.cancel().catch(() => {});
    throw new MplError(ErrorCode.InvalidEnvelope, `${operation}: the reply's body (${size}) exceeds maxFrameBytes (${max}); discarded unread`, { details: { maxFrameBytes: max } });
  };
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > max!) return refuse(`${declared} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max!) return refuse(`more than ${max} bytes`);
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** A body for an error's details: a text cut to its first 200 characters, JSON as it is. */
const excerpt = (data: unknown): unknown => (typeof data === 'string' ? data.slice(0, 200) : data);

/** Whether a reply names request `id`: by a marker (`in_reply_to`, `correlation_id`, `provenance.parent_id`, on it or what it wraps) or by repeating it as its own `id`. */
function namesRequest(data: unknown, id: string): boolean {
  return replyMarkers(data).includes(id) || (isJsonObject(data) && data['id'] === id);
}
