import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { DRAIN_FACTOR, utf8, webIn, type HttpIn } from '../http-in.ts';
import { graceOf, MAX_TIMER_MS, settledWithin } from '../grace.ts';
import type { MplServer } from '../server.ts';
import { CloseCode, tooLargeReason } from '../socket.ts';
import { isHandshakeOf } from './shared.ts';
import { isPlain, type HttpAnswer } from '../wire.ts';

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
  return webRequest(req, res ? departure(res).signal() : undefined, { streamed: false });
}

/** How a request's body has been read: into `text` by the server, or through the Request's stream. */
interface BodyState {
  text?: string;
  streamed: boolean;
}

/** The web Request of `req`: its body the text already read, else a stream over what is still to come. */
function webRequest(req: IncomingMessage, signal: AbortSignal | undefined, body: BodyState): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    if (body.text !== undefined) init.body = body.text;
    else {
      init.body = bodyStream(req, body);
      init.duplex = 'half';
    }
  }
  if (signal) init.signal = signal;
  return new Request(urlOf(req), init);
}

/**
 * A web stream of `req`'s body that takes nothing from it until it is read (so the server
 * can still read the body from `req` itself when no one did), one chunk per read. Once the
 * server has read the body, the stream gives that text. Cancelling it destroys `req`.
 */
function bodyStream(req: IncomingMessage, body: BodyState): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (body.text !== undefined) {
        controller.enqueue(utf8Encoder.encode(body.text));
        controller.close();
        return;
      }
      if (!body.streamed) {
        body.streamed = true;
        if (req.readableEnded) { // read to its end before (middleware of the application's own): nothing left
          done = true;
          controller.close();
          return;
        }
        const end = (error?: unknown): void => {
          if (done) return;
          done = true;
          if (error === undefined) controller.close();
          else controller.error(error);
        };
        req.on('data', (chunk: Buffer) => {
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => end());
        req.once('error', (error) => end(error));
        req.once('close', () => end(req.complete ? undefined : new Error('the client went away before the whole body')));
      }
      req.resume();
    },
    cancel(reason) {
      done = true;
      req.destroy(reason instanceof Error ? reason : undefined);
    },
  }, { highWaterMark: 0 });
}

const utf8Encoder = new TextEncoder();

/** A Host header that names a host (and port) and nothing else: no path, query or fragment to steer the URL. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/** An absolute-form request target (`GET http://host/path`, RFC 9112 §3.2.2). */
const ABSOLUTE_TARGET = /^https?:\/\//i;

/**
 * The request's URL: an absolute-form target as it is; else the path on the Host header's
 * host, when that is only a host (`localhost` otherwise, so that no Host can change the path).
 */
function urlOf(req: Pick<IncomingMessage, 'url' | 'headers'>): URL {
  const target = req.url ?? '/';
  if (ABSOLUTE_TARGET.test(target)) {
    try {
      return new URL(target);
    } catch {
      // Not a URL after all: read as a path below.
    }
  }
  const host = req.headers.host;
  try {
    return new URL(`http://${host !== undefined && HOST.test(host) ? host : 'localhost'}${target.startsWith('/') ? target : '/'}`);
  } catch {
    return new URL('http://localhost/');
  }
}

