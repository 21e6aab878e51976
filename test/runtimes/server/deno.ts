// The reference servers on Deno, through Deno.serve and Deno.upgradeWebSocket.
// Usage: deno run --allow-net --config <project>/deno.json test/runtimes/server/deno.ts
import { denoHandler } from 'mpl-sdk/server';
import { defineReferenceServer } from '../../../demo/server/definition.ts';
import { READY_MARK, SERVER_CONFIGS } from './configs.ts';
import { defineGracefulServer, defineHostileServer } from './hostile-app.ts';

declare const Deno: {
  serve(options: { port: number; hostname: string; onListen(addr: { port: number }): void }, handler: (request: Request) => Promise<Response>): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGTERM', listener: () => void): void;
  exit(code: number): never;
};

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
// The stage's last case: SIGTERM, and the sessions shut down gracefully, then Deno's server (HTTP in flight finishes).
const gracefulServer = await defineGracefulServer();
let gracefulHttp: { shutdown(): Promise<void> } | undefined;
ports['graceful'] = await new Promise<number>((resolve) => {
  gracefulHttp = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: (addr) => resolve(addr.port) }, denoHandler(gracefulServer));
});
Deno.addSignalListener('SIGTERM', () => void gracefulServer.shutdown().then(() => gracefulHttp!.shutdown()).then(() => Deno.exit(0)));
console.log(`${READY_MARK}${JSON.stringify(ports)}`);
