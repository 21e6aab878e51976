// A raw `ws` client for the demo tests: frames queue up and are taken one at a time.
import { createHello } from 'mpl-sdk';
import WebSocket from 'ws';

export interface RawClient {
  socket: WebSocket;
  /** The next text frame, parsed; rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<any>;
  /** The next binary frame. */
  nextBinary(timeoutMs?: number): Promise<Buffer>;
  send(value: unknown): void;
  /** Resolves with the close code. */
  closed: Promise<number>;
  close(): void;
}

export async function openClient(url: string): Promise<RawClient> {
  const socket = new WebSocket(url);
  const frames: Array<{ text?: string; bytes?: Buffer }> = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data, isBinary) => {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
    frames.push(isBinary ? { bytes } : { text: bytes.toString('utf8') });
    waiters.shift()?.();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const take = async (timeoutMs: number) => {
    if (!frames.length) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return frames.shift()!;
  };
  return {
    socket,
    async next(timeoutMs = 3000) {
      const frame = await take(timeoutMs);
      if (frame.text === undefined) throw new Error('expected a text frame, got binary');
      return JSON.parse(frame.text);
    },
    async nextBinary(timeoutMs = 3000) {
      const frame = await take(timeoutMs);
      if (!frame.bytes) throw new Error('expected a binary frame, got text');
      return frame.bytes;
    },
    send(value) {
      socket.send(typeof value === 'string' ? value : JSON.stringify(value));
    },
    closed,
    close() {
      socket.close();
    },
  };
}

/** Opens a client and completes the handshake; returns it with the select reply. */
export async function handshaken(url: string, stypes: string[], profiles: string[] = ['qom-basic']): Promise<{ client: RawClient; select: any }> {
  const client = await openClient(url);
  client.send(createHello({ stypes, qomProfiles: profiles }));
  return { client, select: await client.next() };
}
