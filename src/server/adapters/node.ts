import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { MplServer } from '../server.ts';

/**
 * A node:http request as a web-standard Request (the body streamed, not buffered). Given
 * its response, the Request's `signal` aborts when the client goes away before the answer
 * is written, as Deno's, Bun's and workerd's do (a request still waiting for its turn is
 * then dropped).
 *
 * @example
 * createServer(async (req, res) => writeResponse(res, await server.fetch(toRequest(req, res))));
 */
export function toRequest(req: IncomingMessage, res?: ServerResponse): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  let url: URL;
  try {
    url = new URL(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`);
  } catch {
    url = new URL(`http://localhost${req.url?.startsWith('/') ? req.url : '/'}`);
  }
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? null : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  let signal: AbortSignal | undefined;
  if (res) {
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort(new Error('the client went away before the answer'));
    });
    signal = gone.signal;
  }
  return new Request(url, { method, headers, body, ...(body ? { duplex: 'half' } : {}), ...(signal ? { signal } : {}) } as RequestInit);
}

/**
 * Writes a web-standard Response to a node:http response, streaming its body.
 *
 * @example
 * await writeResponse(res, Response.json({ status: 'healthy' }));
 */
export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => { if (name !== 'set-cookie') headers[name] = value; });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (response.body === null) {
    res.end();
    return;
  }
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/**
 * Options of {@link serveNode}.
 *
 * @example
 * await serveNode(server, { port: 8080, host: '0.0.0.0' });
 */
export interface NodeServeOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/**
 * A running Node server.
 *
 * @example
 * const running: NodeServer = await serveNode(server);
 * process.once('SIGTERM', () => void running.close());
 */
export interface NodeServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  /** Closes every session (1001) and stops listening; resolves when all is shut. */
  close(): Promise<void>;
}

/**
 * node:http's handlers for an MPL server, from {@link nodeHandlers}.
 *
 * @example
 * const { request, upgrade, close }: NodeHandlers = nodeHandlers(server);
 */
export interface NodeHandlers {
  /** node:http's `request` listener. */
  request(req: IncomingMessage, res: ServerResponse): void;
  /** node:http's `upgrade` listener. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes the `ws` server (the sessions are closed by `server.close()`). */
  close(): Promise<void>;
}

/**
 * node:http's `request` and `upgrade` handlers for an MPL server, to plug into a server of
 * your own: requests become web-standard Requests for `server.fetch`,
 * upgrades go to a `ws` server (frames over `limits.maxFrameBytes` close with 1009).
 *
 * @example
 * const handlers = nodeHandlers(server);
 * const http = createServer(handlers.request).on('upgrade', handlers.upgrade);
 */
export function nodeHandlers(server: MplServer): NodeHandlers {
  let wss: WebSocketServer | undefined;
  const request = (req: IncomingMessage, res: ServerResponse): void => {
    Promise.resolve()
      .then(() => server.fetch(toRequest(req, res)))
      .then((response) => writeResponse(res, response))
      .catch((error: unknown) => {
        console.error('mpl-sdk/server: a request failed:', error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"E-INTERNAL","message":"The server failed on this request"}');
        else res.destroy();
      });
  };
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    server.ready().then(() => {
      wss ??= new WebSocketServer({ noServer: true, maxPayload: server.limits.maxFrameBytes });
      wss.handleUpgrade(req, socket, head, (ws) => {
        const session = server.accept({ send: batchedSend(ws, socket), close: (code, reason) => ws.close(code, reason), terminate: () => ws.terminate() }, new URL(req.url ?? '/', 'http://x').pathname);
        if (!session) return;
        ws.on('message', (data: RawData, isBinary) => {
          // A Buffer (ws's default) is the frame's own: read it in place, not copied first.
          const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
          void session.receive(isBinary ? bytes : bytes.toString('utf8'));
        });
        ws.on('close', () => session.closed());
        ws.on('error', () => session.closed());
      });
    }, () => socket.destroy());
  };
  return { request, upgrade, close: () => new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve())) };
}

/**
 * `ws.send`, with the frames sent in one turn of the event loop leaving in one write: the
 * socket is corked at the first and uncorked with `process.nextTick`, which runs once the
 * current callback and the promise jobs it started are done (the replies to the frames of
 * one read among them). Each write is a system call and a TCP segment of its own.
 */
function batchedSend(ws: WebSocket, socket: Duplex): (data: string | Uint8Array<ArrayBuffer>) => void {
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  return (data) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    ws.send(data);
  };
}

/**
 * Serves an MPL server with node:http and `ws` on one port.
 *
 * @example
 * const server = new MplServer();
 * const running = await serveNode(server, { port: 8080 });
 * console.log(`MPL server on ${running.url}`);
 */
export async function serveNode(server: MplServer, options: NodeServeOptions = {}): Promise<NodeServer> {
  await server.ready();
  const handlers = nodeHandlers(server);
  const httpServer = createServer(handlers.request);
  httpServer.on('upgrade', handlers.upgrade);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    httpServer,
    close() {
      closing ??= (async () => {
        server.close();
        await handlers.close();
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      })();
      return closing;
    },
  };
}
