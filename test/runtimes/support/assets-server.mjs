// The assets server of the runtime stages (Node only, 127.0.0.1, ephemeral port). It serves
//   /browser/*      the conformance page, under a strict Content Security Policy
//   /conformance/*  the portable suite;  /fixtures/*  test/fixtures
//   /mpl-sdk        a redirect to the file the package's `exports` map gives the `browser`
//                   condition, under /pkg/ (the package's own files: dist/, package.json)
//   /mpl-sdk/qom    the same for the `./qom` subpath (its file imports the entry beside it)
//   /mpl-sdk-copy   the same under /copy2/: other URLs, so a second, separate copy
//   /strict/*       the package (/strict/dist/) and the page of test/browser/csp-refused.html
//                   under a policy without 'wasm-unsafe-eval'; /strict-fetches counts the
//                   requests for its blake3.wasm and inlined copies, as JSON
// (A suite drives the reference server through that server's own test-control endpoint.)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { packageRoot, readPackageJson, resolveExport, runtimeConditions } from './exports.mjs';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.jsonl': 'application/x-ndjson', '.map': 'application/json', '.wasm': 'application/wasm',
  '.css': 'text/css', '.ts': 'text/plain',
};

/** The page's policy: scripts only from this origin, wasm compilation allowed, no eval. */
export function contentSecurityPolicy() {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    'connect-src \'self\' http://127.0.0.1:* ws://127.0.0.1:*',
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** A page's policy that lets scripts run but not WebAssembly compile (no 'wasm-unsafe-eval'). */
export function noWasmPolicy() {
  return contentSecurityPolicy().replace(" 'wasm-unsafe-eval'", '');
}

const mounts = {
  '/browser/': 'test/browser/',
  '/conformance/': 'test/conformance/',
  '/fixtures/': 'test/fixtures/',
  '/pkg/dist/': 'dist/',
  '/copy2/dist/': 'dist/',
  '/strict/dist/': 'dist/',
  '/strict/page/': 'test/browser/',
};

function inside(base, rel) {
  const dir = join(packageRoot, base, sep);
  const full = normalize(join(dir, rel));
  return full.startsWith(dir) ? full : undefined;
}

/** Starts the server. Resolves with `{ url, close() }`. */
export async function startAssetsServer() {
  const browserEntry = resolveExport(readPackageJson(), '.', runtimeConditions.browser);
  const browserQom = resolveExport(readPackageJson(), './qom', runtimeConditions.browser);
  const strictFetches = { wasm: 0, inlined: 0 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const strict = url.pathname.startsWith('/strict/') || url.pathname === '/mpl-sdk-strict';
    if (url.pathname === '/strict/dist/blake3.wasm') strictFetches.wasm++;
    if (/^\/strict\/dist\/blake3(-scalar)?-inline\.js$/.test(url.pathname)) strictFetches.inlined++;
    const headers = { 'content-security-policy': strict ? noWasmPolicy() : contentSecurityPolicy(), 'cache-control': 'no-store', 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
    try {
      if (req.method === 'OPTIONS') return res.writeHead(204, headers).end();
      if (url.pathname === '/mpl-sdk/qom') return res.writeHead(302, { ...headers, location: `/pkg/${browserQom.replace(/^\.\//, '')}` }).end();
      if (url.pathname === '/strict-fetches') return res.writeHead(200, { ...headers, 'content-type': MIME['.json'] }).end(JSON.stringify(strictFetches));
      if (url.pathname === '/mpl-sdk' || url.pathname === '/mpl-sdk-copy' || url.pathname === '/mpl-sdk-strict') {
        const base = { '/mpl-sdk': '/pkg/', '/mpl-sdk-copy': '/copy2/', '/mpl-sdk-strict': '/strict/' }[url.pathname];
        return res.writeHead(302, { ...headers, location: `${base}${browserEntry.replace(/^\.\//, '')}` }).end();
      }
      if (url.pathname === '/pkg/package.json') {
        return res.writeHead(200, { ...headers, 'content-type': MIME['.json'] }).end(await readFile(join(packageRoot, 'package.json')));
      }
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (!url.pathname.startsWith(prefix)) continue;
        const file = inside(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
        if (!file) break;
        const body = await readFile(file);
        return res.writeHead(200, { ...headers, 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
      }
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`);
    } catch (error) {
      const status = error && error.code === 'ENOENT' ? 404 : 500;
      if (!res.headersSent) res.writeHead(status, { ...headers, 'content-type': 'text/plain' });
      res.end(String(error && error.message));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