/** A path `new URL` leaves as it is: no dot segment, query, escape or character it would escape. */
const PLAIN_PATH = /^\/[\w\-~!$&'()*+,;=:@/]*$/;

/** @internal `urlOf(req).pathname`, without a URL for most requests. */
export function pathnameOf(req: Pick<IncomingMessage, 'url' | 'headers'>): string {
  const target = req.url ?? '/';
  return PLAIN_PATH.test(target) ? target : urlOf(req).pathname;
}

/** When the client goes away before the answer is written: by the response's `close`, with no AbortSignal unless one is asked for (one costs more, in Node, than a small envelope's checks). */
interface Departure {
  /** Why the client went away, once it has. */
  readonly reason: Error | undefined;
  /** Calls `onGone` with the reason when the client goes (at once if it has); returns the function that forgets it. */
  whenGone(onGone: (reason: unknown) => void): () => void;
  /** A new signal that aborts then. */
  signal(): AbortSignal;
}

/** Per socket, the departures of its requests still unanswered, behind one `close` listener of the socket's. */
const socketWatchers = new WeakMap<object, Set<() => void>>();

/**
 * Watches `res` for its client going away before the answer: by the response's `close`, or
 * by its socket's (a pipelined request waiting behind another gets no `close` of its own
 * when the connection goes).
 */
function departure(res: ServerResponse): Departure {
  let reason: Error | undefined;
  let listeners: ((reason: unknown) => void)[] | undefined;
  // Only a response queued behind another (its socket not yet assigned) needs its socket watched:
  // watching every request's socket cost 7–13% more server CPU per request (A/B, keep-alive load).
  const socket = res.socket === null ? res.req?.socket : undefined;
  const gone = (): void => {
    if (reason !== undefined) return;
    if (res.writableFinished) {
      stopWatching();
      return;
    }
    reason = new Error('the client went away before the answer');
    stopWatching();
    const waiting = listeners;
    listeners = undefined;
    if (waiting) for (const listener of waiting) listener(reason);
  };
  const stopWatching = (): void => {
    if (socket) socketWatchers.get(socket)?.delete(gone);
  };
  res.once('close', gone);
  if (socket && !socket.destroyed) {
    let watchers = socketWatchers.get(socket);
    if (watchers === undefined) {
      const all = new Set<() => void>();
      watchers = all;
      socketWatchers.set(socket, all);
      socket.once('close', () => {
        socketWatchers.delete(socket);
        for (const watcher of [...all]) watcher();
      });
    }
    watchers.add(gone);
  }
  const whenGone = (onGone: (reason: unknown) => void): (() => void) => {
    if (reason) {
      onGone(reason);
      return () => {};
    }
    (listeners ??= []).push(onGone);
    return () => {
      const at = listeners?.indexOf(onGone) ?? -1;
      if (at >= 0) listeners!.splice(at, 1);
    };
  };
  return {
    get reason() {
      return reason;
    },
    whenGone,
    signal() {
      const controller = new AbortController();
      whenGone((why) => controller.abort(why));
      return controller.signal;
    },
  };
}

/**
 * A node:http request as the server reads it, without a web Request: its body read from the
 * stream as it comes. The Request is built only when asked for (`routes`, the upstream, a
 * handler's `ctx.request`); once its body has been read through it, the server reads it so too.
 */
function nodeIn(req: IncomingMessage, res: ServerResponse): HttpIn {
  let request: Request | undefined;
  const body: BodyState = { streamed: false };
  const client = departure(res);
  return {
    method: req.method ?? 'GET',
    pathname: pathnameOf(req),
    header(name) {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    get gone() {
      return client.reason !== undefined;
    },
    whenGone: client.whenGone,
    async text(limit, timeoutMs) {
      if (request && body.streamed) return webIn(request).text(limit, timeoutMs);
      const text = await readNodeBody(req, res, limit, timeoutMs);
      if (typeof text === 'string') body.text = text;
      return text;
    },
    request: () => (request ??= webRequest(req, client.signal(), body)),
  };
}

/**
 * `HttpIn.text` of a node:http request, read from the stream. A body that is cut off (past
 * `DRAIN_FACTOR` times the limit, or late) leaves the rest unread, and the connection
 * closes after the answer: what is left of the body cannot be told from a next request.
 */
function readNodeBody(req: IncomingMessage, res: ServerResponse, limit: number, timeoutMs: number): Promise<string | 408 | 413> {
  if (Number(req.headers['content-length'] ?? 0) > limit * DRAIN_FACTOR) {
    // Not read at all: the connection closes after the answer (node:http would read and drop it all first).
    res.shouldKeepAlive = false;
    return Promise.resolve(413);
  }
  // Read before it came here (middleware of the application's own): nothing is left, and no `end` will come.
  if (req.readableEnded) return Promise.resolve('');
  if (req.destroyed) return Promise.resolve(408);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: string | 408 | 413, complete: boolean): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      if (!complete) {
        res.shouldKeepAlive = false;
        req.pause();
      }
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size > limit * DRAIN_FACTOR) finish(413, false);
      else if (size <= limit) chunks.push(chunk);
    };
    const onEnd = (): void => finish(size > limit ? 413 : utf8(chunks, size), true);
    // Gone (or broken) before the end: the answer goes to no one (its signal has aborted).
    const onClose = (): void => finish(408, false);
    // A body that has all come (most: it came with the headers) waits for nothing: no timer.
    const timer = req.complete ? undefined : setTimeout(() => finish(408, false), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onClose);
    // A `data` listener does not restart a stream paused on purpose (by middleware, say).
    req.resume();
  });
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
  // A client that goes away cancels the body: what streams it (an upstream's answer, a file) is let go.
  const reader = response.body.getReader();
  const gone = (): void => {
    if (!res.writableFinished) reader.cancel(new Error('the client went away before the whole answer')).catch(() => {});
  };
  res.once('close', gone);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = (): void => {
            res.off('drain', go).off('close', go);
            resolve();
          };
          res.on('drain', go).on('close', go);
        });
      }
    }
    if (!res.destroyed) res.end();
  } finally {
    res.off('close', gone);
    reader.releaseLock();
  }
}

