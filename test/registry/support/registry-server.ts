// A real HTTP server on an ephemeral loopback port serving the repository's registry/
// folder in either layout of PROTOCOL.md, recording every request it gets, with per-path
// overrides to play a broken registry (404, 5xx, not JSON, slow, redirecting).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REGISTRY_DIR = fileURLToPath(new URL('../../../registry/', import.meta.url));

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RegistryServer {
  /** Base URL of the registry, with a trailing slash: http://127.0.0.1:PORT/registry/ */
  readonly url: string;
  readonly origin: string;
  /** Every request's path (and query), in arrival order. */
  readonly requests: string[];
  /** Requests whose path ends with `suffix`. */
  count(suffix: string): number;
  /** Answers requests for `path` (relative to the base, e.g. `stypes/org/x/Y/v1/schema.json`) with `handler`. */
  override(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export interface RegistryServerOptions {
  layout?: 'static' | 'service';
  root?: string;
  /** Page size cap of the service's `GET stypes` (the real service caps at 100). */
  pageLimit?: number;
}

async function listStypes(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, parts: string[]) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name), [...parts, e.name]);
      else if (e.name === 'schema.json') out.push(parts.join('.'));
    }
  };
  await walk(join(root, 'stypes'), []);
  return out.sort();
}

export async function startRegistryServer(options: RegistryServerOptions = {}): Promise<RegistryServer> {
  const layout = options.layout ?? 'static';
  const root = options.root ?? REGISTRY_DIR;
  const requests: string[] = [];
  const overrides = new Map<string, Handler>();
  const prefix = '/registry/';

  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*' });
    res.end(body);
  };
  const sendFile = async (res: ServerResponse, relative: string) => {
    const file = normalize(join(root, relative));
    if (!file.startsWith(normalize(root.endsWith(sep) ? root : root + sep))) return send(res, 404, 'not found', 'text/plain');
    try {
      send(res, 200, await readFile(file, 'utf8'));
    } catch {
      send(res, 404, '{"error":"not found"}');
    }
  };

  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(prefix)) return send(res, 404, 'not found', 'text/plain');
    const path = decodeURIComponent(url.pathname.slice(prefix.length));
    const handler = overrides.get(path);
    if (handler) return handler(req, res);
    if (layout === 'static') return void sendFile(res, path);
    if (path === 'stypes') {
      return void listStypes(root).then((ids) => {
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), options.pageLimit ?? 100);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const page = ids.slice(offset, offset + limit).map((stype) => ({ stype, urn: `urn:stype:${stype}` }));
        send(res, 200, JSON.stringify({ stypes: page, total: ids.length, limit, offset }));
      });
    }
    const schema = /^stypes\/([^/]+)\/([^/]+)\/([^/]+)\/(v[0-9]+)\/schema$/.exec(path);
    if (schema) return void sendFile(res, join('stypes', ...schema[1]!.split('.'), schema[2]!, schema[3]!, schema[4]!, 'schema.json'));
    const profile = /^profiles\/([A-Za-z0-9_-]+)$/.exec(path);
    if (profile) return void sendFile(res, join('profiles', `${profile[1]}.json`));
    send(res, 404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}${prefix}`,
    origin,
    requests,
    count: (suffix) => requests.filter((r) => r.split('?')[0]!.endsWith(suffix)).length,
    override: (path, handler) => void overrides.set(path, handler),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
