import type { MplServer } from '../server.ts';
import { attachWebSocket, badHandshake, isUpgrade, started, pathOf } from './shared.ts';

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
    const bad = badHandshake(request);
    if (bad) return bad;
    if (!await started(server)) return server.fetch(request); // its 503: the server could not start
    let upgraded: { socket: WebSocket; response: Response };
    try {
      upgraded = (globalThis as unknown as { Deno: DenoUpgrade }).Deno.upgradeWebSocket(request);
    } catch (error) { // a handshake Deno refuses for a reason of its own: the client's fault, said
      return new Response(`Bad WebSocket handshake: ${(error as Error)?.message ?? String(error)}`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    const { socket, response } = upgraded;
    socket.binaryType = 'arraybuffer';
    attachWebSocket(server, socket, pathOf(request));
    return response;
  };
}
