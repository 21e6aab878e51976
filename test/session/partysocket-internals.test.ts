// The WebSocket transport (src/session/websocket-transport.ts) relies on two private members
// (and on partysocket's own CloseEvent class marking the close it makes up for a socket that errs)
// of partysocket: it takes the place of `_handleMessage` (the handler partysocket adds to
// every socket it opens) to read frames once, and it corks the TCP socket `_ws._socket` of a
// `ws` link to send the frames of one tick in one write. Both have fallbacks that work
// silently (the public message event, no batching), so an upgrade that renames them would
// only make sessions slower: these tests make it fail here instead, against a real `ws` server.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import ReconnectingWebSocket, { CloseEvent as PartysocketClose } from 'partysocket/ws';
import WebSocket, { WebSocketServer } from 'ws';

async function withServer(run: (url: string) => Promise<void>): Promise<void> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    socket.send('first');
    socket.on('message', (data) => socket.send(`echo ${data.toString()}`));
  });
  try {
    await run(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`);
  } finally {
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }
}

interface Internals {
  _handleMessage?: unknown;
  _ws?: { _socket?: { cork?: unknown; uncork?: unknown } };
}

describe('partysocket internals the WebSocket transport relies on', () => {
  it('a handler put in place of _handleMessage before the socket opens receives every frame, and partysocket dispatches none itself', async () => {
    await withServer(async (url) => {
      const socket = new ReconnectingWebSocket(url, undefined, { WebSocket, maxRetries: 0 });
      const internals = socket as unknown as Internals;
      assert.equal(typeof internals._handleMessage, 'function', 'partysocket no longer has _handleMessage');
      const direct: string[] = [];
      const dispatched: string[] = [];
      internals._handleMessage = (event: MessageEvent) => direct.push(String(event.data));
      socket.addEventListener('message', (event) => dispatched.push(String(event.data)));
      await once(socket as unknown as EventTarget, 'open');
      socket.send('ping');
      for (let i = 0; i < 200 && direct.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(direct, ['first', 'echo ping']);
      assert.deepEqual(dispatched, []);
      socket.close();
    });
  });

  it('an open link under `ws` exposes its TCP socket as _ws._socket, with cork() and uncork()', async () => {
    await withServer(async (url) => {
      const socket = new ReconnectingWebSocket(url, undefined, { WebSocket, maxRetries: 0 });
      await once(socket as unknown as EventTarget, 'open');
      const tcp = (socket as unknown as Internals)._ws?._socket;
      assert.ok(tcp, 'partysocket no longer keeps the `ws` socket as _ws, or `ws` its TCP socket as _socket');
      assert.equal(typeof tcp.cork, 'function');
      assert.equal(typeof tcp.uncork, 'function');
      socket.close();
    });
  });

  it('a connection attempt that fails is closed by partysocket with a CloseEvent of its own, code 1000 (no close frame came)', async () => {
    const socket = new ReconnectingWebSocket('ws://127.0.0.1:9/ws', undefined, { WebSocket, maxRetries: 0 });
    const closed = await new Promise<unknown>((resolve) => { socket.onclose = resolve; });
    assert.ok(closed instanceof PartysocketClose, 'the transport reads such a close as code 1006 by this class');
    assert.equal((closed as { code: number }).code, 1000);
    socket.close();
  });

  it('a close the server sends reaches onclose as the socket\'s own event, not partysocket\'s', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    wss.on('connection', (peer) => peer.close(4001, 'go away'));
    try {
      const socket = new ReconnectingWebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`, undefined, { WebSocket, maxRetries: 0 });
      const closed = await new Promise<unknown>((resolve) => { socket.onclose = resolve; });
      assert.equal(closed instanceof PartysocketClose, false);
      assert.equal((closed as { code: number }).code, 4001);
      socket.close();
    } finally {
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
