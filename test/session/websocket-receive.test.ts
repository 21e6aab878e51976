// The WebSocket transport reads frames from the socket partysocket wraps, not from
// partysocket's re-dispatched copies (src/session/websocket-transport.ts). A real `ws`
// server on an ephemeral port pushes frames: each arrives exactly once and in order, text
// and binary, on the first link and on the link partysocket opens after a drop; none is
// delivered after close().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { createHello } from '../../src/index.ts';
import type { InboundMessage } from '../../src/session/transport.ts';
import { WebSocketLink } from '../../src/session/websocket-transport.ts';
import { waitUntil } from '../support/session-helpers.ts';

const SELECT = JSON.stringify({ type: 'ai-alpn-select', common_stypes: ['org.calendar.Event.v1'], selected_profile: null, extensions: {} });
const push = (link: number, i: number): string => JSON.stringify({ id: `l${link}-${i}`, stype: 'org.calendar.Event.v1', payload: { title: 'x'.repeat(i % 200), start: '2024-03-01T14:00:00Z' } });

describe('WebSocket transport: frames received', () => {
  it('delivers each pushed frame once, in order, across a reconnection, and none after close()', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const links: WebSocket[] = [];
    wss.on('connection', (socket) => {
      links.push(socket);
      socket.once('message', () => socket.send(SELECT));
    });
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`;
    const received: unknown[] = [];
    let reopened = 0;
    const transport = new WebSocketLink({
      url: () => url, endpoint: url,
      reconnect: { enabled: true, minDelayMs: 10, maxDelayMs: 20, growFactor: 1, maxRetries: 5 },
      openTimeoutMs: 5000, maxFrameBytes: 1 << 24,
    }, {
      onmessage: (message: InboundMessage) => received.push(message.unreadable ?? message.data),
      onopen: () => { reopened++; },
    });
    try {
      await transport.start(AbortSignal.timeout(5000));
      await transport.handshake(createHello({ stypes: ['org.calendar.Event.v1'] }), AbortSignal.timeout(5000));
      const first = Array.from({ length: 500 }, (_, i) => push(1, i));
      // Text frames, and every tenth one binary (UTF-8 bytes): both become parsed JSON.
      first.forEach((text, i) => links[0]!.send(i % 10 === 0 ? Buffer.from(text) : text));
      await waitUntil(() => received.length >= first.length, 'the first link\'s frames');
      assert.deepEqual(received, first.map((text) => JSON.parse(text)));

      received.length = 0;
      links[0]!.terminate();
      await waitUntil(() => reopened === 1 && links.length === 2, 'the reconnection');
      await transport.handshake(createHello({ stypes: ['org.calendar.Event.v1'] }), AbortSignal.timeout(5000));
      const second = Array.from({ length: 200 }, (_, i) => push(2, i));
      for (const text of second) links[1]!.send(text);
      await waitUntil(() => received.length >= second.length, 'the second link\'s frames');
      assert.deepEqual(received, second.map((text) => JSON.parse(text)));

      received.length = 0;
      // Frames already on their way when close() is called are dropped, not delivered.
      for (let i = 0; i < 50; i++) links[1]!.send(push(3, i));
      await transport.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(received, []);
    } finally {
      await transport.close();
      await new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); });
    }
  });
});
