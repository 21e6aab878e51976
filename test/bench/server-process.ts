// A bench's server in a process of its own, so neither its CPU time nor its heap counts as
// the client's: the program (under test/support) prints one JSON line when it listens
// (its port, or its ports by name) and runs until its stdin closes.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface BenchProcess<T> {
  /** What the program printed first, parsed. */
  readonly ready: T;
  /** Closes its stdin; resolves when it exited. */
  stop(): Promise<void>;
}

/** Starts `test/support/<program>` under tsx (with `nodeArgs` before it); resolves once it printed its line. */
export async function startBenchProcess<T>(program: string, nodeArgs: readonly string[] = []): Promise<BenchProcess<T>> {
  const script = fileURLToPath(new URL(`../support/${program}`, import.meta.url));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  while (!out.includes('\n')) {
    const [chunk] = (await Promise.race([once(child.stdout!, 'data'), once(child, 'exit').then(() => { throw new Error(`${program} exited before it listened`); })])) as [Buffer];
    out += chunk.toString();
  }
  return {
    ready: JSON.parse(out.slice(0, out.indexOf('\n'))) as T,
    async stop() {
      child.stdin!.end();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit'); // not exited, by itself or by a signal
    },
  };
}

export interface ServerProcess {
  /** `ws://127.0.0.1:<port>/ws` */
  readonly wsUrl: string;
  stop(): Promise<void>;
}

/** The MPL test server (test/support/bench-server.ts). */
export async function startServerProcess(): Promise<ServerProcess> {
  const { ready: port, stop } = await startBenchProcess<number>('bench-server.ts');
  return { wsUrl: `ws://127.0.0.1:${port}/ws`, stop };
}
