import type { HttpIn } from './http-in.ts';
import { isPlain, type HttpAnswer, type PlainAnswer } from './wire.ts';

/** Response headers a page may read: the X-MPL-* family. */
const EXPOSED_HEADERS = 'X-MPL-QoM-Result, X-MPL-SType, X-MPL-Sem-Hash, X-MPL-Profile, X-MPL-TOC-Result';

const ALLOWED_REQUEST_HEADER = /^(content-type|authorization|accept|x-mpl-[a-z0-9-]+)$/i;

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
  if (origin === undefined) return response;
  if (isPlain(response)) return plainWithCors(origin, response);
  const out = new Response(response.body, response);
  out.headers.set('Access-Control-Allow-Origin', origin);
  out.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  if (origin !== '*') out.headers.append('Vary', 'Origin');
  return out;
}

/**
 * Answers a preflight: allows Content-Type, Authorization and any X-MPL-* header the page
 * asks for (a header list cannot hold a wildcard pattern, so the asked ones are echoed).
 * Undefined when CORS is off: the request is then routed like any other.
 */
export function preflight(policy: CorsPolicy, request: HttpIn): PlainAnswer | undefined {
  const origin = request.method === 'OPTIONS' ? allowedOrigin(policy, request) : undefined;
  if (origin === undefined) return undefined;
  const asked = (request.header('access-control-request-headers') ?? '')
    .split(',').map((h) => h.trim()).filter((h) => h && ALLOWED_REQUEST_HEADER.test(h));
  const allowed = new Set(['Content-Type', 'Authorization', 'X-MPL-SType', 'X-MPL-Profile', ...asked]);
  return plainWithCors(origin, {
    kind: 'plain',
    status: 204,
    headers: { 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': [...allowed].join(', '), 'Access-Control-Max-Age': '600' },
    body: null,
  });
}

/** The server's own answer with the CORS headers for `origin` (its headers are plain names: none is `Vary` already). */
function plainWithCors(origin: string, answer: PlainAnswer): PlainAnswer {
  const headers: Record<string, string> = { ...answer.headers, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS };
  if (origin !== '*') headers.Vary = 'Origin';
  return { ...answer, headers };
}
