import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, NegotiationError, Session } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EMPTY_STATS, EVENT, errorLog, settle, waitUntil } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1'];

describe('lifecycle: close() in every phase, await using', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  it('null for an options argument (plain JavaScript) means no options, as undefined does, in connect, send and listen', async () => {
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: errorLog().onError });
    const caps = await session.connect(null as never);
    assert.ok(caps.commonStypes.includes('org.calendar.Event.v1'));
    const reply = await session.send('org.calendar.Event.v1', EVENT, null as never);
    assert.equal(reply.stype, 'org.calendar.Event.v1');
    const listening = session.listen(null as never);
    await session.close();
    await listening;
  });

  it('close() before connect(): idempotent, and connect() then refuses', async () => {
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
    const first = session.close();
    assert.equal(session.close(), first, 'the same promise');
    await first;
    await assert.rejects(session.connect(), (e: unknown) => e instanceof ConnectionError && /closed/.test(e.message));
  });

  it('close() while the endpoint function is still resolving', async () => {
    let release = (): void => {};
    const session = new Session({ endpoint: () => new Promise<string>((resolve) => { release = () => resolve(server.wsUrl); }), stypes: STYPES });
    const connecting = settle(session.connect());
    await session.close();
    release();
    assert.ok((await connecting).error instanceof ConnectionError);
    assert.equal(server.sockets.size, 0);
    assert.deepEqual(session.stats, EMPTY_STATS);
  });

  for (const kind of ['ws', 'http'] as const) {
    it(`close() while waiting for the handshake (${kind})`, async () => {
      server.behaviour.handshake = 'silent';
      try {
        const session = new Session({ endpoint: kind === 'ws' ? server.wsUrl : server.httpUrl, stypes: STYPES });
        const connecting = settle(session.connect());
        await waitUntil(() => server.received.some((r) => (r.data as { type?: string }).type === 'ai-alpn-hello' && r.transport === kind), 'the hello');
        await session.close();
        const { error } = await connecting;
        assert.ok(error instanceof ConnectionError, String(error));
        assert.deepEqual(session.stats, EMPTY_STATS);
      } finally {
        server.behaviour.handshake = 'ai-alpn-select';
        server.received.length = 0;
      }
    });

    it(`close() with requests on the wire rejects them with ConnectionError (${kind})`, async () => {
      server.behaviour.reply = 'silent';
      try {
        const session = new Session({ endpoint: kind === 'ws' ? server.wsUrl : server.httpUrl, stypes: STYPES });
        await session.connect();
        const sends = [1, 2, 3].map(() => settle(session.send('org.calendar.Event.v1', EVENT)));
        await waitUntil(() => session.stats.pending === 3, 'three on the wire');
        await session.close();
        for (const { error } of await Promise.all(sends)) {
          assert.ok(error instanceof ConnectionError);
          assert.match(error.message, /Session closed while org\.calendar\.Event\.v1 request .* awaited its reply/);
        }
        assert.deepEqual(session.stats, EMPTY_STATS);
      } finally {
        server.behaviour.reply = 'in-reply-to';
      }
    });
  }

  it('close() while sends wait in the outbox rejects them as not sent', async () => {
    const other = await startTestServer();
    const session = new Session({ endpoint: other.wsUrl, stypes: STYPES, reconnect: { minDelayMs: 10_000 }, onError: errorLog().onError });
    await session.connect();
    await other.close();
    await waitUntil(() => !session.isConnected, 'the drop');
    const queued = settle(session.send('org.calendar.Event.v1', EVENT));
    await waitUntil(() => session.stats.queued === 1, 'queued');
    await session.close();
    const { error } = await queued;
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /was waiting to be sent \(it was not sent\)/);
  });

  it('close() while listening resolves listen(); close() from a handler works too', async () => {
    const session = new Session({ endpoint: server.wsUrl, stypes: ['org.agent.Heartbeat.v1'] });
    await session.connect();
    session.onMessage('org.agent.Heartbeat.v1', () => session.close());
    const listening = session.listen();
    await server.push('org.agent.Heartbeat.v1', { status: 'alive' });
    await listening;
    assert.equal(session.isConnected, false);
  });

  it('close() after a failed connect() is fine', async () => {
    server.behaviour.handshake = 'error';
    try {
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
      await assert.rejects(session.connect(), NegotiationError);
      await session.close();
      await session.close();
    } finally {
      server.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('await using closes the session at the end of the block (the seed\'s async with)', async () => {
    let outside: Session | undefined;
    {
      await using session = await Session.open({ endpoint: server.wsUrl, stypes: STYPES });
      outside = session;
      assert.equal(session.isConnected, true);
      await server.waitForSockets(1);
      const reply = await session.send('org.calendar.Event.v1', EVENT);
      assert.equal(reply.stype, 'org.calendar.Event.v1');
    }
    assert.equal(outside.isConnected, false);
    await waitUntil(() => server.sockets.size === 0, 'the socket to close');
  });

  it('Session.open() closes what it opened when the handshake fails', async () => {
    server.behaviour.handshake = 'error';
    try {
      await assert.rejects(Session.open({ endpoint: server.wsUrl, stypes: STYPES }), NegotiationError);
      await waitUntil(() => server.sockets.size === 0, 'no socket left');
    } finally {
      server.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('connect() twice at once makes one connection; again once connected returns the capabilities', async () => {
    const before = server.received.length;
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
    const [a, b] = await Promise.all([session.connect(), session.connect()]);
    assert.equal(a, b);
    assert.equal(await session.connect(), a);
    assert.equal(server.received.length - before, 1, 'one hello');
    await session.close();
  });
});