/** Writes the server's answer: its own directly, a Response (from `routes`, the upstream) as `writeResponse` does. */
async function writeAnswer(res: ServerResponse, answer: HttpAnswer): Promise<void> {
  if (!isPlain(answer)) return writeResponse(res, answer);
  if (answer.body === null) {
    res.writeHead(answer.status, answer.headers).end();
    return;
  }
  // Sized: a header block with no length makes node:http send the body chunked.
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  res.end(answer.body);
}

/**
 * Options of {@link serveNode}.
 *
 * @example
 * await serveNode(server, { port: 8080, host: '0.0.0.0' });
 */
export interface NodeServeOptions {
  /** Default 0: a free port. */
  port?: number | undefined;
  /** Default `127.0.0.1`. */
  host?: string | undefined;
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
  /**
   * Shuts down gracefully: stops listening and takes no new WebSocket session, lets the
   * answers being worked out go out (HTTP requests and every session's frames, for up to
   * `graceMs`: default `limits.handlerTimeoutMs`, by when every handler has its answer, if
   * only `E-TIMEOUT`; at most 30 s), then closes every session (1001) and connection;
   * resolves when all is shut (peers that have not answered the closing handshake within
   * 2 s are cut off). `graceMs: 0` closes at once.
   */
  close(options?: { graceMs?: number | undefined }): Promise<void>;
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
  /**
   * Refuses new WebSocket upgrades (503) and closes keep-alive connections once answered,
   * then resolves when every HTTP request and every session's frames are answered, or after
   * `graceMs` (default `limits.handlerTimeoutMs`, at most 30 s).
   */
  drain(graceMs?: number): Promise<void>;
  /** Closes the `ws` server (the sessions are closed by `server.close()`); peers that have not answered the closing handshake within 2 s are cut off. */
  close(): Promise<void>;
}

/**
 * node:http's `request` and `upgrade` handlers for an MPL server, to plug into a server of
 * your own. Requests get `server.fetch`'s answers, read and written with node:http's own
 * objects: a web Request is built only for `routes`, the upstream or a handler that reads
 * `ctx.request`, and a Response only written when one of those gave it. Upgrades go to a
 * `ws` server (frames over `limits.maxFrameBytes` close with 1009).
 *
 * @example
 * const handlers = nodeHandlers(server);
 * const http = createServer(handlers.request).on('upgrade', handlers.upgrade);
 */
