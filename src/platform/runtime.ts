// The one place that looks at which runtime we are in. Everything else asks here.
import { nodeModules } from './node-modules.ts';

/**
 * The part of the WebSocket constructor this SDK relies on (browsers, Deno, Bun, workerd, Node 22+, `ws`).
 *
 * @example
 * import WebSocket from 'ws';
 * new Session({ endpoint, WebSocket: WebSocket as unknown as WebSocketConstructor });
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/**
 * The WebSocket constructor to use: the injected one, else the runtime's global, else (on
 * Node 20, which has none) the `ws` package, imported only then.
 */
export async function loadWebSocket(injected?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (injected) return injected;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  if (nodeModules && isNode()) {
    try {
      const mod = await nodeModules.ws();
      return (mod.WebSocket ?? mod.default) as WebSocketConstructor;
    } catch (cause) {
      throw new Error('This Node has no global WebSocket and the `ws` package could not be loaded; install `ws` or pass `WebSocket` in the session config', { cause });
    }
  }
  throw new Error('This runtime has no WebSocket; pass a `WebSocket` constructor in the session config');
}

function isNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
}

/** True in Deno, where reading a file needs a permission (--allow-read) the user may not have given. */
export function isDeno(): boolean {
  return (globalThis as { Deno?: unknown }).Deno !== undefined;
}

/** True in a web page or web worker, where a failed cross-origin fetch is often CORS. */
export function isBrowser(): boolean {
  const g = globalThis as { document?: unknown; importScripts?: unknown; navigator?: { userAgent?: unknown } };
  return (g.document !== undefined || typeof g.importScripts === 'function') && !isNode();
}

/**
 * True where a registry folder can be read: Node, Deno and Bun (all define
 * `process.versions.node`), but not a Worker with nodejs_compat, which may define it too
 * but has no file system.
 */
export function hasFileSystem(): boolean {
  return isNode() && (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent !== 'Cloudflare-Workers';
}
