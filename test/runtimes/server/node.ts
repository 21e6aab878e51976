// The reference servers on Node, through mpl-sdk/server/node (node:http + ws).
// Usage: node --import tsx test/runtimes/server/node.ts
import { serveNode } from 'mpl-sdk/server/node';
import { defineReferenceServer } from '../../../demo/server/definition.ts';
import { READY_MARK, SERVER_CONFIGS } from './configs.ts';
import { defineGracefulServer, defineHostileServer } from './hostile-app.ts';

const ports: Record<string, number> = {};
for (const [name, options] of Object.entries(SERVER_CONFIGS)) {
  const { server } = await defineReferenceServer(options);
  ports[name] = (await serveNode(server, { port: 0, host: '127.0.0.1' })).port;
}
ports['hostile'] = (await serveNode(await defineHostileServer(), { port: 0, host: '127.0.0.1' })).port;
// The stage's last case: SIGTERM, and this server shuts down gracefully (the answers in flight go out first).
const graceful = await serveNode(await defineGracefulServer(), { port: 0, host: '127.0.0.1' });
ports['graceful'] = graceful.port;
process.once('SIGTERM', () => void graceful.close().then(() => process.exit(0)));
console.log(`${READY_MARK}${JSON.stringify(ports)}`);
