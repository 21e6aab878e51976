// The reference servers on Deno, through Deno.serve and Deno.upgradeWebSocket.
// Usage: deno run --allow-net --config <project>/deno.json test/runtimes/server/deno.ts
import { denoHandler } from 'mpl-sdk/server';
import { defineReferenceServer } from '../../../demo/server/definition.ts';
import { READY_MARK, SERVER_CONFIGS } from './configs.ts';
import { defineHostileServer } from './hostile-app.ts';

declare const Deno: { serve(options: { port: number; hostname: string; onListen(addr: { port: number }): void }, handler: (request: Request) => Promise<Response>): unknown };

const ports: Record<string, number> = {};
for (const [name, options] of Object.entries(SERVER_CONFIGS)) {
  const { server } = await defineReferenceServer(options);
  ports[name] = await new Promise<number>((resolve) => {
    Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: (addr) => resolve(addr.port) }, denoHandler(server));
  });
}
const hostile = await defineHostileServer();
ports['hostile'] = await new Promise<number>((resolve) => {
  Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: (addr) => resolve(addr.port) }, denoHandler(hostile));
});
console.log(`${READY_MARK}${JSON.stringify(ports)}`);
