import type { MplServer } from '../server.ts';
import { attachWebSocket, isUpgrade, pathOf } from './shared.ts';

interface DenoUpgrade {
  upgradeWebSocket(request: Request): { socket: WebSocket; response: Response };
}

/**
 * The handler of `Deno.serve` for an MPL server: WebSocket upgrades through
 * `Deno.upgradeWebSocket`, everything else through `server.fetch`.
 *
 * @example
 * const server = new MplServer();
 * Deno.serve({ port: 8080 }, denoHandler(server));
 */
export function denoHandler(server: MplServer): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!isUpgrade(request)) return server.fetch(request);
    await server.ready();
    const { socket, response } = (globalThis as unknown as { Deno: DenoUpgrade }).Deno.upgradeWebSocket(request);
    socket.binaryType = 'arraybuffer';
    attachWebSocket(server, socket, pathOf(request));
    return response;
  };
}
