// A static host for a built web app, as hosts serve one: files of one folder, gzip when
// the browser accepts it, `application/wasm` for .wasm, and 404 for anything missing (no
// SPA fallback to index.html). It records every request with the bytes it sent and when
// it came and was answered, so a case can tell what a page downloaded, and in what order;
// `delayMs` holds every answer back that long, as a distant host would.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
};

/**
 * Serves `root` on 127.0.0.1; resolves with `{ url, requests: [{path, status, bytes, start, end}], close() }`
 * (`start`, `end`: ms on `performance.now()`'s clock when the request came and its answer was sent).
 */
export async function serveStatic(root, { delayMs = 0 } = {}) {
  const requests = [];
  const base = join(root, sep);
  const server = createServer(async (req, res) => {
    const start = performance.now();
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const record = (entry) => { requests.push({ ...entry, start, end: performance.now() }); };
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    let body;
    try {
      if (!file.startsWith(base)) throw new Error('outside');
      body = await readFile(file);
    } catch {
      record({ path, status: 404, bytes: 0 });
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers = { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      body = gzipSync(body, { level: 9 });
      headers['content-encoding'] = 'gzip';
    }
    record({ path, status: 200, bytes: body.length });
    res.writeHead(200, { ...headers, 'content-length': body.length }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
