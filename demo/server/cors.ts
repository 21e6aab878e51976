import type { IncomingMessage, ServerResponse } from 'node:http';

/** Response headers a page may read: the X-MPL-* family. */
const EXPOSED_HEADERS = ['X-MPL-QoM-Result', 'X-MPL-SType', 'X-MPL-Sem-Hash', 'X-MPL-Profile', 'X-MPL-TOC-Result'];

const ALLOWED_REQUEST_HEADER = /^(content-type|authorization|accept|x-mpl-[a-z0-9-]+)$/i;

/** Open CORS on every response: any origin, the X-MPL-* headers exposed. */
export function setCorsHeaders(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
}

/**
 * Answers a preflight: allows Content-Type, Authorization and any X-MPL-* header the page
 * asks for (a header list cannot hold a wildcard pattern, so the asked ones are echoed).
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const asked = String(req.headers['access-control-request-headers'] ?? '')
    .split(',').map((h) => h.trim()).filter((h) => h && ALLOWED_REQUEST_HEADER.test(h));
  const allowed = new Set(['Content-Type', 'Authorization', 'X-MPL-SType', 'X-MPL-Profile', ...asked]);
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': [...allowed].join(', '),
    'Access-Control-Max-Age': '600',
  });
  res.end();
}
