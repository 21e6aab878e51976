// The Node adapter and the server core against what a review's hostile clients did: a
// refused WebSocket that then breaks the protocol, hooks that throw, a handler's reply under
// an SType spelt `urn:stype:` or not served, a peer that sent its close frame but keeps the
// connection, handlers still running when the server closes, a POST with a stray Upgrade
// header. Real servers on ephemeral ports, real `ws` clients and raw TCP.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplServer, type MplServerOptions } from '../../src/server/index.ts';
import { serveNode, type NodeServer } from '../../src/server/node.ts';

const EVENT = 'org.calendar.Event.v1';
const HEARTBEAT = 'org.agent.Heartbeat.v1';
const HELLO = { type: 'ai-alpn-hello', version: '1.0', stypes: [EVENT, HEARTBEAT] };
const payload = { title: 'Sync', start: '2024-03-01T14:00:00Z' };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const running: NodeServer[] = [];
after(async () => { await Promise.all(running.map((server) => server.close({ graceMs: 0 }))); });
async function serve(options: MplServerOptions, setUp?: (server: MplServer) => void): Promise<{ server: MplServer; port: number; errors: string[] }> {
  const errors: string[] = [];
  const server = new MplServer({ onError: (error) => { errors.push((error as Error).message); }, ...options });
  setUp?.(server);
  const node = await serveNode(server, { port: 0 });
  running.push(node);
  return { server, port: node.port, errors };
}

/** A `ws` client that has said its hello; its frames, parsed. */
async function client(port: number): Promise<{ ws: WebSocket; frames: unknown[]; next(): Promise<unknown> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const frames: unknown[] = [];
  ws.on('message', (data, isBinary) => frames.push(isBinary ? { binary: true } : JSON.parse(data.toString())));
  await once(ws, 'open');
  const next = async (): Promise<unknown> => {
    const seen = frames.length;
    for (let i = 0; i < 200 && frames.length === seen; i++) await sleep(10);
    return frames[seen];
  };
  ws.send(JSON.stringify(HELLO));
  await next();
  return { ws, frames, next };
}

/** One masked client frame (RFC 6455 §5.2), as a raw TCP client must send it. */
function frame(opcode: number, body: Buffer): Buffer {
  const mask = randomBytes(4);
  const head = body.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | body.length]) : Buffer.from([0x80 | opcode, 0x80 | 126, body.length >> 8, body.length & 255]);
  return Buffer.concat([head, mask, Buffer.from(body.map((b, i) => b ^ mask[i % 4]!))]);
}

