// The built Session in Node, Deno and Bun (each with its own WebSocket: `ws` loaded on
// demand in Node 20, the global elsewhere) against a real server in this process.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';

const script = 'test/support/runtime-session-client.mjs';
const runtimes: Record<string, [string, string[]]> = {
  node: [process.execPath, [script]],
  deno: ['node_modules/.bin/deno', ['run', '--no-prompt', '--no-lock', '--allow-net', '--allow-read', '--allow-env', script]],
  bun: ['node_modules/.bin/bun', [script]],
};

describe('Session in each runtime (built bundle)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  for (const [runtime, [cmd, args]] of Object.entries(runtimes)) {
    it(`connects, sends, receives a push and talks HTTP in ${runtime}`, async () => {
      const child = spawn(cmd, [...args, String(server.port)], { env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PACKAGE_JSON: '1' } });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const timer = setTimeout(() => child.kill(), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (d.toString().includes('ready')) void server.push('org.agent.Heartbeat.v1', { status: 'alive' });
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      assert.equal(code, 0, stderr);
      const seen = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      assert.deepEqual(seen, { wsHash: 'b3:56e303e43d35d0220f2569fea73618cbfdf14b1fee2168fc4bf3f8bacd3e4f4c', inReplyTo: 'string', pushed: { status: 'alive' }, httpStype: 'org.calendar.Event.v1' });
    });
  }
});