export function nodeHandlers(server: MplServer): NodeHandlers {
  let wss: WebSocketServer | undefined;
  /** HTTP requests not yet answered, and who waits for there to be none (`drain`). */
  let answering = 0;
  const drained: Array<() => void> = [];
  let closing = false;
  const request = (req: IncomingMessage, res: ServerResponse): void => {
    answering += 1;
    let counted = true;
    const done = (): void => {
      if (!counted) return;
      counted = false;
      if (--answering === 0) for (const resolve of drained.splice(0)) resolve();
    };
    res.once('finish', done).once('close', done);
    // While shutting down, a keep-alive connection is closed once its answer is out.
    if (closing) res.setHeader('connection', 'close');
    Promise.resolve()
      .then(() => server.answer(nodeIn(req, res)))
      .then((answer) => writeAnswer(res, answer))
      .catch((error: unknown) => {
        server.reportError(error, { transport: 'http' });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"E-INTERNAL","message":"The server failed on this request"}');
        else res.destroy();
      });
  };
  /** Whether each peer was heard from (any bytes: a frame, a pong) since the last ping: see `limits.pingIntervalMs`. */
  const heard = new Map<WebSocket, boolean>();
  let pinging: ReturnType<typeof setInterval> | undefined;
  const ping = (): void => {
    for (const [ws, since] of heard) {
      if (!since) {
        ws.terminate(); // its 'close' ends the session
        continue;
      }
      heard.set(ws, false);
      try {
        ws.ping();
      } catch {
        // Closing already: its 'close' comes.
      }
    }
  };
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!isWebSocketHandshake(req) && replayAsRequest(req, socket as HttpSocket, head)) return;
    socket.on('error', () => socket.destroy());
    if (closing) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    server.ready().then(() => {
      if (!wss) {
        wss = new WebSocketServer({ noServer: true, maxPayload: server.limits.maxFrameBytes, WebSocket: peerSocketClass(server.limits.maxFrameBytes) });
        const every = server.limits.pingIntervalMs;
        if (Number.isFinite(every)) {
          pinging = setInterval(ping, Math.min(every, MAX_TIMER_MS));
          (pinging as { unref?: () => void }).unref?.(); // where timers have it: a test environment's (jsdom's) gives a number
        }
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Listened to from the start: a socket refused below (1013) may still get a frame ws refuses (too large, not
        // UTF-8), and an 'error' nobody hears would end the process.
        let session: ReturnType<typeof server.accept>;
        ws.on('error', (error: Error) => {
          server.reportError(new Error(`A WebSocket peer broke the protocol, and its link was closed: ${error.message}`, { cause: error }), { transport: 'ws' });
          session?.closed();
        });
        session = server.accept({
          send: batchedSend(ws, socket), close: (code, reason) => ws.close(code, reason), terminate: () => ws.terminate(), buffered: () => ws.bufferedAmount,
          isOpen: () => ws.readyState === ws.OPEN,
        }, new URL(req.url ?? '/', 'http://x').pathname);
        if (!session) return;
        heard.set(ws, true);
        // Any bytes count, not only whole frames: a peer slow to send one large frame cannot answer a ping in the middle of it.
        socket.on('data', () => { if (heard.has(ws)) heard.set(ws, true); });
        ws.on('message', (data: RawData, isBinary) => {
          // A Buffer (ws's default) is the frame's own: read it in place, not copied first.
          const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
          void session.receive(isBinary ? bytes : bytes.toString('utf8'));
        });
        ws.on('close', () => {
          heard.delete(ws);
          session.closed();
        });
      });
    }, () => socket.destroy());
  };
  const close = (): Promise<void> => new Promise<void>((resolve) => {
    clearInterval(pinging);
    if (!wss) return resolve();
    // A peer that has not finished the closing handshake in time (frozen, half-open) is cut off:
    // ws would wait 30 s for it, longer than a process manager's grace period.
    const cutOff = setTimeout(() => { for (const client of wss!.clients) client.terminate(); }, CLOSE_GRACE_MS);
    wss.close(() => {
      clearTimeout(cutOff);
      resolve();
    });
  });
  const drain = async (graceMs?: number): Promise<void> => {
    closing = true;
    const limit = graceOf(server.limits, graceMs);
    const httpDone = answering === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));
    await Promise.all([settledWithin(httpDone, limit), server.drain(limit)]);
  };
  return { request, upgrade, drain, close };
}

/** A request that asks for a WebSocket, as the other adapters tell one (anything else `ws` refuses, 400 or 405). */
const isWebSocketHandshake = (req: IncomingMessage): boolean => isHandshakeOf(req.method, req.headers.upgrade, req.headers.connection);

/** What an upgrade that is not to a WebSocket asks for, besides its plain request: dropped when it is replayed. */
const UPGRADE_HEADERS = new Set(['upgrade', 'http2-settings']);

/**
 * Header lines past which a replayed head is refused (431): node:http keeps at most
 * `maxHeadersCount` of them in `rawHeaders` (about 1,000 by default) while it frames the
 * request by all of them, so a head rebuilt from a list it cut short could lose its
 * Content-Length, and its body be read as a request of its own (smuggling).
 */
const REPLAY_MAX_HEADERS = 500;

/** What node:http leaves on a socket that this replay reads: the response still going out on it. */
interface HttpSocket extends Duplex {
  server?: Partial<Server>;
  encrypted?: boolean;
  _httpMessage?: ServerResponse | null;
  setTimeout?(ms: number): unknown;
}

