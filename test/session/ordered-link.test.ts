// A WebSocket session's ordered link at its edges, against real `ws` peers: pushes with
// `maxBuffered: 0`, an in-order peer that stalls past the places kept for late replies, a
// peer that names its replies but answers an error id-less after leaving one request
// unanswered, and a session the peer refuses (nothing may keep the process alive after).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectionError, MplError, SchemaFidelityError, Session, TimeoutError, semanticHash } from '../../src/index.ts';
import { assertExitsOnceClosed } from '../support/session-helpers.ts';

const STYPE = 'com.example.Status.v1'; // no schema, no payload type: any status goes
const STYPES = [STYPE];

interface Envelope { id: string; stype: string; payload: { status: string } }

/** A peer: it selects every SType offered, then gives each envelope to `onEnvelope`. */
async function peer(onEnvelope: (ws: WebSocket, envelope: Envelope) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  let connections = 0;
  wss.on('connection', (ws) => {
    connections++;
    let greeted = false;
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type?: string; stypes?: string[] } & Envelope;
      if (!greeted && message.type === 'ai-alpn-hello') {
        greeted = true;
        ws.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: message.stypes, selected_profile: null }));
        return;
      }
      onEnvelope(ws, message);
    });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`,
    get connections() { return connections; },
    close: () => new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close(() => resolve());
    }),
  };
}

const named = (envelope: Envelope, payload: unknown = envelope.payload) => JSON.stringify({ id: `r-${envelope.id}`, stype: envelope.stype, payload, in_reply_to: envelope.id });
const errors = () => {
  const seen: { source: string; error: Error }[] = [];
  return { seen, onError: (error: Error, context: { source: string }) => void seen.push({ source: context.source, error }) };
};

describe('an ordered WebSocket link at its edges', () => {
  it('with maxBuffered 0, discards a push that comes before listen(), says so, and delivers the next', async () => {
    let pushFrom: WebSocket | undefined;
    const server = await peer((ws, envelope) => {
      pushFrom = ws;
      ws.send(named(envelope));
    });
    const log = errors();
    const session = new Session({ endpoint: server.url, stypes: STYPES, maxBuffered: 0, onError: log.onError, autoValidate: false });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await session.connect();
      await session.send(STYPE, { status: 'one' });
      const push = async (id: string) => pushFrom!.send(JSON.stringify({ id, stype: STYPE, payload: { status: id }, sem_hash: await semanticHash({ status: id }) }));
      await push('before-listen');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const got: string[] = [];
      session.onMessage(STYPE, (envelope) => void got.push(envelope.id));
      const listening = session.listen();
      await push('after-listen');
      const started = performance.now();
      while (got.length === 0 && performance.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(got, ['after-listen']);
      assert.equal(log.seen.length, 1);
      assert.match(log.seen[0]!.error.message, /\(com\.example\.Status\.v1, id before-listen\) was discarded: more than 0 \(maxBuffered\) arrived before listen\(\)/);
      assert.equal((log.seen[0]!.error as MplError).code, 'E-OVERLOADED');
      await session.close();
      await listening;
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await server.close();
    }
  });

  it('drops a link whose in-order peer stalls past 1,024 timed-out requests, rather than match its replies by guess', async () => {
    let stalled = true;
    const backlog: (() => void)[] = [];
    const server = await peer((ws, envelope) => {
      // The proxy's id-less reply, in order.
      const reply = () => ws.send(JSON.stringify({ type: 'mpl-response', stype: envelope.stype, validation: { valid: true, schema_valid: true, qom_passed: true }, payload: envelope.payload }));
      if (stalled) backlog.push(reply);
      else reply();
    });
    const log = errors();
    const session = new Session({ endpoint: server.url, stypes: STYPES, onError: log.onError, autoValidate: false, reconnect: { minDelayMs: 10, maxDelayMs: 10 } });
    try {
      await session.connect();
      const early = await Promise.allSettled(Array.from({ length: 1030 }, (_, i) => session.send(STYPE, { status: `early-${i}` }, { timeoutMs: 150 })));
      // Each timed out, or (still waiting when the link was dropped) failed as maybe processed.
      assert.ok(early.every((r) => r.status === 'rejected' && (r.reason instanceof TimeoutError || r.reason instanceof ConnectionError)));
      assert.ok(early.filter((r) => r.status === 'rejected' && r.reason instanceof TimeoutError).length > 1024);
      const outOfStep = log.seen.filter((e) => /more than 1024 requests timed out/.test(e.error.message));
      assert.equal(outOfStep.length, 1, 'said once');
      assert.ok(outOfStep[0]!.error instanceof ConnectionError);
      // The link was dropped and opened again; the stalled peer's old replies went with the old link.
      await session.connect();
      assert.equal(server.connections, 2);
      stalled = false;
      for (const reply of backlog.splice(0)) reply();
      const live = await session.send(STYPE, { status: 'LIVE' }, { timeoutMs: 3000 });
      assert.deepEqual(live.payload, { status: 'LIVE' });
      assert.equal(session.stats.expired, 0);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('takes a link that went silent for three timed-out requests in a row for dead, and opens it again (a network change, a device that slept)', async () => {
    // The first connection answers once, then reads on and answers nothing (as a link whose
    // other end is gone: the TCP connection stays open on this side); later ones answer.
    const server = await peer((ws, envelope) => {
      if (envelope.payload.status === 'hello' || server.connections > 1) ws.send(named(envelope));
    });
    const log = errors();
    // silentMs: how long the link must also have said nothing (default 10 s); short here, as the time limits.
    const session = new Session({ endpoint: server.url, stypes: STYPES, onError: log.onError, autoValidate: false, reconnect: { minDelayMs: 10, maxDelayMs: 10, silentMs: 250 } });
    try {
      await session.connect();
      await session.send(STYPE, { status: 'hello' });
      for (let i = 0; i < 2; i++) {
        await assert.rejects(session.send(STYPE, { status: `lost-${i}` }, { timeoutMs: 100 }), TimeoutError);
        assert.equal(server.connections, 1, 'one or two silent timeouts prove nothing yet');
      }
      await assert.rejects(session.send(STYPE, { status: 'lost-2' }, { timeoutMs: 100 }), TimeoutError);
      const dead = log.seen.filter((e) => / went silent: nothing came while 3 requests in a row timed out; reconnecting/.test(e.error.message));
      assert.equal(dead.length, 1, log.seen.map((e) => e.error.message).join('\n'));
      assert.ok(dead[0]!.error instanceof ConnectionError);
      assert.equal(dead[0]!.source, 'connection');
      await session.connect(); // waits for the new link's handshake
      assert.equal(server.connections, 2);
      assert.deepEqual((await session.send(STYPE, { status: 'back' }, { timeoutMs: 3000 })).payload, { status: 'back' });
      assert.equal(session.stats.reconnections, 1);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('keeps a link whose requests time out together (one window of silence), or whose peer says anything between timeouts', async () => {
    let pushFrom: WebSocket | undefined;
    const server = await peer((ws) => {
      pushFrom = ws; // never answers a request
    });
    const log = errors();
    const session = new Session({ endpoint: server.url, stypes: STYPES, onError: log.onError, autoValidate: false, reconnect: { minDelayMs: 10, maxDelayMs: 10, silentMs: 1 } });
    try {
      await session.connect();
      // A burst of ten that times out at once: one window.
      const burst = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => session.send(STYPE, { status: `burst-${i}` }, { timeoutMs: 100 })));
      assert.ok(burst.every((r) => r.status === 'rejected' && r.reason instanceof TimeoutError));
      // Five more one after the other, the peer pushing an envelope before each: alive, only slow.
      for (let i = 0; i < 5; i++) {
        pushFrom!.send(JSON.stringify({ id: `push-${i}`, stype: STYPE, payload: { status: 'busy' }, sem_hash: await semanticHash({ status: 'busy' }) }));
        await new Promise((resolve) => setTimeout(resolve, 20));
        await assert.rejects(session.send(STYPE, { status: `slow-${i}` }, { timeoutMs: 100 }), TimeoutError);
      }
      assert.equal(server.connections, 1);
      assert.equal(session.stats.reconnections, 0);
      assert.deepEqual(log.seen.filter((e) => e.source === 'connection'), []);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('after taking a black-holed link for dead, close() leaves nothing of it: the old socket, whose close frame is never answered, is terminated', async () => {
    const server = await peer((ws, envelope) => ws.send(named(envelope)));
    // A proxy whose first connection starts dropping everything both ways on demand (a NAT
    // that forgot the flow): the socket stays open on both sides, nothing goes through.
    const { createServer, connect } = await import('node:net');
    let hole = false;
    let firstClosed = false;
    let accepted = 0;
    const sockets: { destroy(): void }[] = [];
    const target = Number(new URL(server.url).port);
    const proxy = createServer((client) => {
      const first = ++accepted === 1;
      sockets.push(client);
      const upstream = connect(target, '127.0.0.1');
      client.on('data', (data) => { if (!(first && hole)) upstream.write(data); });
      upstream.on('data', (data) => { if (!(first && hole)) client.write(data); });
      client.on('error', () => {});
      upstream.on('error', () => {});
      client.on('close', () => { if (first) firstClosed = true; upstream.destroy(); });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(proxy.address() as { port: number }).port}/ws`;
    const session = new Session({ endpoint: url, stypes: STYPES, onError: () => {}, autoValidate: false, reconnect: { minDelayMs: 10, maxDelayMs: 10, silentMs: 200 } });
    try {
      await session.connect();
      await session.send(STYPE, { status: 'through' });
      hole = true;
      for (let i = 0; i < 3; i++) await assert.rejects(session.send(STYPE, { status: `lost-${i}` }, { timeoutMs: 100 }), TimeoutError);
      await session.connect();
      assert.deepEqual((await session.send(STYPE, { status: 'again' }, { timeoutMs: 3000 })).payload, { status: 'again' });
      assert.equal(accepted, 2);
      await session.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(firstClosed, true, 'the old socket is gone once close() resolved (ws would keep it 30 s)');
    } finally {
      await session.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await server.close();
    }
  });

  it('keeps the link of a live peer slower than the time limits (silentMs), and of a session that does not reconnect', async () => {
    // An in-order peer whose every answer takes 350 ms, asked with 100 ms time limits: three
    // silent timeouts in a row, but not silentMs (default 10 s) of silence.
    const slow = await peer((ws, envelope) => void setTimeout(() => ws.send(named(envelope)), 350));
    const log = errors();
    const session = new Session({ endpoint: slow.url, stypes: STYPES, onError: log.onError, autoValidate: false });
    try {
      await session.connect();
      for (let i = 0; i < 4; i++) await assert.rejects(session.send(STYPE, { status: `slow-${i}` }, { timeoutMs: 100 }), TimeoutError);
      assert.deepEqual((await session.send(STYPE, { status: 'patient' }, { timeoutMs: 5000 })).payload, { status: 'patient' });
      assert.equal(slow.connections, 1);
      assert.deepEqual(log.seen.filter((e) => e.source === 'connection'), []);
    } finally {
      await session.close();
      await slow.close();
    }
    // With reconnection off a silent link is left to its time limits: the session stays open.
    const mute = await peer(() => {});
    for (const reconnect of [false, { maxRetries: 0, silentMs: 1 }] as const) {
      const quiet = errors();
      const single = new Session({ endpoint: mute.url, stypes: STYPES, onError: quiet.onError, autoValidate: false, reconnect });
      try {
        await single.connect();
        for (let i = 0; i < 4; i++) await assert.rejects(single.send(STYPE, { status: `mute-${i}` }, { timeoutMs: 60 }), TimeoutError);
        assert.equal(single.isConnected, true, JSON.stringify(reconnect));
        assert.deepEqual(quiet.seen.filter((e) => e.source === 'connection'), []);
      } finally {
        await single.close();
      }
    }
    await mute.close();
  });

  it('lets go of a timed-out request\'s place once the peer names a later reply: an id-less error then reaches its own request at once', async () => {
    const server = await peer((ws, envelope) => {
      const { status } = envelope.payload;
      if (status === 'never answered') return;
      if (status === 'bad') return void ws.send(JSON.stringify({ error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['Schema error at /status: bad'] }));
      ws.send(named(envelope));
    });
    const log = errors();
    const session = new Session({ endpoint: server.url, stypes: STYPES, onError: log.onError, autoValidate: false });
    try {
      await session.connect();
      await assert.rejects(session.send(STYPE, { status: 'never answered' }, { timeoutMs: 100 }), TimeoutError);
      assert.equal(session.stats.expired, 1);
      await session.send(STYPE, { status: 'ok' });
      assert.equal(session.stats.expired, 0, 'the place before the named reply is let go');
      const started = performance.now();
      await assert.rejects(session.send(STYPE, { status: 'bad' }, { timeoutMs: 3000 }), SchemaFidelityError);
      assert.ok(performance.now() - started < 1000, 'at once, not at its time limit');
      assert.deepEqual(log.seen, []);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('leaves nothing to keep the process alive once a peer refuses the session (no backoff sleep after close)', async () => {
    // In a child process: the server closes the link with 4001 (a refusal: the session closes, no reconnect),
    // with reconnection delays of 8 s that must never start.
    const script = `
      import { WebSocketServer } from 'ws';
      import { Session } from ${JSON.stringify(fileURLToPath(new URL('../../src/index.ts', import.meta.url)))};
      const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      await new Promise((r) => wss.once('listening', r));
      wss.on('connection', (ws) => {
        ws.once('message', (data) => {
          const hello = JSON.parse(String(data));
          ws.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: hello.stypes, selected_profile: null }));
          setTimeout(() => ws.close(4001, 'go away'), 50);
        });
      });
      const session = new Session({ endpoint: 'ws://127.0.0.1:' + wss.address().port + '/ws', stypes: ['org.agent.Heartbeat.v1'], onError: () => {}, reconnect: { minDelayMs: 8000, maxDelayMs: 8000 } });
      await session.connect();
      while (session.isConnected) await new Promise((r) => setTimeout(r, 10));
      await session.close();
      await new Promise((r) => wss.close(r));
      console.log('closed');
    `;
    // Before the fix the process lived on for the 8 s backoff the closed session had started.
    await assertExitsOnceClosed(script);
  });

  it('gives each connect() made while connecting its own signal: one caller\'s cancel rejects that call only; the attempt stops when all have', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    let hellos = 0;
    wss.on('connection', (ws) => ws.once('message', (data) => {
      hellos++;
      const hello = JSON.parse(String(data)) as { stypes: string[] };
      setTimeout(() => ws.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: hello.stypes, selected_profile: null })), 300);
    }));
    const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`;
    try {
      // B cancels; A (its own signal) and C (none) connect.
      let session = new Session({ endpoint: url, stypes: STYPES });
      const a = new AbortController();
      const b = new AbortController();
      const reason = new Error('caller B gave up');
      const calls = [session.connect({ signal: a.signal }), session.connect({ signal: b.signal }), session.connect()];
      setTimeout(() => b.abort(reason), 50);
      const [ra, rb, rc] = await Promise.allSettled(calls) as [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
      assert.equal(ra.status, 'fulfilled');
      assert.ok(rb.status === 'rejected' && rb.reason === reason);
      assert.equal(rc.status, 'fulfilled');
      await session.close();
      // Every caller gave a signal, and all cancel: the attempt stops, each call rejects with its own reason.
      session = new Session({ endpoint: url, stypes: STYPES, reconnect: false });
      const first = new AbortController();
      const second = new AbortController();
      const both = [session.connect({ signal: first.signal }), session.connect({ signal: second.signal })];
      setTimeout(() => { first.abort(new Error('first')); second.abort(new Error('second')); }, 50);
      const [r1, r2] = await Promise.allSettled(both) as [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
      assert.ok(r1.status === 'rejected' && (r1.reason as Error).message === 'first');
      assert.ok(r2.status === 'rejected' && (r2.reason as Error).message === 'second');
      assert.equal(session.isConnected, false);
      await session.close();
      assert.equal(hellos, 2);
    } finally {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
