// The reference servers on Bun, through Bun.serve({ fetch, websocket }).
// Usage: bun test/runtimes/server/bun.ts
import { bunHandler } from 'mpl-sdk/server';
import { defineReferenceServer } from '../../../demo/server/definition.ts';
import { READY_MARK, SERVER_CONFIGS } from './configs.ts';
import { defineGracefulServer, defineHostileServer } from './hostile-app.ts';

declare const Bun: { serve(options: Record<string, unknown>): { port: number; stop(force?: boolean): Promise<void> } };

const ports: Record<string, number> = {};
for (const [name, options] of Object.entries(SERVER_CONFIGS)) {
  const { server } = await defineReferenceServer(options);
  ports[name] = Bun.serve({ port: 0, hostname: '127.0.0.1', ...bunHandler(server) }).port;
}
ports['hostile'] = Bun.serve({ port: 0, hostname: '127.0.0.1', ...bunHandler(await defineHostileServer()) }).port;
// The stage's last case: SIGTERM, and the sessions shut down gracefully, then Bun's server (HTTP in flight finishes).
const gracefulServer = await defineGracefulServer();
const gracefulHttp = Bun.serve({ port: 0, hostname: '127.0.0.1', ...bunHandler(gracefulServer) });
ports['graceful'] = gracefulHttp.port;
process.once('SIGTERM', () => void gracefulServer.shutdown().then(() => gracefulHttp.stop()).then(() => process.exit(0)));
console.log(`${READY_MARK}${JSON.stringify(ports)}`);
