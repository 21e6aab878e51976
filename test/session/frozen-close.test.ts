// close() against a server that accepts the link, answers the hello, then ignores the close
// handshake: the SDK cuts the TCP link after a short grace instead of leaving `ws`'s own 30 s
// close timer and socket alive. On every Node the package supports: Node 22+ has a global
// WebSocket (undici's) that cannot cut a link, so the SDK takes `ws` there too (with
// undici's, the socket stayed open and the process never exited).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { Session } from '../../src/index.ts';
import { CLOSE_GRACE_MS } from '../../src/session/websocket-transport.ts';
import { EMPTY_STATS, closeAfter, within } from '../support/session-helpers.ts';

/** A WebSocket server that answers the hello and then stops reading: it never sees the close frame. */
async function startFrozenServer(): Promise<{ port: number; frozen: Promise<void>; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sockets = new Set<WebSocket>();
  let froze!: () => void;
  const frozen = new Promise<void>((resolve) => { froze = resolve; });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('message', () => {
      socket.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: ['org.calendar.Event.v1'], selected_profile: null, extensions: {} }), () => {
        (socket as unknown as { _socket: Socket })._socket.pause();
        froze();
      });
    });
  });
  return {
    port: (wss.address() as { port: number }).port,
    frozen,
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Client-side TCP sockets to `port` that are still open in this process. */
function clientSocketsTo(port: number): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h) => h instanceof Socket && h.remotePort === port && !h.destroyed).length;
}

const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('close() against a frozen server', () => {
  it(`terminates the link after ${CLOSE_GRACE_MS} ms: no socket and no close timer left behind`, async (t) => {
    const server = await startFrozenServer();
    const session = new Session({ endpoint: `ws://127.0.0.1:${server.port}/ws`, stypes: ['org.calendar.Event.v1'], onError: () => {} });
    closeAfter(t, session, server);
    const timersBefore = timeouts();
    await session.connect();
    await within(server.frozen, 'the server to freeze');
    assert.equal(clientSocketsTo(server.port), 1, 'the link is open');

    // Without the SDK's cut, close() would wait for `ws`'s own 30 s close timer.
    await within(session.close(), 'close() to resolve', 10_000);

    assert.equal(clientSocketsTo(server.port), 0, 'the client socket is gone once close() resolves');
    assert.ok(timeouts() <= timersBefore, `timers: ${timeouts()} after close, ${timersBefore} before connect`);
    assert.deepEqual(session.stats, EMPTY_STATS);
  });
});

// The same test in the other Nodes the package supports (run from the machine's Node only).
describe('close() against a frozen server, on Node 22 and 24', { skip: process.env['MPL_FROZEN_CLOSE_IN'] !== undefined }, () => {
  for (const major of [22, 24]) {
    it(`passes on Node ${major}`, async () => {
      const file = fileURLToPath(import.meta.url);
      const node = fileURLToPath(new URL(`../runtimes/node/versions/node_modules/node${major}/bin/node`, import.meta.url)); // as test/runtimes/node/stage.mjs
      const run = await promisify(execFile)(node, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { env: { ...process.env, NODE_TEST_CONTEXT: undefined, MPL_FROZEN_CLOSE_IN: String(major) } })
        .catch((error: { stdout?: string; stderr?: string }) => error);
      assert.match(run.stdout ?? '', /^# pass 1$/m, `${run.stdout ?? ''}${run.stderr ?? ''}`);
      assert.match(run.stdout ?? '', /^# fail 0$/m);
    });
  }
});
