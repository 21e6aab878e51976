// Under the `ws` package the transport gathers the frames sent together (until Node's next
// tick) into one write (src/session/websocket-transport.ts). A real `ws` server on an
// ephemeral port records what it receives: every frame arrives, whole, byte for byte, in the
// order it was sent, whether sent in one go or across promise jobs and event-loop turns, and
// frames sent just before close() still arrive before the close.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { createHello } from '../../src/index.ts';
import { WebSocketLink } from '../../src/session/websocket-transport.ts';

interface RecordingServer {
  url: string;
  /** Frames received after the hello, as text. */
  frames: string[];
  /** Resolves with the frames received before the client's close frame. */
  closed: Promise<string[]>;
  stop(): Promise<void>;
}

async function startRecordingServer(): Promise<RecordingServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const frames: string[] = [];
  let markClosed!: (frames: string[]) => void;
  const closed = new Promise<string[]>((resolve) => { markClosed = resolve; });
  wss.on('connection', (socket) => {
    socket.once('message', () => {
      socket.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: ['org.calendar.Event.v1'], selected_profile: null, extensions: {} }));
      socket.on('message', (data, isBinary) => {
        assert.equal(isBinary, false);
        frames.push(data.toString());
      });
    });
    socket.on('close', () => markClosed([...frames]));
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`,
    frames,
    closed,
    stop: () => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }),
  };
}

async function openTransport(url: string): Promise<WebSocketLink> {
  const transport = new WebSocketLink({
    url: () => url,
    endpoint: url,
    reconnect: { enabled: false, minDelayMs: 100, maxDelayMs: 100, growFactor: 1, maxRetries: 0 },
    openTimeoutMs: 5000,
    maxFrameBytes: 1 << 24,
  }, {});
  await transport.start(AbortSignal.timeout(5000));
  await transport.handshake(createHello({ stypes: ['org.calendar.Event.v1'] }), AbortSignal.timeout(5000));
  return transport;
}

/** Frame texts of every length class (7-bit, 16-bit and 64-bit payload lengths), some multi-byte UTF-8. */
const texts = (n: number, tag: string): string[] => Array.from({ length: n }, (_, i) => {
  const filler = i % 50 === 7 ? 'x'.repeat(70_000) : i % 10 === 3 ? 'é✓😀'.repeat(40) : 'y'.repeat(i % 130);
  return JSON.stringify({ id: `${tag}-${i}`, stype: 'org.calendar.Event.v1', payload: { filler } });
});

const request = (text: string): { id: string; stype: string; signal: AbortSignal } => ({ id: (JSON.parse(text) as { id: string }).id, stype: 'org.calendar.Event.v1', signal: new AbortController().signal });

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 20_000) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('WebSocket transport: frames sent together', () => {
  it('delivers every frame of one turn and of many turns whole and in order', async () => {
    const server = await startRecordingServer();
    const transport = await openTransport(server.url);
    try {
      const sameTurn = texts(300, 'same-turn');
      for (const text of sameTurn) assert.equal(transport.send(text, request(text)), true);
      const spread = texts(60, 'spread');
      for (const [i, text] of spread.entries()) {
        assert.equal(transport.send(text, request(text)), true);
        if (i % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
        else if (i % 3 === 1) await Promise.resolve();
      }
      const expected = [...sameTurn, ...spread];
      await until(() => server.frames.length >= expected.length, 'every frame');
      assert.equal(server.frames.length, expected.length);
      assert.deepEqual(server.frames, expected);
    } finally {
      await transport.close();
      await server.stop();
    }
  });

  it('sends the frames of the current turn before the close frame', async () => {
    const server = await startRecordingServer();
    const transport = await openTransport(server.url);
    try {
      const last = texts(40, 'before-close');
      for (const text of last) transport.send(text, request(text));
      await transport.close();
      assert.deepEqual(await server.closed, last);
      assert.equal(transport.send(last[0]!, request(last[0]!)), false, 'nothing is sent after close()');
    } finally {
      await server.stop();
    }
  });
});
