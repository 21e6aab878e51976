import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is demo/server/static-files.ts). */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The demo page's policy: no inline script; WebAssembly compiled from fetched bytes is allowed. */
const DEMO_PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss: http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** URL prefix → folder of the repository it serves. */
const MOUNTS: Array<[prefix: string, folder: string]> = [
  ['/dist/', 'dist'],
  ['/registry/', 'registry'],
];

/** The demo page's own files. */
const PAGE_FILES: Record<string, string> = {
  '/': 'demo/index.html',
  '/index.html': 'demo/index.html',
  '/app.js': 'demo/app.js',
  '/style.css': 'demo/style.css',
};

/**
 * Maps a URL path to a file of the repository, or `undefined` when it is not a static
 * path. `null` means refused: a path that would leave its folder (`..`, encoded or not),
 * or one holding a NUL or a backslash.
 */
export function staticFileFor(pathname: string): string | null | undefined {
  const page = PAGE_FILES[pathname];
  if (page) return resolve(REPO_ROOT, page);
  const mount = MOUNTS.find(([prefix]) => pathname.startsWith(prefix));
  if (!mount) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(mount[0].length));
  } catch {
    return null;
  }
  if (relative.includes('\0') || relative.includes('\\')) return null;
  const base = resolve(REPO_ROOT, mount[1]);
  const file = resolve(base, relative);
  return file.startsWith(base + sep) ? file : null;
}

/** A file with its MIME type (404 when missing); the demo page gets its CSP. */
export async function serveFile(file: string, method: string): Promise<Response> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return new Response('Not Found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const headers: Record<string, string> = {
    'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  };
  if (extname(file) === '.html') headers['Content-Security-Policy'] = DEMO_PAGE_CSP;
  return new Response(method === 'HEAD' ? null : await readFile(file), { status: 200, headers });
}

/** The demo page, dist/ and registry/ for GET and HEAD; undefined for any other request. */
export async function staticRoutes(request: Request): Promise<Response | undefined> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const { pathname } = new URL(request.url);
  if (pathname === '/health' || pathname === '/capabilities') return undefined;
  const file = staticFileFor(pathname);
  if (file === null) return new Response('Forbidden: path outside the served folders', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  return file === undefined ? undefined : serveFile(file, request.method);
}
