/** Response headers a page may read: the X-MPL-* family. */
const EXPOSED_HEADERS = 'X-MPL-QoM-Result, X-MPL-SType, X-MPL-Sem-Hash, X-MPL-Profile, X-MPL-TOC-Result';

const ALLOWED_REQUEST_HEADER = /^(content-type|authorization|accept|x-mpl-[a-z0-9-]+)$/i;

/** Which origins may read the server's answers: none (the proxy's default), any, or a list. */
export type CorsPolicy = boolean | readonly string[];

/** The `Access-Control-Allow-Origin` value for this request, or undefined when CORS is off or the origin is not allowed. */
function allowedOrigin(policy: CorsPolicy, request: Request): string | undefined {
  if (policy === true) return '*';
  if (policy === false) return undefined;
  const origin = request.headers.get('origin');
  return origin !== null && policy.includes(origin) ? origin : undefined;
}

/** Adds the CORS headers to a response (a copy when its headers are immutable). */
export function withCors(policy: CorsPolicy, request: Request, response: Response): Response {
  const origin = allowedOrigin(policy, request);
  if (origin === undefined) return response;
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
export function preflight(policy: CorsPolicy, request: Request): Response | undefined {
  if (request.method !== 'OPTIONS' || allowedOrigin(policy, request) === undefined) return undefined;
  const asked = (request.headers.get('access-control-request-headers') ?? '')
    .split(',').map((h) => h.trim()).filter((h) => h && ALLOWED_REQUEST_HEADER.test(h));
  const allowed = new Set(['Content-Type', 'Authorization', 'X-MPL-SType', 'X-MPL-Profile', ...asked]);
  return withCors(policy, request, new Response(null, {
    status: 204,
    headers: { 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': [...allowed].join(', '), 'Access-Control-Max-Age': '600' },
  }));
}