describe('the Node adapter against hostile peers', () => {
  it('a WebSocket refused for want of room (1013) that sends a frame ws refuses does not take the process down; onError hears of it', async () => {
    const { server, port, errors } = await serve({ limits: { maxSessions: 1, maxFrameBytes: 1024 } });
    const first = await client(port);
    const second = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    second.on('error', () => {});
    second.on('open', () => second.send('x'.repeat(4096))); // over maxFrameBytes, at once
    const [code] = (await once(second, 'close')) as [number];
    assert.equal(code, 1013);
    await sleep(100);
    // Still serving: the first session answers.
    first.ws.send(JSON.stringify({ id: 'after', stype: EVENT, payload, sem_hash: await semanticHash(payload) }));
    assert.equal((await first.next() as { in_reply_to?: string }).in_reply_to, 'after');
    assert.ok(errors.some((e) => /A WebSocket peer broke the protocol, and its link was closed: Max payload size exceeded/.test(e)), JSON.stringify(errors));
    assert.equal(server.sessions.size, 1);
    first.ws.close();
  });

  it('an onInbound that throws, with an onError that throws too: every answer still goes out as it was worked out, and a binary frame crashes nothing', async () => {
    let failures = 0;
    const { port } = await serve({
      binaryFrames: 'echo',
      onInbound: () => { throw new Error('onInbound broke'); },
      onError: () => { failures += 1; throw new Error('onError broke'); },
    });
    const peer = await client(port);
    assert.equal((peer.frames[0] as { type?: string }).type, 'ai-alpn-select');
    peer.ws.send(JSON.stringify({ id: 'e1', stype: EVENT, payload, sem_hash: await semanticHash(payload) }));
    assert.equal((await peer.next() as { in_reply_to?: string }).in_reply_to, 'e1');
    peer.ws.send(Buffer.from([1, 2, 3]));
    await sleep(100);
    const answer = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'h1', stype: EVENT, payload }) });
    assert.equal(answer.status, 200);
    assert.equal((await answer.json() as { in_reply_to?: string }).in_reply_to, 'h1');
    assert.ok(failures >= 3, `onError was called (${failures})`);
    peer.ws.close();
  });

  it('strict mode checks a reply under any spelling of its SType, and one the registry has no schema for does not go out', async () => {
    const { port, errors } = await serve({ mode: 'strict', stypes: [EVENT] }, (server) => {
      server.on(EVENT, (envelope, ctx) => {
        const kind = envelope.id.split('-')[0];
        if (kind === 'urn') return ctx.reply(`urn:stype:${EVENT}`, { nonsense: true } as never);
        if (kind === 'unknown') return ctx.reply('com.nowhere.Thing.v1', { anything: 1 });
        return ctx.reply(HEARTBEAT, { status: 'not-a-status' } as never);
      });
    });
    for (const id of ['urn-1', 'unknown-1', 'unserved-1']) {
      const answer = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, stype: EVENT, payload, sem_hash: await semanticHash(payload) }) });
      assert.equal(answer.status, 500, id);
      assert.equal((await answer.json() as { error: string }).error, 'E-INTERNAL', id);
    }
    assert.equal(errors.length, 3, JSON.stringify(errors));
    assert.match(errors[0]!, /is not valid under its schema/);
    assert.match(errors[1]!, /com\.nowhere\.Thing\.v1/);
    assert.match(errors[2]!, /is not valid under its schema/);
  });

  it('push() and broadcast() to a session whose peer sent its close frame (keeping the connection) fail: nothing is said to arrive that cannot', async () => {
    const { server, port } = await serve({});
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.write(`GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await sleep(100);
    socket.write(frame(1, Buffer.from(JSON.stringify(HELLO))));
    await sleep(150);
    const [session] = server.sessions;
    assert.ok(session?.handshaken);
    socket.write(frame(8, Buffer.from([0x03, 0xe8]))); // close 1000, TCP left open
    await sleep(150);
    assert.equal(session.isOpen, false);
    await assert.rejects(session.push(HEARTBEAT, { status: 'alive' }), (e: unknown) => (e as { code?: string }).code === 'E-CONNECTION-FAILED');
    assert.equal((await server.broadcast(HEARTBEAT, { status: 'alive' })).sent, 0);
    socket.destroy();
  });

  it('close({ graceMs: 0 }) leaves no timer of a handler still running behind: the process could exit at once', async () => {
    const { server, port } = await serve({ limits: { handlerTimeoutMs: 60_000 } }, (s) => s.on(EVENT, () => new Promise(() => {})));
    const node = running.at(-1)!;
    const peer = await client(port);
    peer.ws.on('error', () => {});
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    peer.ws.send(JSON.stringify({ id: 'stuck', stype: EVENT, payload, sem_hash: await semanticHash(payload) }));
    await sleep(100);
    await node.close({ graceMs: 0 });
    await sleep(50);
    // (Timers that keep the process alive: an unreferenced one is not listed.)
    assert.ok(timers() <= before, `no timer left for the stuck handler (${before} before, ${timers()} after)`);
    assert.equal(server.sessions.size, 0);
  });

  it('a POST with a stray Upgrade: websocket header (no Connection: upgrade) is served as the POST it is', async () => {
    const { port } = await serve({});
    const body = JSON.stringify({ id: 'p1', stype: EVENT, payload });
    const socket = connect({ port, host: '127.0.0.1' });
    socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    let text = '';
    socket.on('data', (chunk) => { text += chunk.toString(); });
    for (let i = 0; i < 100 && !text.includes('"in_reply_to"'); i++) await sleep(10);
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.match(text, /"in_reply_to":"p1"/);
  });
});
