import { serveNode } from 'mpl-sdk/server/node';
import { defineReferenceServer } from './definition.ts';
import type { ReferenceServer, ReferenceServerOptions } from './options.ts';
import { staticRoutes } from './static-files.ts';

/**
 * Starts the reference MPL server on Node: the portable definition (definition.ts) served
 * by mpl-sdk/server's Node adapter, plus the demo page with `dist/` and `registry/`.
 *
 * @example
 * const server = await startReferenceServer({ mode: 'production', pushOnConnect: true });
 * const session = new Session({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'] });
 * await session.connect();
 * console.log(server.recorded.at(-1));
 * await server.close();
 */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const log = options.quiet === false ? (line: string) => console.log(`[server] ${line}`) : undefined;
  const definition = await defineReferenceServer(options, (request) => {
    log?.(`${request.method} ${new URL(request.url).pathname}`);
    return staticRoutes(request);
  });
  const running = await serveNode(definition.server, { port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const mode = options.mode ?? 'development';
  let closing: Promise<void> | undefined;
  return {
    url: running.url,
    wsUrl: `${running.url.replace('http', 'ws')}/ws`,
    port: running.port,
    mode,
    stypes: definition.server.stypes,
    recorded: definition.recorded,
    pushed: definition.pushed,
    get clientCount() {
      return definition.clientCount;
    },
    push: definition.push,
    dropConnections: () => void definition.dropAll(),
    close() {
      closing ??= (async () => {
        definition.stop();
        await running.close();
      })();
      return closing;
    },
  };
}
