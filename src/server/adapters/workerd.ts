import type { MplServer } from '../server.ts';
import { attachWebSocket, isUpgrade, pathOf } from './shared.ts';

/** workerd's WebSocket pair: `[client, server]`, the server end to `accept()`. */
interface WorkerdPair {
  0: WebSocket;
  1: WebSocket & { accept(): void };
}

/**
 * A Worker's `fetch` for an MPL server: WebSocket upgrades through a `WebSocketPair`,
 * everything else through `server.fetch`. A socket lives as long as
 * the Worker invocation that accepted it.
 *
 * @example
 * const server = new MplServer();
 * export default { fetch: workerdHandler(server) };
 */
export function workerdHandler(server: MplServer): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!isUpgrade(request)) return server.fetch(request);
    await server.ready();
    const Pair = (globalThis as unknown as { WebSocketPair: new () => WorkerdPair }).WebSocketPair;
    const pair = new Pair();
    const [client, socket] = [pair[0], pair[1]];
    socket.accept();
    attachWebSocket(server, socket, pathOf(request));
    return new Response(null, { status: 101, webSocket: client } as ResponseInit);
  };
}
