import type { MplServer } from '../server.ts';

/**
 * True for a WebSocket upgrade request: a GET with `Upgrade: websocket` and `Connection:
 * upgrade`, as node:http takes one. Any other request that carries an `Upgrade` header (a
 * proxy's leftover, a POST) is served as the request it is.
 */
export function isUpgrade(request: Request): boolean {
  return isHandshakeOf(request.method, request.headers.get('upgrade'), request.headers.get('connection'));
}

/** {@link isUpgrade} of a request's method and its `Upgrade` and `Connection` headers, however the runtime hands them over. */
export function isHandshakeOf(method: string | undefined, upgrade: string | null | undefined, connection: string | null | undefined): boolean {
  return method === 'GET' && hasToken(upgrade, 'websocket') && hasToken(connection, 'upgrade');
}

/** Whether a comma-separated header value holds `token` (any case). */
const hasToken = (value: string | null | undefined, token: string): boolean =>
  (value ?? '').split(',').some((item) => item.trim().toLowerCase() === token);

/**
 * True for a request with `Upgrade: websocket`, the check Cloudflare's own Workers examples
 * make: the platform in front of a Worker owns the connection (its `Connection` header is not
 * the client's to rely on) and answers a handshake it cannot take itself.
 */
export function asksForWebSocket(request: Request): boolean {
  return request.headers.get('upgrade')?.toLowerCase() === 'websocket';
}

/**
 * What is wrong with an upgrade request's WebSocket handshake (RFC 6455 §4.2.1), answered 400
 * before the runtime's own upgrade throws on it; undefined for a good one.
 */
export function badHandshake(request: Request): Response | undefined {
  const key = request.headers.get('sec-websocket-key');
  const version = request.headers.get('sec-websocket-version');
  const problem = !key ? 'no Sec-WebSocket-Key' : version !== '13' ? `Sec-WebSocket-Version ${JSON.stringify(version)}, not 13` : undefined;
  return problem === undefined ? undefined : new Response(`Bad WebSocket handshake: ${problem}`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', 'sec-websocket-version': '13' } });
}

/** Whether the server started (`ready()`); false when it could not, and `server.fetch` then answers 503. */
export const started = (server: MplServer): Promise<boolean> => server.ready().then(() => true, () => false);

/** The path a socket was opened on. */
export const pathOf = (request: Request): string => new URL(request.url).pathname;

/**
 * Runs a session on a web-standard WebSocket (Deno's, workerd's): frames in, close out.
 * Starts at once if the socket is open, else on its `open` event.
 */
export function attachWebSocket(server: MplServer, ws: WebSocket, path: string): void {
  const start = () => {
    const session = server.accept({ send: (data) => ws.send(data), close: (code, reason) => ws.close(code, reason), buffered: () => ws.bufferedAmount }, path);
    if (!session) return;
    ws.addEventListener('message', (event) => void session.receive(event.data as string | ArrayBuffer));
    ws.addEventListener('close', () => {
      session.closed();
      // workerd leaves the closing handshake to the Worker: answer the peer's close frame.
      try {
        ws.close(1000);
      } catch {
        // Already closed (Deno, browsers): nothing to answer.
      }
    });
    ws.addEventListener('error', () => session.closed());
  };
  if (ws.readyState === 1) start();
  else ws.addEventListener('open', start, { once: true });
}

/** workerd's `new WebSocketPair()`: `[client, server]`, the server end still to be accepted. */
export function webSocketPair(): [client: WebSocket, server: WebSocket & { accept(): void }] {
  const Pair = (globalThis as unknown as { WebSocketPair: new () => { 0: WebSocket; 1: WebSocket & { accept(): void } } }).WebSocketPair;
  const pair = new Pair();
  return [pair[0], pair[1]];
}

/** The 101 answer that hands workerd the client end of a pair. */
export const switchingProtocols = (client: WebSocket): Response => new Response(null, { status: 101, webSocket: client } as ResponseInit);
