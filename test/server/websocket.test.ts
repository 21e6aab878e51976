// WebSocket sessions through the Node adapter (node:http + ws), with raw `ws` clients:
// replies in arrival order while handlers run concurrently, proxy frames, pushes to one
// session and broadcasts to those that negotiated the SType.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { MplError, SchemaFidelityError, UnknownStypeError } from '../../src/errors/index.ts';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplServer, type MplServerOptions } from '../../src/server/index.ts';
import { nodeHandlers, serveNode, type NodeServer } from '../../src/server/node.ts';
import { handshaken, openClient } from '../demo/ws-client.ts';

const EVENT = 'org.calendar.Event.v1';
const HEARTBEAT = 'org.agent.Heartbeat.v1';
const running: NodeServer[] = [];
after(() => Promise.all(running.map((r) => r.close())));

async function serve(options: MplServerOptions, define: (server: MplServer) => void = () => {}) {
  const server = new MplServer(options);
  define(server);
  const node = await serveNode(server);
  running.push(node);
  return { server, wsUrl: `${node.url.replace('http', 'ws')}/ws` };
}

const event = async (title: string, extra: Record<string, unknown> = {}) => {
  const payload = { title, start: '2024-03-01T14:00:00Z' };
  return { id: crypto.randomUUID(), stype: EVENT, payload, sem_hash: await semanticHash(payload), ...extra };
};

