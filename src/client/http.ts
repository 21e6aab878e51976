import type { KyInstance } from 'ky';
import { fetchFailure } from '../platform/fetch-failure.ts';
import { lazyKy, loadKy } from '../platform/ky.ts';
import { jsonOrText } from '../platform/json-or-text.ts';
import { retryNetworkErrors } from '../platform/network-error.ts';

/** An HTTP answer, whatever its status. `body` is parsed JSON, else text, else `undefined` (empty). */
export interface HttpReply {
  status: number;
  statusText: string;
  headers: Headers;
  body: unknown;
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
}

/** The client's ky instance (its headers and fetch), made when the first request goes out. */
export type Http = () => Promise<KyInstance>;

/** A ky instance with the client's headers and fetch, created (and ky loaded) on first use. */
export function createHttp(headers: Record<string, string>, fetchImpl: typeof fetch | undefined): Http {
  return lazyKy({ headers, ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }) });
}

const parseBody = (text: string): unknown => (text === '' ? undefined : jsonOrText(text));

/**
 * Sends `request` and returns the answer, 2xx or not. Only a request that got no answer
 * throws: `TimeoutError`, `ConnectionError`, or the caller's abort reason.
 */
export async function exchange(http: Http, request: HttpRequest): Promise<HttpReply> {
  const { method, url, json, headers, signal, timeoutMs, retries } = request;
  const [{ isHTTPError }, client] = await Promise.all([loadKy(), http()]);
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
  try {
    const response = await pending;
    const text = await pending.text();
    return { status: response.status, statusText: response.statusText, headers: response.headers, body: parseBody(text) };
  } catch (error) {
    if (isHTTPError(error)) {
      const body = typeof error.data === 'string' ? parseBody(error.data) : error.data;
      return { status: error.response.status, statusText: error.response.statusText, headers: error.response.headers, body };
    }
    throw noAnswer(error, request);
  }
}

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

function noAnswer(error: unknown, request: HttpRequest): unknown {
  const { url, operation, method, timeoutMs, signal } = request;
  return fetchFailure(error, { url, operation, method, timeoutMs, signal });
}
