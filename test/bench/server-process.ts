// The MPL test server (test/support/bench-server.ts) in a process of its own, so neither
// its CPU time nor its heap counts as the client's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  /** `ws://127.0.0.1:<port>/ws` */
  readonly wsUrl: string;
  stop(): Promise<void>;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/bench-server.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  return {
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    async stop() {
      child.stdin!.end();
      await once(child, 'exit');
    },
  };
}
