// The one place that looks at which runtime we are in. Everything else asks here.
import { nodeModules } from './node-modules.ts';

/**
 * What a Session uses of a WebSocket: the browser's, workerd's, Deno's, Bun's, Node 22+'s
 * (undici) and the `ws` package's all have it, each as its own types declare it.
 *
 * @example
 * const socket: WebSocketLike = new WebSocket('wss://mpl.example/ws');
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The URL it was opened with. */
  readonly url: string;
  /** The subprotocol the server chose (`''` for none). */
  readonly protocol: string;
  /** The extensions the server chose. */
  readonly extensions: string;
  /** Bytes sent but not yet handed to the network. */
  readonly bufferedAmount: number;
  /** How binary frames arrive: the SDK asks for `'arraybuffer'`. */
  binaryType: string;
  /** Sends a text frame: the SDK sends nothing else. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  // One signature per event (a union of names does not match the `ws` package's generic overloads).
  /** Listens for the link opening, or failing. */
  addEventListener(type: 'open' | 'error', listener: (event: object) => void): void;
  /** Listens for frames. */
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** Listens for the close, with its code and reason. */
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  /** Stops listening for the link opening, or failing. */
  removeEventListener(type: 'open' | 'error', listener: (event: object) => void): void;
  /** Stops listening for frames. */
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  /** Stops listening for the close. */
  removeEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

/**
 * A WebSocket class for the Session's `WebSocket` option: the runtime's global, or the `ws`
 * package's class as it is (no cast). A function, an instance or a class that is no
 * WebSocket does not compile.
 *
 * @example
 * import WebSocket from 'ws';
 * new Session({ endpoint, stypes, WebSocket });
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/**
 * The WebSocket constructor to use: the injected one; on Node itself the `ws` package (a
 * dependency), imported only then; else the runtime's global. Node 22+ has a global
 * WebSocket (undici's), but it cannot cut a link whose server ignores the close handshake:
 * after `close()` its socket stays open and keeps the process alive. `ws` can, and lets
 * frames sent together leave in one write. Where `ws` cannot be loaded, Node 22+ uses the
 * global; Node 20, which has none, fails with a clear error.
 */
export async function loadWebSocket(injected?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (injected) return injected;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (nodeModules && isNodeItself()) {
    try {
      const mod = await nodeModules.ws();
      return (mod.WebSocket ?? mod.default) as WebSocketConstructor;
    } catch (cause) {
      if (global) return global;
      throw new Error('This Node has no global WebSocket and the `ws` package could not be loaded; install `ws` or pass `WebSocket` in the session config', { cause });
    }
  }
  if (global) return global;
  throw new Error('This runtime has no WebSocket; pass a `WebSocket` constructor in the session config');
}

/** True in Node, Deno and Bun: all three define `process.versions.node`. */
function isNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
}

/** True in Node itself, not Deno or Bun (which define `process.versions.node` too). */
function isNodeItself(): boolean {
  return isNode() && !isDeno() && bunArch() === undefined;
}

/** In Bun, the CPU architecture it runs on (`process.arch`: `'x64'`, `'arm64'`; `''` if it does not say); undefined elsewhere. */
export function bunArch(): string | undefined {
  const g = globalThis as { Bun?: unknown; process?: { arch?: unknown; versions?: { bun?: unknown } } };
  if (g.Bun === undefined && g.process?.versions?.bun === undefined) return undefined;
  return typeof g.process?.arch === 'string' ? g.process.arch : '';
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
