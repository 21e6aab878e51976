import { createServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, NegotiationError, Session, TimeoutError, type MplEnvelope, type NegotiatedCapabilities, type SessionConfig } from '../../src/index.ts';
import { reconnectDelay } from '../../src/session/backoff.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EMPTY_STATS, EVENT, assertExitsOnceClosed, closeAfter, errorLog, settle, waitUntil, within } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'];
const FAST = { minDelayMs: 20, maxDelayMs: 100, growFactor: 1.5 };
const plan = (n: number): Record<string, unknown> => ({ id: `plan-${n}`, title: `plan ${n}`, objective: 'survive a restart' });

/**
 * A connected session whose link the server drops once `next` has set how the server
 * answers from then on; resolves when the session has seen the drop (it is reconnecting).
 */
async function droppedSession(t: Parameters<typeof closeAfter>[0], next: (server: TestServer) => void, config: Partial<SessionConfig> = {}) {
  const server = await startTestServer();
  const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: { minDelayMs: 300, maxDelayMs: 300 }, onError: errorLog().onError, ...config });
  closeAfter(t, session, server);
  const before = await session.connect();
  next(server);
  server.dropConnections();
  await waitUntil(() => !session.isConnected, 'the drop');
  return { server, session, before };
}

describe('reconnect', () => {
  it('survives a server that drops mid-request and restarts on the same port', async (t) => {
    const server = await startTestServer({ reply: 'silent' });
    let restarted: Awaited<ReturnType<typeof startTestServer>> | undefined;
    const log = errorLog();
    const reconnected: NegotiatedCapabilities[] = [];
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST, onError: log.onError, onReconnect: (caps) => reconnected.push(caps) });
    closeAfter(t, session, server, { close: async () => restarted?.close() });
    await session.connect();
    const seen: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', (env: MplEnvelope<{ id: string }>) => { seen.push(env.payload.id); });
    const listening = session.listen();
    await server.push('org.agent.TaskPlan.v1', plan(1));
    await waitUntil(() => seen.length === 1, 'first push');

    const inflight = settle(session.send('org.calendar.Event.v1', { ...EVENT, title: 'in flight' }));
    await server.waitForReceived(2);
    await server.close();
    const { error } = await within(inflight, 'the in-flight send to fail');
    assert.ok(error instanceof ConnectionError, String(error));
    assert.match(error.message, /may or may not have been processed/);
    assert.equal(error.details['maybeProcessed'], true);
    await waitUntil(() => !session.isConnected, 'the drop to be seen');

    const queued = ['q1', 'q2', 'q3'].map((title) => session.send('org.calendar.Event.v1', { ...EVENT, title }));
    await waitUntil(() => session.stats.queued === 3, 'three sends in the outbox');
    assert.equal(session.stats.pending, 0);

    restarted = await startTestServer({ port: server.port });
    try {
      const replies = await within(Promise.all(queued), 'the queued sends to be answered');
      assert.deepEqual(replies.map((r) => r.getPayload<{ title: string }>().title), ['q1', 'q2', 'q3']);
      const kinds = restarted.received.map((r) => (r.data as { type?: string; stype?: string }).type ?? (r.data as { stype: string }).stype);
      assert.deepEqual(kinds, ['ai-alpn-hello', 'org.calendar.Event.v1', 'org.calendar.Event.v1', 'org.calendar.Event.v1'], 'the hello first, then the outbox');
      assert.equal(reconnected.length, 1);
      assert.deepEqual(reconnected[0]?.commonStypes, STYPES);
      assert.equal(session.isConnected, true);
      assert.equal(session.stats.reconnections, 1);

      await restarted.push('org.agent.TaskPlan.v1', plan(2));
      await waitUntil(() => seen.length === 2, 'a push after the restart');
      assert.deepEqual(seen, ['plan-1', 'plan-2'], 'handlers and listen() survived');
      assert.ok(log.errors.some((e) => e.source === 'connection' && /dropped/.test(e.error.message)));
      assert.deepEqual({ ...session.stats, reconnections: 0 }, EMPTY_STATS);
    } finally {
      await session.close();
      await within(listening, 'listen() to resolve on close');
    }
  });

  it('says the link\'s own news by default in one console.warn line each (its message), not a stack trace per attempt', async (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const error = t.mock.method(console, 'error', () => {});
    const server = await startTestServer();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST }); // the default onError
    closeAfter(t, session, server);
    await session.connect();
    await server.close();
    await waitUntil(() => warn.mock.callCount() >= 3, 'the drop and two failed attempts');
    await session.close();
    for (const call of warn.mock.calls) {
      assert.equal(call.arguments.length, 1);
      assert.match(String(call.arguments[0]), /^\[mpl-sdk\] connection: (WebSocket to |Reconnection attempt )/);
    }
    assert.equal(error.mock.callCount(), 0);
  });

  it('times out a send that waits in the outbox, and removes it', async (t) => {
    const server = await startTestServer();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST, onError: errorLog().onError });
    closeAfter(t, session, server);
    await session.connect();
    await server.close();
    await waitUntil(() => !session.isConnected, 'the drop');
    const error = await within(session.send('org.calendar.Event.v1', EVENT, { timeoutMs: 100 }).then(() => undefined, (e: unknown) => e), 'the outbox timeout');
    assert.ok(error instanceof TimeoutError);
    // It says it was never sent, and why: the session could not reconnect (the last attempt's failure).
    assert.match(error.message, new RegExp(`^send org\\.calendar\\.Event\\.v1 timed out after 100 ms without being sent: the session was reconnecting to ${server.wsUrl.replace(/[.]/g, '\\.')} \\(.*(ECONNREFUSED|dropped).*\\)$`));
    assert.equal(error.details['sent'], false);
    assert.equal(error.stack?.split('\n')[0], `TimeoutError: ${error.message}`);
    assert.equal(session.stats.queued, 0);
    assert.equal(session.stats.timers, 0);
    await session.close();
  });

  it('gives up after maxRetries: closes, rejects the outbox, resolves listen()', async (t) => {
    const server = await startTestServer();
    const log = errorLog();
    // Queued from the drop's own report, before the first retry: a poll for the drop could
    // come after both retries (tens of ms) on a busy machine, when the session is already closed.
    // The send before the drop loads the schema and the hasher, so this one reaches the outbox
    // within the report itself (a first send waits for them, and could outlast both retries).
    let queued: Promise<{ value?: unknown; error?: unknown }> | undefined;
    const onError: typeof log.onError = (error, context) => {
      log.onError(error, context);
      queued ??= settle(session.send('org.calendar.Event.v1', EVENT));
    };
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: { ...FAST, maxRetries: 2 }, onError });
    closeAfter(t, session, server);
    await session.connect();
    await session.send('org.calendar.Event.v1', EVENT);
    const listening = session.listen();
    await server.close();
    await within(listening, 'listen() to resolve after giving up');
    assert.ok(queued, 'the drop was reported');
    const { error } = await within(queued, 'the queued send to fail');
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /was not sent/);
    assert.ok(log.errors.some((e) => /gave up after 2 reconnection attempts/.test(e.error.message)));
    await assert.rejects(session.send('org.calendar.Event.v1', EVENT), /closed/);
  });

  // `reconnect: false` was once read as `{}` (its `enabled` undefined, so on): it is the short form of `{ enabled: false }`.
  for (const reconnect of [{ enabled: false }, false] as const) {
    it(`closes on a drop when reconnection is disabled (reconnect: ${JSON.stringify(reconnect)})`, async (t) => {
      const server = await startTestServer();
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect, onError: errorLog().onError });
      closeAfter(t, session, server);
      await session.connect();
      const listening = session.listen();
      server.dropConnections();
      await within(listening, 'listen() to resolve on the drop');
      assert.equal(session.isConnected, false);
      await assert.rejects(session.send('org.calendar.Event.v1', EVENT), /closed/);
      assert.equal(session.stats.reconnections, 0);
      await server.close();
    });
  }

  it('gives up an endpoint or query function that hangs during a reconnection after timeoutMs, says so, and calls it again', async (t) => {
    for (const which of ['endpoint', 'query'] as const) {
      const server = await startTestServer();
      const log = errorLog();
      let calls = 0;
      // The second call (the first reconnection's) never settles: a token service that hangs.
      const hangSecond = <T>(value: T): T | Promise<T> => (++calls === 2 ? new Promise<T>(() => {}) : value);
      const session = new Session({
        endpoint: which === 'endpoint' ? () => hangSecond(server.wsUrl) : server.wsUrl,
        ...(which === 'query' ? { query: () => hangSecond({ token: `t${calls}` }) } : {}),
        stypes: STYPES, timeoutMs: 300, reconnect: FAST, onError: log.onError,
      });
      closeAfter(t, session, server);
      await session.connect();
      server.dropConnections();
      await waitUntil(() => session.stats.reconnections === 1, `the reconnection after the ${which} function hung`);
      assert.equal(calls, 3, which);
      assert.ok(log.errors.some(({ error, source }) => source === 'connection' && /reconnect \(endpoint and query\)/.test(`${error.message} ${(error as Error & { cause?: Error }).cause?.message}`)), log.errors.map((e) => e.error.message).join('\n'));
      assert.equal((await session.send('org.calendar.Event.v1', EVENT)).stype, 'org.calendar.Event.v1');
      await session.close();
      assert.equal(session.stats.timers, 0);
      await server.close();
    }
  });

  it('with timeoutMs: Infinity each step of a reconnection still ends (30 s): an endpoint function that hangs, a host that never answers the upgrade, a server that never answers the hello', { timeout: 90_000 }, async (t) => {
    const good = await startTestServer();
    const mute = await startTestServer({ handshake: 'silent' });
    // Accepts TCP and never answers the upgrade.
    const blackHole = createServer((socket) => { held.push(socket); });
    const held: Socket[] = [];
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const blackHoleUrl = `ws://127.0.0.1:${(blackHole.address() as AddressInfo).port}/ws`;
    t.after(() => { for (const socket of held) socket.destroy(); blackHole.close(); });
    // The second call of each session's endpoint function (its first reconnection) meets the trouble; the third gets the good server.
    const troubles = {
      'endpoint function': () => new Promise<string>(() => {}),
      'upgrade': () => blackHoleUrl,
      'hello': () => mute.wsUrl,
    };
    const started = Date.now();
    await Promise.all(Object.entries(troubles).map(async ([what, trouble]) => {
      let calls = 0;
      const log = errorLog();
      const session = new Session({
        endpoint: () => (++calls === 2 ? trouble() : good.wsUrl),
        stypes: STYPES, timeoutMs: Infinity, reconnect: FAST, onError: log.onError,
      });
      closeAfter(t, session);
      await session.connect();
      return { what, session, log, calls: () => calls };
    })).then(async (sessions) => {
      good.dropConnections();
      await Promise.all(sessions.map(({ what, session }) => waitUntil(() => session.stats.reconnections === 1, `the reconnection after the ${what} hung`, 60_000)));
      const took = Date.now() - started;
      assert.ok(took >= 25_000, `given up after the 30 s limit, not at once (${took} ms)`);
      for (const { what, session, log, calls } of sessions) {
        assert.equal(calls(), 3, what);
        assert.ok(log.errors.some(({ source }) => source === 'connection'), `${what}: the failed attempt is said`);
        assert.equal((await session.send('org.calendar.Event.v1', EVENT)).stype, 'org.calendar.Event.v1', what);
        await session.close();
      }
    });
    await Promise.all([good.close(), mute.close()]);
  });

  it('close() while a reconnection waits for an endpoint function that hangs ends the wait: nothing is left to hold the process', async () => {
    // In a child process: the second call of the endpoint function (the reconnection's) never settles; its wait would last timeoutMs (8 s).
    const script = `
      import { WebSocketServer } from 'ws';
      import { Session } from ${JSON.stringify(fileURLToPath(new URL('../../src/index.ts', import.meta.url)))};
      const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
      await new Promise((r) => wss.once('listening', r));
      wss.on('connection', (ws) => ws.once('message', (data) => {
        ws.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: JSON.parse(String(data)).stypes, selected_profile: null }));
      }));
      let calls = 0;
      const url = 'ws://127.0.0.1:' + wss.address().port + '/ws';
      const session = new Session({ endpoint: () => (++calls === 2 ? new Promise(() => {}) : url), stypes: ['org.agent.Heartbeat.v1'], onError: () => {}, timeoutMs: 8000, reconnect: { minDelayMs: 10, maxDelayMs: 20 } });
      await session.connect();
      for (const ws of wss.clients) ws.terminate();
      while (calls < 2) await new Promise((r) => setTimeout(r, 10));
      await session.close();
      await new Promise((r) => wss.close(r));
      console.log('closed');
    `;
    await assertExitsOnceClosed(script);
  });

  it('an async onReconnect that rejects is reported to onError (source handler); an async onError that rejects goes to console.error: neither is an unhandled rejection', async (t) => {
    const server = await startTestServer();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    const logged: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => { logged.push(args); };
    const reported: Array<{ message: string; source: string }> = [];
    try {
      const session = new Session({
        endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST,
        onReconnect: async () => { throw new Error('resubscribe failed'); },
        onError: async (error, { source }) => {
          reported.push({ message: error.message, source });
          if (source === 'handler') throw new Error('the log service is down');
        },
      });
      closeAfter(t, session, server);
      await session.connect();
      server.dropConnections();
      await waitUntil(() => logged.length > 0, 'the rejected onError to reach console.error');
      assert.ok(reported.some((r) => r.source === 'handler' && r.message === 'resubscribe failed'), JSON.stringify(reported));
      assert.match(String((logged[0]![2] as Error).message), /the log service is down/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(unhandled, []);
      await session.close();
    } finally {
      console.error = consoleError;
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('calls the URL and query functions again before every connection (fresh tokens)', async (t) => {
    const server = await startTestServer();
    let tokens = 0;
    const session = new Session({ endpoint: () => server.wsUrl, query: async () => ({ token: `t${++tokens}` }), stypes: STYPES, reconnect: FAST, onError: errorLog().onError });
    closeAfter(t, session, server);
    await session.connect();
    server.dropConnections();
    await waitUntil(() => session.stats.reconnections === 1, 'the reconnection');
    const paths = server.received.filter((r) => (r.data as { type?: string }).type === 'ai-alpn-hello').map((r) => r.path);
    assert.deepEqual(paths, ['/ws?token=t1', '/ws?token=t2']);
    await session.close();
    await server.close();
  });

  it('closes with NegotiationError when the restarted server no longer shares any SType', async (t) => {
    const server = await startTestServer();
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST, onError: log.onError });
    closeAfter(t, session, server);
    await session.connect();
    const listening = session.listen();
    server.behaviour.stypes = ['com.other.Thing.v1'];
    server.dropConnections();
    await within(listening, 'listen() to resolve after the refused handshake');
    assert.ok(log.errors.some((e) => e.error instanceof NegotiationError));
    assert.equal(session.isConnected, false);
    await server.close();
  });

  // Neither is a refusal: the link is dropped and opened again, each failure reported, until a hello is accepted.
  const UNACCEPTED = [
    { mode: 'silent', what: 'times out', isCause: (cause: unknown) => cause instanceof TimeoutError },
    {
      mode: 'garbage', what: 'is answered with something that is not AI-ALPN',
      isCause: (cause: unknown) => cause instanceof NegotiationError && /not answer the hello with an AI-ALPN reply/.test(cause.message),
    },
  ] as const;
  for (const { mode, what, isCause } of UNACCEPTED) {
    it(`re-runs a reconnection's handshake that ${what}, and recovers`, async (t) => {
      const log = errorLog();
      // timeoutMs: long enough for connect() on a busy machine; the silent handshake times out all the same.
      const { server, session } = await droppedSession(t, (s) => { s.behaviour.handshake = mode; }, { reconnect: FAST, timeoutMs: 1000, onError: log.onError });
      const failed = () => log.errors.filter((e) => /Handshake after reconnecting/.test(e.error.message)).map((e) => e.error);
      await waitUntil(() => failed().length >= 2, 'two failed handshakes, each reported');
      assert.ok(failed().every((error) => error instanceof ConnectionError && isCause(error.cause)));
      assert.ok(!log.errors.some((e) => e.error instanceof NegotiationError), 'not taken for a refusal');
      server.behaviour.handshake = 'ai-alpn-select';
      await waitUntil(() => session.isConnected, 'the recovery');
      assert.equal((await session.send('org.calendar.Event.v1', EVENT, { timeoutMs: 5000 })).stype, 'org.calendar.Event.v1');
      await session.close();
      await server.close();
    });
  }

  it('gives up after maxRetries when every reconnection\'s hello is answered with something that is not AI-ALPN', async (t) => {
    const server = await startTestServer();
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: { ...FAST, maxRetries: 3 }, onError: log.onError });
    closeAfter(t, session, server);
    await session.connect();
    const listening = session.listen();
    server.behaviour.handshake = 'garbage';
    server.dropConnections();
    await within(listening, 'listen() to resolve after giving up');
    assert.equal(session.isConnected, false);
    assert.ok(log.errors.some((e) => /gave up after 3 reconnection attempts/.test(e.error.message)), log.errors.map((e) => e.error.message).join('\n'));
    const hellos = server.received.filter((r) => (r.data as { type?: string }).type === 'ai-alpn-hello').length;
    assert.equal(hellos, 1 + 3, 'the first connection and three attempts');
    await assert.rejects(session.send('org.calendar.Event.v1', EVENT), /closed/);
    await server.close();
  });

  it('connect() while the session reconnects waits for the new link\'s handshake and returns its capabilities', async (t) => {
    // The restarted server shares less.
    const { server, session, before } = await droppedSession(t, (s) => { s.behaviour.stypes = ['org.agent.TaskPlan.v1']; });
    assert.deepEqual(before.commonStypes, STYPES);
    const after = await within(session.connect(), 'connect() to resolve once reconnected');
    assert.deepEqual(after.commonStypes, ['org.agent.TaskPlan.v1']);
    assert.equal(session.isConnected, true);
    assert.equal(session.stats.reconnections, 1);
    assert.deepEqual(session.capabilities?.commonStypes, ['org.agent.TaskPlan.v1']);
    await session.close();
    await server.close();
  });

  it('connect() while the session reconnects gives up after timeoutMs without stopping the reconnection, and fails at once on close()', async (t) => {
    const { server, session } = await droppedSession(t, (s) => { s.behaviour.handshake = 'silent'; }, { reconnect: FAST, timeoutMs: 400 });
    const { error } = await within(settle(session.connect()), 'connect() to give up');
    assert.ok(error instanceof ConnectionError, String(error));
    assert.ok(error.cause instanceof TimeoutError);
    assert.match(error.message, /No AI-ALPN handshake .* within 400 ms/);
    server.behaviour.handshake = 'ai-alpn-select';
    await waitUntil(() => session.isConnected, 'the reconnection, which went on');
    server.behaviour.handshake = 'silent';
    server.dropConnections();
    await waitUntil(() => !session.isConnected, 'the second drop');
    const waiting = settle(session.connect());
    await session.close();
    const closed = await within(waiting, 'connect() to fail on close()');
    assert.ok(closed.error instanceof ConnectionError && /Session is closed \(connect\(\)\)/.test(closed.error.message), String(closed.error));
    await server.close();
  });

  it('connect() while the session reconnects gets the NegotiationError of a refused handshake, as a first connect() would', async (t) => {
    const { server, session } = await droppedSession(t, (s) => { s.behaviour.handshake = 'error'; });
    const { error } = await within(settle(session.connect()), 'connect() to fail on the refusal');
    assert.ok(error instanceof NegotiationError, String(error));
    assert.equal(error.reason, 'incompatible');
    assert.match(error.message, /No compatible STypes/);
    await assert.rejects(session.connect(), (e: unknown) => e instanceof ConnectionError && /Session is closed \(connect\(\)\)/.test(e.message));
    await server.close();
  });

  it('close() during the backoff stops everything at once', async (t) => {
    const server = await startTestServer();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 }, onError: errorLog().onError });
    closeAfter(t, session, server);
    await session.connect();
    await server.close();
    await waitUntil(() => !session.isConnected, 'the drop');
    const queued = settle(session.send('org.calendar.Event.v1', EVENT));
    const started = Date.now();
    await session.close();
    assert.ok(Date.now() - started < 500);
    assert.ok((await within(queued, 'the queued send to fail on close')).error instanceof ConnectionError);
    assert.deepEqual(session.stats, EMPTY_STATS);
  });

  it('waits (jittered) before the first reconnection too, so dropped clients do not return together', async (t) => {
    const server = await startTestServer();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: { minDelayMs: 300, maxDelayMs: 300 }, onError: errorLog().onError });
    closeAfter(t, session, server);
    await session.connect();
    const dropped = Date.now();
    server.dropConnections();
    await waitUntil(() => session.stats.reconnections === 1, 'the reconnection');
    const waited = Date.now() - dropped;
    assert.ok(waited >= 150 && waited < 2000, `waited ${waited} ms; expected 150..300 plus the handshake`);
    await session.close();
    await server.close();
  });

  it('jitters the backoff: a random point in the upper half of an exponentially growing, capped delay', () => {
    const options = { enabled: true, minDelayMs: 100, maxDelayMs: 1000, growFactor: 2, maxRetries: Infinity };
    assert.equal(reconnectDelay(0, options), 0);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => reconnectDelay(n, options, () => 1)), [100, 200, 400, 800, 1000]);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => reconnectDelay(n, options, () => 0)), [50, 100, 200, 400, 500]);
    const samples = new Set(Array.from({ length: 20 }, () => reconnectDelay(3, options)));
    assert.ok(samples.size > 1, 'not every client waits the same time');
  });
});
