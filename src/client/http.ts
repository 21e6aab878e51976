import type { KyInstance } from 'ky';
import { fetchFailure, fetchOf } from '../platform/fetch-failure.ts';
import { lazyKy, loadKy } from '../platform/ky.ts';
import { readJsonOrText } from '../platform/json-or-text.ts';
import { retryNetworkErrors } from '../platform/network-error.ts';
import { requestSignal } from '../platform/request-signal.ts';

/** An HTTP answer, whatever its status. `body` is parsed JSON, else text, else `undefined` (empty). */
export interface HttpReply {
  status: number;
  statusText: string;
  headers: Headers;
  body: unknown;
  /** Whether the body was JSON (a text that is not, or an empty body: false). */
  json: boolean;
}

/** One request: what to send and how long and how often to try. */
export interface HttpRequest {
  method: 'get' | 'post';
  url: string;
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  retries: number;
  /** What the caller was doing, for error messages: `tools/call echo`, `GET /health`. */
  operation: string;
  /** The URL as errors show it: without its query (tokens live there). */
  shown: string;
}

/** How the client makes requests: its headers and fetch, and its ky instance, made (and ky loaded) when a request that retries first goes out. */
export interface Http {
  readonly headers: Record<string, string>;
  readonly fetch: typeof fetch | undefined;
  readonly ky: () => Promise<KyInstance>;
}

/** The client's `Http`. */
export function createHttp(headers: Record<string, string>, fetchImpl: typeof fetch | undefined): Http {
  return { headers, fetch: fetchImpl, ky: lazyKy({ headers, ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }) }) };
}

/** A body's text as `HttpReply` holds it: its JSON value, else the text, else `undefined` (empty). */
const readBody = (text: string): { body: unknown; json: boolean } => {
  const { value, json } = readJsonOrText(text);
  return { body: value, json };
};

/**
 * What ky's `parseJson` gives for a non-2xx body labelled JSON: the body already read, so
 * that it is not read again (a JSON string such as `"123"` would become the number 123).
 * ky gives other bodies as their text, and an empty or unreadable one as `undefined`.
 */
class ReadBody {
  constructor(readonly read: { body: unknown; json: boolean }) {}
}
const parseBody = (text: string): ReadBody => new ReadBody(readBody(text));

/** A non-2xx body as ky hands it over (`HTTPError.data`), read as `HttpReply` holds it. */
const readErrorData = (data: unknown): { body: unknown; json: boolean } =>
  data instanceof ReadBody ? data.read : typeof data === 'string' ? readBody(data) : { body: undefined, json: false };

/**
 * Sends `request` and returns the answer, 2xx or not. Only a request that got no answer
 * throws: `TimeoutError`, `ConnectionError`, or the caller's abort reason. One that may be
 * retried goes through ky (its retries, `Retry-After`, backoff); one that may not (every
 * POST unless `retry.post`) goes to `fetch` itself, which in Node 20 costs about half the
 * CPU: ky's `Request`, which `fetch` copies again, is most of what a request costs there.
 */
export async function exchange(http: Http, request: HttpRequest): Promise<HttpReply> {
  // Either way: a runtime without fetch is said as such (ky would call what it finds).
  const fetchImpl = fetchOf(http.fetch);
  if (request.retries === 0) return once(http, request, fetchImpl);
  const { method, url, json, headers, signal, timeoutMs, retries } = request;
  const [{ isHTTPError }, client] = await Promise.all([loadKy(), http.ky()]);
  const pending = client(url, {
    method,
    ...(json === undefined ? {} : { json }),
    ...(headers === undefined ? {} : { headers }),
    ...(signal === undefined ? {} : { signal }),
    timeout: timeoutMs,
    // ky reads a non-2xx body itself: one labelled JSON that does not parse is kept as its text, not dropped.
    parseJson: parseBody,
    // A server asking for a longer wait than one attempt may last is not waited for: its answer comes back.
    retry: { limit: retries, methods: [method], maxRetryAfter: timeoutMs, shouldRetry: (state) => (asksLongerThan(state.error, timeoutMs) ? false : retryNetworkErrors(state)) },
  });
  let response: Response;
  try {
    response = await pending;
  } catch (error) {
    if (isHTTPError(error)) {
      return { status: error.response.status, statusText: error.response.statusText, headers: error.response.headers, ...readErrorData(error.data) };
    }
    throw noAnswer(error, request);
  }
  try {
    return reply(response, await pending.text());
  } catch (error) {
    throw noAnswer(error, request, response.status);
  }
}

/**
 * `exchange` of a request tried once, with `fetch`: what ky does with it, without ky. The
 * headers are the client's, then the request's over them, with a JSON body's
 * `content-type` unless one was given; the time limit covers the answer and its body.
 */
async function once(http: Http, request: HttpRequest, fetchImpl: typeof fetch): Promise<HttpReply> {
  const { method, url, json, signal, timeoutMs } = request;
  const headers = new Headers(http.headers);
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  const init: RequestInit = { method: method.toUpperCase(), headers };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const limit = requestSignal(signal, timeoutMs);
  init.signal = limit.signal;
  let response: Response | undefined;
  try {
    // Raced against the limit: a `fetch` of the caller's that ignores `init.signal` cannot outlast it.
    // Called as a plain function: a page's `window.fetch` refuses another `this`.
    response = await limit.race(fetchImpl(url, init));
    return reply(response, await limit.race(response.text()));
  } catch (error) {
    throw noAnswer(error, request, response?.status, limit.timedOut);
  } finally {
    limit.done();
  }
}

const reply = (response: Response, text: string): HttpReply =>
  ({ status: response.status, statusText: response.statusText, headers: response.headers, ...readBody(text) });


/** Whether `error` is an answer whose `Retry-After` asks for more than `ms`. */
function asksLongerThan(error: Error, ms: number): boolean {
  const header = (error as { response?: { headers?: Headers } }).response?.headers?.get('retry-after');
  const wait = header == null ? undefined : retryAfterMs(header);
  return wait !== undefined && wait > ms;
}

/**
 * The wait a `Retry-After` value asks for, in ms: delay-seconds or an HTTP date;
 * `undefined` when it is neither.
 *
 * @example
 * retryAfterMs('120'); // 120000
 */
function retryAfterMs(value: string): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A request that got no whole answer: none at all, or its body cut off after the `status` line came. */
function noAnswer(error: unknown, request: HttpRequest, status?: number, timedOut?: boolean): unknown {
  const { url, shown, operation, method, timeoutMs, signal } = request;
  return fetchFailure(error, { url, endpoint: shown, operation, method, timeoutMs, signal, timedOut, answered: status });
}
