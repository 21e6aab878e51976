import type { HttpIn } from './http-in.ts';
import { isPlain, type HttpAnswer, type PlainAnswer } from './wire.ts';

/** Response headers a page may read: the X-MPL-* family. */
const EXPOSED_HEADERS = 'X-MPL-QoM-Result, X-MPL-SType, X-MPL-Sem-Hash, X-MPL-Profile, X-MPL-TOC-Result';

/** A header name (RFC 9110 token): what a preflight may ask for and get echoed. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Which origins may read the server's answers: none (the proxy's default), any, or a list. */
export type CorsPolicy = boolean | readonly string[];

/** The `Access-Control-Allow-Origin` value for this request, or undefined when CORS is off or the origin is not allowed. */
function allowedOrigin(policy: CorsPolicy, request: HttpIn): string | undefined {
  if (policy === true) return '*';
  if (policy === false) return undefined;
  const origin = request.header('origin');
  return origin !== null && policy.includes(origin) ? origin : undefined;
}

/** Adds the CORS headers to an answer (a copy of a Response, whose headers may be immutable). */
export function withCors(policy: CorsPolicy, request: HttpIn, response: HttpAnswer): HttpAnswer {
  const origin = allowedOrigin(policy, request);
  // With a list, every answer depends on the Origin, the refused and the origin-less too: a cache must not hand one to another page.
  if (origin === undefined) return Array.isArray(policy) ? varyOnOrigin(response) : response;
  if (isPlain(response)) return plainWithCors(origin, response);
  const out = new Response(response.body, response);
  out.headers.set('Access-Control-Allow-Origin', origin);
  out.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  if (origin !== '*') out.headers.append('Vary', 'Origin');
  return out;
}

/**
 * Answers a preflight from an allowed origin: Content-Type, Authorization, the X-MPL-*
 * headers, and whatever other headers the page asks for (an API key, `traceparent`: the
 * origin is trusted already, and the SDK's clients send their `headers` option), echoed, as
 * a header list cannot hold a wildcard with credentials. Undefined when CORS is off: the
 * request is then routed like any other.
 */
export function preflight(policy: CorsPolicy, request: HttpIn): PlainAnswer | undefined {
  const origin = request.method === 'OPTIONS' ? allowedOrigin(policy, request) : undefined;
  if (origin === undefined) return undefined;
  const asked = (request.header('access-control-request-headers') ?? '')
    .split(',').map((h) => h.trim()).filter((h) => HEADER_NAME.test(h));
  const allowed = new Set(['Content-Type', 'Authorization', 'X-MPL-SType', 'X-MPL-Profile', ...asked]);
  const answer = plainWithCors(origin, {
    kind: 'plain',
    status: 204,
    headers: { 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': [...allowed].join(', '), 'Access-Control-Max-Age': '600' },
    body: null,
  });
  // The allowed headers echo the asked ones: the answer depends on them.
  answer.headers.Vary = answer.headers.Vary ? `${answer.headers.Vary}, Access-Control-Request-Headers` : 'Access-Control-Request-Headers';
  return answer;
}

/** `answer` with `Vary: Origin` added. */
function varyOnOrigin(answer: HttpAnswer): HttpAnswer {
  if (isPlain(answer)) return { ...answer, headers: { ...answer.headers, Vary: answer.headers.Vary ? `Origin, ${answer.headers.Vary}` : 'Origin' } };
  const out = new Response(answer.body, answer);
  out.headers.append('Vary', 'Origin');
  return out;
}

/** The server's own answer with the CORS headers for `origin` (its headers are plain names; a `Vary` of a preflight's is kept). */
function plainWithCors(origin: string, answer: PlainAnswer): PlainAnswer {
  const headers: Record<string, string> = { ...answer.headers, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
  if (origin !== '*' && !/\bOrigin\b/.test(headers.Vary ?? '')) headers.Vary = headers.Vary ? `Origin, ${headers.Vary}` : 'Origin';
  return { ...answer, headers };
}
