// Under the `ws` package the transport gathers the frames sent together (until Node's next
// tick) into one write, and writes at once a frame sent when every frame before it was
// answered (src/session/websocket-transport.ts). A real `ws` server on an
// ephemeral port records what it receives: every frame arrives, whole, byte for byte, in the
// order it was sent, whether sent in one go or across promise jobs and event-loop turns, and
// frames sent just before close() still arrive before the close.
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
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

async function openTransport(url: string, events: ConstructorParameters<typeof WebSocketLink>[1] = {}): Promise<WebSocketLink> {
  const transport = new WebSocketLink({
    url: () => url,
    endpoint: url,
    reconnect: { enabled: false, minDelayMs: 100, maxDelayMs: 100, growFactor: 1, maxRetries: 0 },
    openTimeoutMs: 5000,
    maxFrameBytes: 1 << 24,
  }, events);
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

  it('writes a frame at once when every frame sent before was answered, and gathers the frames sent while some wait', async () => {
    // The server acknowledges every frame; the writes of the client's TCP socket are recorded
    // (Writable's _writev and _write, where a socket's bytes leave), with the frames each holds.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    wss.on('connection', (socket) => {
      socket.once('message', () => {
        socket.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: ['org.calendar.Event.v1'], selected_profile: null, extensions: {} }));
        socket.on('message', (data) => socket.send(JSON.stringify({ ack: (JSON.parse(data.toString()) as { id: string }).id })));
      });
    });
    const port = (wss.address() as { port: number }).port;
    const writes: string[][] = [];
    /** The ids of the (masked) client frames in a write's bytes. */
    const framesIn = (chunks: unknown[]): string[] => {
      const bytes = Buffer.concat(chunks.map((c) => Buffer.from(c as Buffer)));
      const ids: string[] = [];
      for (let at = 0; at < bytes.length;) {
        const short = bytes[at + 1]! & 0x7f;
        const [length, start] = short === 126 ? [bytes.readUInt16BE(at + 2), at + 4] : short === 127 ? [Number(bytes.readBigUInt64BE(at + 2)), at + 10] : [short, at + 2];
        const mask = bytes.subarray(start, start + 4);
        const text = Buffer.from(bytes.subarray(start + 4, start + 4 + length).map((b, i) => b ^ mask[i % 4]!)).toString();
        ids.push((JSON.parse(text) as { id: string }).id);
        at = start + 4 + length;
      }
      return ids;
    };
    const { _writev: writev, _write: write } = Socket.prototype as unknown as { _writev: (...a: unknown[]) => unknown; _write: (...a: unknown[]) => unknown };
    const proto = Socket.prototype as unknown as { _writev: unknown; _write: unknown };
    proto._writev = function (this: Socket, chunks: { chunk: unknown }[], ...rest: unknown[]) {
      if (this.remotePort === port) writes.push(framesIn(chunks.map((c) => c.chunk)));
      return writev.call(this, chunks, ...rest);
    };
    proto._write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
      if (this.remotePort === port) writes.push(framesIn([chunk]));
      return write.call(this, chunk, ...rest);
    };
    let acks = 0;
    const transport = await openTransport(`ws://127.0.0.1:${port}/ws`, { onmessage: () => { acks++; } });
    const frame = (id: string): string => JSON.stringify({ id, stype: 'org.calendar.Event.v1', payload: {} });
    const send = (id: string): void => assert.equal(transport.send(frame(id), request(frame(id))), true);
    try {
      writes.length = 0;
      send('alone');
      assert.deepEqual(writes, [['alone']], 'written before send() returned');
      send('second');
      send('third');
      send('fourth');
      assert.equal(writes.length, 1, 'gathered while the first waits for its answer');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(writes, [['alone'], ['second', 'third', 'fourth']]);
      await until(() => acks === 4, 'the four answers');
      send('again');
      assert.deepEqual(writes.at(-1), ['again'], 'every frame answered: written at once again');
    } finally {
      proto._writev = writev;
      proto._write = write;
      await transport.close();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
