import type { MplServer } from '../server.ts';
import { asksForWebSocket, attachWebSocket, started, pathOf, switchingProtocols, webSocketPair } from './shared.ts';

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
    if (!asksForWebSocket(request)) return server.fetch(request);
    if (!await started(server)) return server.fetch(request); // its 503: the server could not start
    const [client, socket] = webSocketPair();
    socket.accept();
    attachWebSocket(server, socket, pathOf(request));
    return switchingProtocols(client);
  };
}
