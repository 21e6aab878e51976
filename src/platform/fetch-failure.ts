// The one place that turns a fetch (or ky) call that got no answer into an MplError.
import { ErrorCode } from '../errors/codes.ts';
import { ConnectionError } from '../errors/connection-error.ts';
import { MplError } from '../errors/mpl-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { isNetworkError } from './network-error.ts';
import { isBrowser } from './runtime.ts';
import { isErrorLike, plainServerHint, tidyTlsText } from './failure-text.ts';

/** What the failed request was, for the error's message and fields. */
export interface FetchFailureContext {
  /** The URL requested: its origin decides the CORS hint. */
  url: string;
  /** What the caller was doing: `tools/call echo`, `GET /health`, `AI-ALPN handshake`. */
  operation: string;
  /** The URL shown in the message and `endpoint` (e.g. without a token query). Default: `url`. */
  endpoint?: string;
  /** The HTTP method, shown beside the URL in a `TimeoutError`'s operation. */
  method?: string;
  /** The time limit given to ky (or kept by the caller), for its `TimeoutError`. */
  timeoutMs?: number;
  /** The caller's own time limit ran out (the failure is that abort): a `TimeoutError`, as ky's. */
  timedOut?: boolean | undefined;
  /** The status of an answer whose body was cut off (the failure came while reading it). */
  answered?: number | undefined;
  /** The caller's signal: when it aborted, its reason is returned as is. */
  signal?: AbortSignal | undefined;
  /** Extra `details` for the error. */
  details?: Record<string, unknown>;
}

/**
 * Translates a fetch/ky failure: the caller's abort reason when its signal aborted, ky's
 * timeout (or the caller's own, `timedOut`) as `TimeoutError(operation, timeoutMs)`,
 * anything else as a `ConnectionError` naming the endpoint, with the runtime's error as
 * `cause` and, in a page on another origin, the CORS hint; one that says the answer was
 * cut off when it came while reading a body (`answered`).
 *
 * @example
 * try { await ky.get(url, { timeout: 5000 }); }
 * catch (error) { throw fetchFailure(error, { url, operation: `GET ${url}`, timeoutMs: 5000 }); }
 */
export function fetchFailure(error: unknown, context: FetchFailureContext): unknown {
  if (context.signal?.aborted) return context.signal.reason;
  const endpoint = context.endpoint ?? context.url;
  const details = { operation: context.operation, ...context.details };
  if ((context.timedOut === true || isKyTimeout(error)) && context.timeoutMs !== undefined) {
    const target = context.method ? `${context.method.toUpperCase()} ${endpoint}` : endpoint;
    return new TimeoutError(`${context.operation} (${target})`, context.timeoutMs, { cause: error, details });
  }
  const failure = error as { name?: unknown; cause?: unknown } | null | undefined;
  const cause = failure?.name === 'NetworkError' && failure.cause !== undefined ? failure.cause : error;
  if (context.answered !== undefined) {
    // The server answered: the request reached it and may have been carried out.
    return new ConnectionError(`${context.operation}: the answer from ${endpoint} (HTTP ${context.answered}) was cut off (${describeFailure(cause)}); the request may have been processed`, { endpoint, details: { ...details, status: context.answered }, cause });
  }
  const said = describeFailure(cause);
  return new ConnectionError(`${context.operation}: cannot reach ${endpoint} (${said})${plainServerHint(endpoint, said)}${corsHint(context.url, cause)}`, { endpoint, details, cause });
}

/**
 * The `fetch` to call: the one given, else the runtime's; an `MplError` (`E-INVALID-ARGUMENT`)
 * saying so where the runtime has none (a test environment such as Jest's jsdom removes it),
 * rather than a "cannot reach" the server whose cause is a minified "x is not a function".
 * @internal
 */
export function fetchOf(given: typeof globalThis.fetch | undefined): typeof globalThis.fetch {
  const found = given ?? (globalThis as { fetch?: typeof globalThis.fetch }).fetch;
  if (typeof found !== 'function') {
    throw new MplError(ErrorCode.InvalidArgument, 'This runtime has no fetch (globalThis.fetch is not a function: a test environment such as Jest\'s jsdom removes it): pass one as the `fetch` option');
  }
  return found;
}

/**
 * The hint a browser needs: a cross-origin reply without CORS headers reaches fetch as a
 * bare `TypeError`. Empty unless this is a page (or worker) whose origin differs from the URL's.
 *
 * @example
 * new Error(`cannot reach ${url}${corsHint(url, error)}`);
 */
export function corsHint(url: string, cause: unknown): string {
  const page = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  if (!isBrowser() || typeof page !== 'string') return '';
  if (!isErrorLike(cause) || (cause.name !== 'TypeError' && !isNetworkError(cause))) return '';
  let origin: string;
  try {
    origin = new URL(url, page).origin;
  } catch {
    return '';
  }
  if (origin === page) return '';
  // A browser says the same "Failed to fetch" for a refused connection, a missing CORS header and its own page's CSP.
  return `. This page (${page}) is on another origin: if the server is up, it must allow this origin by CORS (Access-Control-Allow-Origin: mpl-sdk/server's \`cors\` option; the MPL proxy sends no CORS headers, use WebSocket or a same-origin route), and the page's Content-Security-Policy connect-src must allow the server; the browser's console says which`;
}

/**
 * `fetch failed: connect ECONNREFUSED 127.0.0.1:9` from a runtime error's nested causes.
 *
 * @example
 * describeFailure(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') })); // 'fetch failed: connect ECONNREFUSED'
 */
export function describeFailure(error: unknown): string {
  const messages: string[] = [];
  for (let e = error, depth = 0; isErrorLike(e) && depth < 3; e = e.cause, depth += 1) {
    if (e.message && !messages.includes(e.message)) messages.push(e.message);
  }
  return messages.length ? tidyTlsText(messages.join(': ')) : String(error);
}

function isKyTimeout(error: unknown): boolean {
  return isErrorLike(error) && error.name === 'TimeoutError' && (error as { request?: unknown }).request !== undefined;
}