describe('MplServer over WebSocket (Node adapter)', () => {
  it('closes a session that makes no handshake and stays quiet for helloTimeoutMs (1001); frames and pending answers keep it, a handshake ends the wait', async () => {
    const LIMIT = 300;
    const { server, wsUrl } = await serve({ limits: { helloTimeoutMs: LIMIT } }, (s) => s.on(EVENT, async (env) => {
      if ((env.payload as { title: string }).title === 'slow') await new Promise((resolve) => setTimeout(resolve, LIMIT * 3));
      return { ...env.payload, status: 'confirmed' };
    }));
    const silent = await openClient(wsUrl);
    const opened = Date.now();
    const talker = await openClient(wsUrl); // no handshake: a frame every LIMIT / 3
    const waiter = await openClient(wsUrl); // no handshake: one request whose answer takes 3 × LIMIT
    const { client: greeted } = await handshaken(wsUrl, [EVENT]);
    const slow = await event('slow');
    waiter.send(slow);
    const talking = setInterval(() => talker.send('{}'), LIMIT / 3);
    try {
      assert.equal(await silent.closed, 1001);
      const after = Date.now() - opened;
      assert.ok(after >= LIMIT - 20 && after < LIMIT * 4, `closed after ${after} ms`);
      const answer = await waiter.next(LIMIT * 5);
      assert.equal(answer.in_reply_to, slow.id, 'its pending answer came, past the limit: the session was kept for it');
      assert.equal(await waiter.closed, 1001, 'then, quiet for longer than the limit, the waiter goes too');
      await new Promise((resolve) => setTimeout(resolve, LIMIT * 2));
      assert.equal(server.sessions.size, 2, 'the talker and the handshaken one stay');
    } finally {
      clearInterval(talking);
    }
    greeted.send(await event('still here'));
    assert.equal((await greeted.next()).payload.status, 'confirmed');
    talker.close();
    greeted.close();
  });

  it('cuts off a peer that answers no ping (pingIntervalMs); a quiet peer that answers, or one that sends, stays', async () => {
    const EVERY = 150;
    const { server, wsUrl } = await serve({ limits: { pingIntervalMs: EVERY } }, (s) => s.on(EVENT, (env) => ({ ...env.payload, status: 'confirmed' })));
    const connect = async (autoPong: boolean) => {
      const ws = new WebSocket(wsUrl, { autoPong });
      await once(ws, 'open');
      ws.send(JSON.stringify({ type: 'ai-alpn-hello', version: '1.0', stypes: [EVENT] }));
      await once(ws, 'message');
      return { ws, closed: new Promise<number>((resolve) => ws.on('close', (code) => resolve(code))) };
    };
    const gone = await connect(false); // as a peer that vanished: no pongs, no frames
    const quiet = await connect(true); // answers pings by itself, sends nothing
    const busy = await connect(false); // answers no ping, but sends
    const sending = setInterval(() => busy.ws.send('{}'), EVERY / 3);
    const opened = Date.now();
    try {
      assert.equal(await gone.closed, 1006, 'cut off, no closing handshake');
      const after = Date.now() - opened;
      assert.ok(after >= EVERY - 20 && after < EVERY * 6, `cut off after ${after} ms`);
      await new Promise((resolve) => setTimeout(resolve, EVERY * 4));
      assert.equal(server.sessions.size, 2);
    } finally {
      clearInterval(sending);
    }
    quiet.ws.send(JSON.stringify(await event('still here')));
    const [reply] = await once(quiet.ws, 'message') as [Buffer];
    assert.equal(JSON.parse(reply.toString()).payload.status, 'confirmed');
    quiet.ws.close();
    busy.ws.close();
  });

  it('a peer in the middle of sending a large frame slowly is not cut off: any bytes count as an answer to a ping', async () => {
    const EVERY = 150;
    const { wsUrl } = await serve({ limits: { pingIntervalMs: EVERY } });
    const { port } = new URL(wsUrl);
    const tcp = connect(Number(port), '127.0.0.1');
    await once(tcp, 'connect');
    tcp.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    let answer = '';
    tcp.on('data', (chunk: Buffer) => { answer += chunk.toString('latin1'); });
    const closed = once(tcp, 'close');
    tcp.on('error', () => {});
    // One masked text frame of 24 KiB, sent 2 KiB every EVERY / 3 ms: about 4 ping intervals, no pong possible meanwhile.
    const text = Buffer.from(JSON.stringify({ pad: 'a'.repeat(24 * 1024 - 12) }));
    const mask = randomBytes(4);
    const header = Buffer.alloc(8);
    header[0] = 0x81;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(text.length, 2);
    mask.copy(header, 4);
    tcp.write(header);
    const body = text.map((b, i) => b ^ mask[i & 3]!);
    for (let at = 0; at < body.length; at += 2048) {
      await new Promise((resolve) => setTimeout(resolve, EVERY / 3));
      assert.ok(!tcp.destroyed, `cut off after ${at} of ${body.length} bytes`);
      tcp.write(body.subarray(at, at + 2048));
    }
    await new Promise((resolve) => setTimeout(resolve, EVERY));
    assert.match(answer, /E-INVALID-ENVELOPE/, 'the whole frame came and was answered');
    tcp.destroy();
    await closed;
  });

  it('helloTimeoutMs: Infinity never closes a quiet session', async () => {
    const { server, wsUrl } = await serve({ limits: { helloTimeoutMs: Infinity } });
    const quiet = await openClient(wsUrl);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.sessions.size, 1);
    quiet.close();
  });

  it('runs handlers concurrently and sends their replies in arrival order', async () => {
    const { wsUrl } = await serve({}, (server) => server.on(EVENT, async (env) => {
      const { title } = env.payload as { title: string };
      if (title === 'slow') await new Promise((resolve) => setTimeout(resolve, 100));
      return { ...env.payload, status: 'confirmed' };
    }));
    const { client } = await handshaken(wsUrl, [EVENT]);
    const requests = [await event('slow'), await event('fast'), await event('faster')];
    for (const r of requests) client.send(r);
    const replies = [await client.next(), await client.next(), await client.next()];
    assert.deepEqual(replies.map((r) => r.in_reply_to), requests.map((r) => r.id));
    assert.ok(replies.every((r) => r.provenance.parent_id === r.in_reply_to));
    client.close();
  });

  it('the replies to frames read in one turn leave in one write of the socket; a reply alone leaves at once', async () => {
    const server = new MplServer({});
    server.on(EVENT, (env) => ({ ...env.payload, status: 'confirmed' }));
    await server.ready();
    const handlers = nodeHandlers(server);
    // Each write the server's socket hands to the kernel, with the buffers in it.
    const writes: number[] = [];
    const http = createServer(handlers.request).on('upgrade', (req, socket: Socket, head) => {
      const tcp = socket as Socket & { _write: Socket['_write']; _writev: NonNullable<Socket['_writev']> };
      const write = tcp._write.bind(tcp);
      const writev = tcp._writev.bind(tcp);
      tcp._write = (chunk, encoding, callback) => { writes.push(1); write(chunk, encoding, callback); };
      tcp._writev = (chunks, callback) => { writes.push(chunks.length); writev(chunks, callback); };
      handlers.upgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const { client } = await handshaken(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`, [EVENT]);
      const warm = await event('warm-up'); // loads the validator and the registry: later replies need no I/O
      client.send(warm);
      assert.equal((await client.next()).in_reply_to, warm.id);
      writes.length = 0;
      // Four envelopes in one write of the client's socket: the server reads them in one turn.
      const requests = await Promise.all(['a', 'b', 'c', 'd'].map((title) => event(title)));
      const clientTcp = (client.socket as unknown as { _socket: Socket })._socket;
      clientTcp.cork();
      for (const r of requests) client.send(r);
      clientTcp.uncork();
      const replies = [];
      for (const _ of requests) replies.push(await client.next());
      assert.deepEqual(replies.map((r) => r.in_reply_to), requests.map((r) => r.id));
      assert.equal(writes.length, 1, `one write for the four replies (writes of ${writes.join(', ')} buffers)`);
      assert.ok(writes[0]! >= 4, `the four frames in it (${writes[0]} buffers)`);
      // A reply on its own is not held back: it leaves when the turn that made it ends.
      const alone = await event('alone');
      client.send(alone);
      assert.equal((await client.next(1000)).in_reply_to, alone.id);
      assert.equal(writes.length, 2);
      client.close();
    } finally {
      server.close();
      await handlers.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('proxy replies are the id-less mpl-response frames; strict-mode blocks are the proxy\'s error, id-less', async () => {
    const { wsUrl } = await serve({ mode: 'strict', replies: 'proxy' });
    const { client } = await handshaken(wsUrl, [EVENT]);
    const ok = await event('ok');
    client.send(ok);
    assert.deepEqual(await client.next(), { type: 'mpl-response', stype: EVENT, validation: { valid: true, schema_valid: true, qom_passed: true }, payload: ok.payload });
    client.send({ ...ok, id: 'x2', payload: { title: '' } });
    const blocked = await client.next();
    assert.deepEqual(Object.keys(blocked), ['error', 'message', 'details']);
    assert.equal(blocked.message, 'Validation failed');
    client.close();
  });

  it('ctx.session.push reaches the sender; broadcast reaches the sessions that negotiated the SType, with their profile', async () => {
    const { server, wsUrl } = await serve({}, (s) => s.on(EVENT, async (env, ctx) => {
      await ctx.session?.push(HEARTBEAT, { status: 'busy' });
      return env.payload;
    }));
    const a = await handshaken(wsUrl, [EVENT, HEARTBEAT], ['qom-basic']);
    const b = await handshaken(wsUrl, [EVENT], []);
    a.client.send(await event('with a push'));
    const pushed = await a.client.next();
    assert.equal(pushed.stype, HEARTBEAT);
    assert.equal(pushed.profile, 'qom-basic');
    assert.equal(pushed.sem_hash, await semanticHash(pushed.payload));
    assert.equal(pushed.in_reply_to, undefined);
    assert.ok((await a.client.next()).in_reply_to);
    const { sent } = await server.broadcast(HEARTBEAT, { status: 'alive' });
    assert.equal(sent, 1);
    assert.equal((await a.client.next()).payload.status, 'alive');
    await assert.rejects(b.client.next(200), /no frame/);
    // @ts-expect-error the compiler refuses the payload (a status Heartbeat does not have); at run time it is E-SCHEMA-FIDELITY
    await assert.rejects(server.broadcast(HEARTBEAT, { status: 'sleeping' }), (e: unknown) => e instanceof SchemaFidelityError && e.code === 'E-SCHEMA-FIDELITY'
      && e.stype === HEARTBEAT && e.validationErrors[0]?.path === '/status' && /Cannot push org\.agent\.Heartbeat\.v1: the payload is not valid under its schema \(\/status: /.test(e.message));
    // An SType the server does not serve: an UnknownStypeError, as a client's.
    const narrow = await serve({ stypes: [EVENT] });
    await assert.rejects(narrow.server.broadcast(HEARTBEAT, { status: 'alive' }), (e: unknown) => e instanceof UnknownStypeError && /this server does not serve it/.test(e.message));
    a.client.close();
    b.client.close();
  });

  it('onHandshake runs after the select is sent; a push of an SType not negotiated is refused', async () => {
    const outcomes: string[] = [];
    const { wsUrl } = await serve({}, (server) => server.onHandshake(async (session) => {
      await session.push(HEARTBEAT, { status: 'idle' }).then(() => outcomes.push('pushed'), (e: Error & { code?: string }) => outcomes.push(String(e.code)));
    }));
    const first = await handshaken(wsUrl, [HEARTBEAT]);
    assert.equal(first.select.type, 'ai-alpn-select');
    assert.equal((await first.client.next()).stype, HEARTBEAT);
    const second = await handshaken(wsUrl, [EVENT]);
    await assert.rejects(second.client.next(200), /no frame/);
    assert.deepEqual(outcomes, ['pushed', 'E-STYPE-NOT-NEGOTIATED']);
    first.client.close();
    second.client.close();
  });

  it('an unknown text frame is E-INVALID-ENVELOPE by default, a passthrough frame when asked', async () => {
    const strict = await serve({});
    const raw = await openClient(strict.wsUrl);
    raw.send('hello there');
    assert.equal((await raw.next()).error, 'E-INVALID-ENVELOPE');
    raw.close();
    const proxyLike = await serve({ unknownFrames: 'passthrough' });
    const other = await openClient(proxyLike.wsUrl);
    other.send('hello there');
    assert.deepEqual(await other.next(), { type: 'passthrough', message: 'hello there' });
    other.close();
  });

  it('handlers still running when their session closes have their signals aborted (E-CONNECTION-FAILED), are not reported, and twelve at once draw no listener warning', async () => {
    const errors: unknown[] = [];
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const RUNNING = 12; // past the ten listeners Node allows one event target before it warns
    let entered = 0;
    let allIn!: () => void;
    const inHandlers = new Promise<void>((resolve) => (allIn = resolve));
    const reasons: unknown[] = [];
    let allOut!: () => void;
    const aborted = new Promise<void>((resolve) => (allOut = resolve));
    const { wsUrl } = await serve({ onError: (error) => errors.push(error), limits: { handlerTimeoutMs: 600_000 } }, (server) => server.on(EVENT, (_env, ctx) => {
      if (++entered === RUNNING) allIn();
      return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => {
        reasons.push(ctx.signal.reason);
        if (reasons.length === RUNNING) allOut();
        reject(ctx.signal.reason);
      }));
    }));
    const { client } = await handshaken(wsUrl, [EVENT]);
    for (let i = 0; i < RUNNING; i++) client.send(await event(`never answered ${i}`));
    await inHandlers;
    client.close();
    await aborted;
    for (const reason of reasons) {
      assert.ok(reason instanceof MplError);
      assert.equal(reason.code, 'E-CONNECTION-FAILED');
      assert.equal(reason.message, 'The WebSocket session closed before the answer');
    }
    await new Promise((resolve) => setTimeout(resolve, 20)); // the rejections have been handled, any warning emitted
    process.off('warning', onWarning);
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings.map((w) => w.message), []);
  });

  it('after its session closed, a handler that fails for its own reasons is still reported; one that ends with an AbortError is not', async () => {
    const errors: unknown[] = [];
    let entered = 0;
    let bothIn!: () => void;
    const inHandlers = new Promise<void>((resolve) => (bothIn = resolve));
    const { wsUrl } = await serve({ onError: (error) => errors.push(error), limits: { handlerTimeoutMs: 600_000 } }, (server) => server.on(EVENT, (env, ctx) => {
      if (++entered === 2) bothIn();
      const { title } = env.payload as { title: string };
      return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => {
        // A bug on the way out, or the DOMException a fetch given the signal rejects with.
        reject(title === 'bug' ? new TypeError('cannot read properties of undefined') : new DOMException('This operation was aborted', 'AbortError'));
      }));
    }));
    const { client } = await handshaken(wsUrl, [EVENT]);
    client.send(await event('bug'));
    client.send(await event('fetch'));
    await inHandlers;
    client.close();
    await client.closed;
    for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(errors.map((e) => (e as Error).message), ['cannot read properties of undefined']);
  });

  it('closes with a reason cut to 123 bytes at a character, the socket truly closed, and close() then resolves', async () => {
    const server = new MplServer({});
    server.on(EVENT, (env) => env.payload);
    const node = await serveNode(server);
    const { client } = await handshaken(`${node.url.replace('http', 'ws')}/ws`, [EVENT]);
    const reason = `Maintenance: ${'é'.repeat(80)}`; // 13 + 160 bytes
    const closedWith = new Promise<{ code: number; reason: string }>((resolve) => client.socket.once('close', (code: number, why: Buffer) => resolve({ code, reason: why.toString() })));
    server.close(1001, reason);
    const closed = await closedWith;
    assert.equal(closed.code, 1001);
    assert.ok(Buffer.byteLength(closed.reason) <= 123 && reason.startsWith(closed.reason), closed.reason);
    assert.equal(Buffer.byteLength(closed.reason), 13 + 2 * 55); // cut at a character: 55 é, not half of the 56th
    assert.equal(server.sessions.size, 0);
    await node.close();
  });

  it('cuts off, after a grace period, a peer that never answers the closing handshake: close() does not wait 30 s', async () => {
    const server = new MplServer({});
    const node = await serveNode(server);
    // A raw socket that upgrades, then goes silent (frozen, half-open).
    const { connect } = await import('node:net');
    const socket = connect(node.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.from('0123456789abcdef').toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await new Promise((resolve) => socket.once('data', resolve));
    socket.on('data', () => {}); // reads, never answers
    const started = performance.now();
    await node.close();
    const took = performance.now() - started;
    assert.ok(took < 10_000, `close() took ${took.toFixed(0)} ms`);
    socket.destroy();
  });

  it('a reply repeats its request\'s id, so a client that matches replies by id alone (upstream\'s TypeScript SDK) gets each one; errors carry no id of the request', async () => {
    const { wsUrl } = await serve({ qomReports: 'always' }, (server) => server.on(EVENT, async (env) => {
      const { title } = env.payload as { title: string };
      if (title === 'slow') await new Promise((resolve) => setTimeout(resolve, 50));
      if (title === 'refused') throw new MplError('E-POLICY-DENIED', 'not this one');
      return { ...env.payload, status: 'confirmed' };
    }));
    const client = await openClient(wsUrl); // no handshake, no profile: as upstream's Session.send without one
    const requests = [await event('slow'), await event('fast'), await event('refused')];
    for (const r of requests) client.send(r);
    const byId = new Map<string, any>();
    for (let i = 0; i < 3; i++) {
      const frame = await client.next();
      byId.set(frame.id ?? `no id: ${frame.in_reply_to}`, frame);
    }
    for (const r of requests.slice(0, 2)) {
      const reply = byId.get(r.id);
      assert.ok(reply, `a frame with the id of ${r.payload.title}: ${JSON.stringify([...byId.keys()])}`);
      assert.equal(reply.in_reply_to, r.id);
      assert.equal(reply.payload.title, r.payload.title);
      assert.equal(reply.sem_hash, await semanticHash(reply.payload));
      // The reference core's QomReport requires its profile: with none negotiated, the report says which rule judged it.
      assert.deepEqual({ profile: reply.qom_report.profile, meets: reply.qom_report.meets_profile }, { profile: 'qom-basic', meets: true });
    }
    // An error with the request's id would be read as the reply itself by a client matching by id.
    const error = byId.get(`no id: ${requests[2]!.id}`);
    assert.equal(error?.error, 'E-POLICY-DENIED', JSON.stringify([...byId.values()]));
    client.close();
  });

  it('names the request in the error to a frame that is no envelope, when it has an id (upstream\'s {id, type: "call", args}); answers A2A\'s {"mpl_envelope": …} wrapped as it came', async () => {
    const { wsUrl } = await serve({ mode: 'strict' }, (server) => server.on(EVENT, (env) => ({ ...env.payload, status: 'confirmed' })));
    const { client } = await handshaken(wsUrl, [EVENT]);
    client.send({ id: 'msg-42', type: 'call', args: { stype: EVENT, payload: {} } });
    const named = await client.next();
    assert.equal(named.error, 'E-INVALID-ENVELOPE');
    assert.equal(named.in_reply_to, 'msg-42');
    client.send({ id: 'no-envelope', hello: 'there' });
    assert.equal((await client.next()).in_reply_to, 'no-envelope');
    client.send({ other: 1 });
    assert.equal((await client.next()).in_reply_to, undefined, 'no id of its own: nothing to name');
    const inner = await event('wrapped');
    client.send({ mpl_envelope: inner });
    const wrapped = await client.next();
    assert.deepEqual(Object.keys(wrapped), ['mpl_envelope'], JSON.stringify(wrapped));
    assert.equal(wrapped.mpl_envelope.in_reply_to, inner.id);
    assert.equal(wrapped.mpl_envelope.payload.status, 'confirmed');
    assert.equal(wrapped.mpl_envelope.sem_hash, await semanticHash(wrapped.mpl_envelope.payload));
    // A wrapped envelope that fails its checks (strict mode) is answered with the plain error, naming it.
    client.send({ mpl_envelope: { ...inner, id: 'bad-hash', sem_hash: `b3:${'0'.repeat(64)}` } });
    const refused = await client.next();
    assert.equal(typeof refused.error, 'string', JSON.stringify(refused));
    assert.equal(refused.in_reply_to, 'bad-hash');
    client.close();
  });

  it('close() is graceful: the answers being worked out (WebSocket and HTTP) go out before the sessions close with 1001; no new connection is taken meanwhile; graceMs: 0 closes at once', async () => {
    for (const graceMs of [undefined, 0]) {
      const server = new MplServer({ limits: { handlerTimeoutMs: 2_000 } });
      const finished: string[] = [];
      let handling = 0;
      server.on(EVENT, async (env, ctx) => {
        handling += 1;
        // With graceMs 0 the handler takes far longer than a close does, even on a busy host.
        await new Promise((resolve) => setTimeout(resolve, graceMs === 0 ? 2_000 : 300));
        finished.push(`${(env.payload as { title: string }).title}${ctx.signal.aborted ? ' (aborted)' : ''}`);
        return { ...env.payload, status: 'confirmed' };
      });
      const running = await serveNode(server);
      const wsUrl = `${running.url.replace('http', 'ws')}/ws`;
      const client = await openClient(wsUrl);
      client.send(await event('over ws'));
      const overHttp = fetch(`${running.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await event('over http')) })
        .then(async (res) => ({ status: res.status, body: await res.json() as { payload?: { status: string }; error?: string } }), (error: Error) => ({ status: 0, body: { error: error.message } as { payload?: { status: string }; error?: string } }));
      // Both requests are being worked out before the close (on a busy host the POST may take a while to arrive).
      for (let i = 0; i < 500 && handling < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(handling, 2, 'both handlers started');
      const started = Date.now();
      const closing = running.close(graceMs === undefined ? undefined : { graceMs });
      if (graceMs === undefined) {
        // No new connection while draining.
        const late = new WebSocket(wsUrl);
        const refused = await new Promise<boolean>((resolve) => { late.on('open', () => resolve(false)); late.on('error', () => resolve(true)); });
        assert.equal(refused, true, 'a new connection is refused while the server drains');
        const reply = await client.next();
        assert.equal(reply.payload.status, 'confirmed', 'the WebSocket answer went out');
        assert.equal(await client.closed, 1001);
        const http = await overHttp;
        assert.equal(http.status, 200, JSON.stringify(http.body));
        assert.equal(http.body.payload?.status, 'confirmed');
        await closing;
        assert.ok(Date.now() - started >= 200, 'close() waited for the handlers');
        assert.deepEqual(finished.sort(), ['over http', 'over ws'], 'neither handler was aborted');
      } else {
        assert.equal(await client.closed, 1001);
        await closing;
        assert.deepEqual(finished, [], `graceMs 0: closed before the handlers finished (${Date.now() - started} ms)`);
        assert.notEqual((await overHttp).status, 200, 'its answer was not waited for');
      }
    }
  });

  it('close() with a peer that keeps sending: its envelopes after the drain began are answered E-OVERLOADED at once, named, and the close comes once the earlier answers are out, not after the whole grace', async () => {
    const server = new MplServer({ limits: { handlerTimeoutMs: 10_000 } }); // a grace of 10 s
    const titles: string[] = [];
    server.on(EVENT, async (env) => {
      titles.push((env.payload as { title: string }).title);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return env.payload;
    });
    const running = await serveNode(server);
    const client = await openClient(`${running.url.replace('http', 'ws')}/ws`);
    client.send(await event('before'));
    for (let i = 0; i < 200 && titles.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    const closing = running.close();
    // Pipelined, every 20 ms, until the socket closes: the drain never sees a moment with nothing in flight.
    const sent: string[] = [];
    const chatter = setInterval(() => {
      if (client.socket.readyState !== WebSocket.OPEN) return;
      void event(`after ${sent.length}`).then((envelope) => {
        if (client.socket.readyState !== WebSocket.OPEN) return;
        sent.push(envelope.id);
        client.send(envelope);
      });
    }, 20);
    try {
      const first = await client.next();
      assert.equal(first.payload?.title, 'before', JSON.stringify(first));
      const code = await client.closed;
      const took = Date.now() - started;
      assert.equal(code, 1001);
      assert.ok(took < 3_000, `closed after ${took} ms, not after the 10 s grace`);
      await closing;
    } finally {
      clearInterval(chatter);
    }
    assert.deepEqual(titles, ['before'], 'no envelope sent during the drain reached the handler');
    const refusals = [];
    for (;;) {
      const frame = await client.next(50).catch(() => undefined);
      if (!frame) break;
      refusals.push(frame);
    }
    assert.ok(sent.length > 0, 'the peer sent during the drain');
    assert.ok(refusals.length > 0, 'and was answered');
    for (const refusal of refusals) {
      assert.equal(refusal.error, 'E-OVERLOADED', JSON.stringify(refusal));
      assert.equal(refusal.details.shutting_down, true);
      assert.ok(sent.includes(refusal.in_reply_to), `names one of the peer's envelopes: ${JSON.stringify(refusal)}`);
    }
  });

  it('close() waits no longer than the handlers may run: a handler that hangs is answered E-TIMEOUT, then the session closes', async () => {
    const server = new MplServer({ limits: { handlerTimeoutMs: 400 } });
    server.on(EVENT, () => new Promise(() => {}));
    const running = await serveNode(server);
    const client = await openClient(`${running.url.replace('http', 'ws')}/ws`);
    client.send(await event('hangs'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const closing = running.close();
    assert.equal((await client.next()).error, 'E-TIMEOUT');
    assert.equal(await client.closed, 1001);
    await closing;
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 3_000, `closed after ${took} ms`);
  });

  it('names the request in the error to an envelope too broken to read, when its id can be read', async () => {
    const { wsUrl } = await serve({ mode: 'strict' }, (server) => server.on(EVENT, (env) => env.payload));
    const { client } = await handshaken(wsUrl, [EVENT]);
    client.send({ id: 'abc', stype: 'not an stype', payload: {} });
    const reply = await client.next();
    assert.equal(typeof reply.error, 'string', JSON.stringify(reply));
    assert.equal(reply.in_reply_to, 'abc');
    client.close();
  });

  it('cuts off a peer that sends but never reads, once maxBufferedBytes wait for it, instead of growing without end', async () => {
    const { server, wsUrl } = await serve({ limits: { maxBufferedBytes: 64 * 1024 } }, (s) => s.on(EVENT, (env) => env.payload));
    const { client } = await handshaken(wsUrl, [EVENT]);
    client.socket.pause(); // reads nothing more
    const frame = 'not json '.repeat(20); // each answered with an E-INVALID-ENVELOPE error frame
    let sent = 0;
    while (client.socket.readyState === 1 && sent < 200_000) {
      client.socket.send(frame);
      sent++;
      // Paced, so that the server answers as it reads (a burst would pass maxInFlight first).
      if (sent % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      if (server.sessions.size === 0) break;
    }
    const started = performance.now();
    while (server.sessions.size !== 0 && performance.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(server.sessions.size, 0, `the session ended (after ${sent} frames)`);
    client.socket.terminate();
  });

  it('lets no push of a newly negotiated SType reach the peer before the select that negotiated it', async () => {
    const { server, wsUrl } = await serve({}, (s) => s.on(EVENT, async (env) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return env.payload;
    }));
    const { client } = await handshaken(wsUrl, [EVENT]);
    client.send(await event('slow'));
    client.send({ type: 'ai-alpn-hello', version: '1.0', stypes: [EVENT, HEARTBEAT], qom_profiles: ['qom-basic'] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The hello is read, but its select waits behind the slow reply: the new SType cannot be pushed yet.
    const early = await server.broadcast(HEARTBEAT, { status: 'alive' });
    assert.equal(early.sent, 0);
    const frames = [await client.next(), await client.next()];
    assert.deepEqual(frames.map((f) => f.type ?? `reply ${f.stype}`), [`reply ${EVENT}`, 'ai-alpn-select']);
    const { sent } = await server.broadcast(HEARTBEAT, { status: 'alive' });
    assert.equal(sent, 1);
    assert.equal((await client.next()).stype, HEARTBEAT);
    client.close();
  });
});
