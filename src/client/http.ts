import ky, { HTTPError, KyError, NetworkError, TimeoutError as KyTimeoutError, type KyInstance } from 'ky';
import { ConnectionError } from '../errors/connection-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { isNetworkError } from '../platform/network-error.ts';
import { corsHint } from './cors-hint.ts';

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

/** A ky instance with the client's headers and fetch. */
export function createHttp(headers: Record<string, string>, fetchImpl: typeof fetch | undefined): KyInstance {
  return ky.create({ headers, ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }) });
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// ky recognises Node's and Deno's network errors itself; Bun's and workerd's come through raw.
const retryNetworkErrors = ({ error }: { error: Error }): true | undefined =>
  !(error instanceof KyError) && isNetworkError(error) ? true : undefined;

/**
 * Sends `request` and returns the answer, 2xx or not. Only a request that got no answer
 * throws: `TimeoutError`, `ConnectionError`, or the caller's abort reason.
 */
export async function exchange(http: KyInstance, request: HttpRequest): Promise<HttpReply> {
  const { method, url, json, headers, signal, timeoutMs, retries } = request;
  const pending = http(url, {
    method,
    ...(json === undefined ? {} : { json }),
    ...(headers === undefined ? {} : { headers }),
    ...(signal === undefined ? {} : { signal }),
    timeout: timeoutMs,
    retry: { limit: retries, methods: [method], shouldRetry: retryNetworkErrors },
  });
  try {
    const response = await pending;
    const text = await pending.text();
    return { status: response.status, statusText: response.statusText, headers: response.headers, body: parseBody(text) };
  } catch (error) {
    if (error instanceof HTTPError) {
      const body = typeof error.data === 'string' ? parseBody(error.data) : error.data;
      return { status: error.response.status, statusText: error.response.statusText, headers: error.response.headers, body };
    }
    throw noAnswer(error, request);
  }
}

function noAnswer(error: unknown, request: HttpRequest): unknown {
  if (request.signal?.aborted) return request.signal.reason;
  const context = { endpoint: request.url, details: { operation: request.operation } };
  if (error instanceof KyTimeoutError) {
    return new TimeoutError(`${request.operation} (${request.method.toUpperCase()} ${request.url})`, request.timeoutMs, { cause: error, details: context.details });
  }
  const cause = error instanceof NetworkError && error.cause !== undefined ? error.cause : error;
  const reason = describe(cause);
  return new ConnectionError(`${request.operation}: cannot reach ${request.url} (${reason})${corsHint(request.url, cause)}`, { ...context, cause });
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:9` from Node's nested causes. */
function describe(error: unknown): string {
  const messages: string[] = [];
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth += 1) {
    if (e.message && !messages.includes(e.message)) messages.push(e.message);
  }
  return messages.length ? messages.join(': ') : String(error);
}
