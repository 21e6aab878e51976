// The Session under `deno test`'s sanitizers, as a Deno user's tests run it: each test
// opens a session to a server in another process (this one), sends, closes; with
// `--sanitize-ops --sanitize-resources` Deno fails a test that leaves a WebSocket closing
// or a timer behind. `await session.close()` must leave nothing, every time (a server in
// the same Deno process hides the race: both ends share one event loop).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer } from '../support/mpl-test-server.ts';
import { denoBin, denoEnv, makeDenoProject } from '../runtimes/deno/stage.mjs';

const ROUNDS = 20;

const testFile = `
import { Session } from 'npm:mpl-sdk';
const wsUrl = Deno.env.get('MPL_WS');
const httpUrl = Deno.env.get('MPL_HTTP');
for (let i = 0; i < ${ROUNDS}; i++) {
  Deno.test('WebSocket session ' + i + ': connect, send, close', async () => {
    const session = new Session({ endpoint: wsUrl, stypes: ['org.agent.Heartbeat.v1'] });
    await session.connect();
    await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
    await session.close();
  });
}
Deno.test('HTTP session: connect, send, close', async () => {
  const session = new Session({ endpoint: httpUrl, stypes: ['org.agent.Heartbeat.v1'] });
  await session.connect();
  await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
  await session.close();
});
Deno.test('HTTP session: connect, send, and no close() (a stateless exchange leaves nothing)', async () => {
  const session = new Session({ endpoint: httpUrl, stypes: ['org.agent.Heartbeat.v1'] });
  await session.connect();
  await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
});
Deno.test('a connect() refused, and no close()', async () => {
  const session = new Session({ endpoint: 'ws://127.0.0.1:9/ws', stypes: ['org.agent.Heartbeat.v1'], reconnect: false });
  await session.connect().then(() => { throw new Error('connected'); }, () => {});
});
Deno.test('a connect() refused, then close()', async () => {
  const session = new Session({ endpoint: 'ws://127.0.0.1:9/ws', stypes: ['org.agent.Heartbeat.v1'], reconnect: false });
  await session.connect().then(() => { throw new Error('connected'); }, () => {});
  await session.close();
});
`;

describe('deno test --sanitize-ops --sanitize-resources', { skip: existsSync(denoBin) ? false : `no Deno at ${denoBin}` }, () => {
  let server;
  let project;

  before(async () => {
    server = await startTestServer();
    project = await makeDenoProject();
    await writeFile(join(project, 'session_test.ts'), testFile);
  });

  after(async () => {
    await server?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it(`${ROUNDS} WebSocket sessions, HTTP ones and refused ones: nothing left after close(), nor after an HTTP exchange or a refused connect() without it`, async () => {
    const args = ['test', '--sanitize-ops', '--sanitize-resources', '--trace-leaks', '--allow-net', '--allow-env', '--no-check', '--no-lock', '--config', join(project, 'deno.json'), join(project, 'session_test.ts')];
    const result = await promisify(execFile)(denoBin, args, {
      cwd: project, env: { ...process.env, ...denoEnv, NO_COLOR: '1', MPL_WS: server.wsUrl, MPL_HTTP: server.httpUrl }, timeout: 120_000,
    }).then(({ stdout }) => ({ ok: true, output: stdout }), (error) => ({ ok: false, output: `${error.stdout ?? ''}\n${error.stderr ?? error.message}` }));
    assert.ok(result.ok, result.output);
    assert.match(result.output, new RegExp(`ok \\\\| ${ROUNDS + 4} passed \\\\| 0 failed`), result.output);
  });
});