/**
 * node:http hands every request with `Connection: Upgrade` to 'upgrade' listeners, whatever
 * it asks for (Node 22.21 and 24.9 let `serveNode` say which, `shouldUpgradeCallback`; older
 * ones and servers of your own do not): `curl --http2` and Java's HttpClient ask every
 * `http://` request to become HTTP/2 (`Upgrade: h2c`), and a POST may carry a stray
 * `Upgrade: websocket`. A server may ignore an upgrade it does not take (RFC 9110 §7.8), as
 * the reference proxy and Deno, Bun and workerd do, and answer the plain request: its head
 * is written back without the upgrade, before the bytes node:http read past it, and the
 * socket handed to node:http's own connection listener again (not to the server's other
 * listeners, which saw the connection once already), once any answer still going out on it
 * is out. False when there is no such listener (then `ws` answers, 400 or 405).
 */
function replayAsRequest(req: IncomingMessage, socket: HttpSocket, head: Buffer): boolean {
  const { server } = socket;
  // node:https reads requests from its 'secureConnection' sockets, node:http from its 'connection' ones.
  const event = socket.encrypted === true ? 'secureConnection' : 'connection';
  const own = server?.listeners?.(event).find((listener) => listener.name === 'connectionListener');
  if (!own) return false;
  // node:http took its 'error' listener off the socket for the upgrade: until it has the socket
  // again, a reset (the client gone while it waits, or refused) is this code's to hear, not the process's.
  const guard = (): void => { socket.destroy(); };
  socket.on('error', guard);
  const counted = server!.maxHeadersCount;
  if (req.rawHeaders.length / 2 >= Math.min(REPLAY_MAX_HEADERS, typeof counted === 'number' && counted > 0 ? counted / 2 : REPLAY_MAX_HEADERS)) {
    socket.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return true;
  }
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    let value = req.rawHeaders[i + 1]!;
    const lower = name.toLowerCase();
    if (UPGRADE_HEADERS.has(lower)) continue;
    if (lower === 'connection') {
      value = value.split(',').map((token) => token.trim()).filter((token) => token !== '' && !UPGRADE_HEADERS.has(token.toLowerCase())).join(', ');
      if (value === '') continue;
    }
    lines.push(`${name}: ${value}`);
  }
  let replayed = false;
  const replay = (): void => {
    if (replayed || socket.destroyed) return;
    replayed = true;
    socket.off('error', guard);
    socket.setTimeout?.(0); // the keep-alive wait an earlier answer's end set: this request is no idle connection
    socket.unshift(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), head]));
    own.call(server, socket);
  };
  // A request pipelined behind one still being answered: node:http gives the socket on to no one
  // after that answer (its queue of answers was this connection's old state), so the replay waits for
  // it. Until node:http has ended it (its 'finish', when it takes the answer off the socket), even an
  // answer written in full (`res.end()` at once) would then set its keep-alive wait on the replay.
  const pending = socket._httpMessage;
  if (pending) {
    const after = (): void => { setImmediate(replay); };
    pending.once('finish', after).once('close', after);
  } else {
    replay();
  }
  return true;
}

/**
 * `ws`'s WebSocket, closing for a frame past `maxPayload` with the reason the server gives
 * everywhere else (`ws` closes with 1009 and no reason, which tells the peer nothing).
 */
function peerSocketClass(maxFrameBytes: number): typeof WebSocket {
  return class PeerSocket extends WebSocket {
    override close(code?: number, reason?: string | Buffer): void {
      super.close(code, code === CloseCode.MessageTooBig && reason === undefined ? tooLargeReason(maxFrameBytes) : reason);
    }
  };
}

/** How long `close()` waits for peers to answer the closing handshake before cutting them off. */
const CLOSE_GRACE_MS = 2000;

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
  // Node 22.21+ and 24.9+ serve an upgrade that is no WebSocket handshake as the plain request it is
  // themselves; older ones ignore the option, and the adapter replays such a request (`replayAsRequest`).
  const httpServer = createServer({ shouldUpgradeCallback: isWebSocketHandshake } as ServerOptions, handlers.request);
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
    close(closeOptions) {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve())); // no new connection from now on
        httpServer.closeIdleConnections();
        if (closeOptions?.graceMs !== 0) await handlers.drain(closeOptions?.graceMs);
        server.close();
        await handlers.close();
        httpServer.closeAllConnections();
        await stopped;
      })();
      return closing;
    },
  };
}
