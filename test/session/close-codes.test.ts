// A server that closes deliberately (1008, 1003, 4000–4999) is not fought with reconnections.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionError, Session, defaultShouldReconnect } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EVENT, closeAfter, errorLog, settle, waitUntil, within } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1'];
const FAST = { minDelayMs: 20, maxDelayMs: 40 };

function closeAll(server: TestServer, code: number, reason: string): void {
  for (const socket of server.sockets) socket.close(code, reason);
}

describe('reconnect: close codes', () => {
  for (const [code, reason] of [[1008, 'token expired'], [4001, 'unauthorized']] as const) {
    it(`stops and closes the session with a ConnectionError naming ${code} and its reason`, async () => {
      const server = await startTestServer({ reply: 'silent' });
      const log = errorLog();
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST, onError: log.onError, timeoutMs: 5000 });
      try {
        await session.connect();
        const listening = session.listen();
        const inFlight = settle(session.send('org.calendar.Event.v1', EVENT));
        await server.waitForReceived(2);
        closeAll(server, code, reason);
        await listening;
        assert.equal(session.isConnected, false);
        const refusal = log.errors.map((e) => e.error).find((e) => e instanceof ConnectionError && e.details['closeCode'] === code);
        assert.ok(refusal instanceof ConnectionError, `errors: ${log.errors.map((e) => e.error.message).join(' | ')}`);
        assert.equal(refusal.details['closeReason'], reason);
        assert.match(refusal.message, new RegExp(`code ${code} "${reason}"; not reconnecting`));
        const { error } = await inFlight;
        assert.ok(error instanceof ConnectionError);
        await assert.rejects(session.send('org.calendar.Event.v1', EVENT), /closed/);
        // Well past several backoff periods: no new connection was tried.
        await new Promise((r) => setTimeout(r, 200));
        assert.equal(server.handshakes, 1);
        assert.equal(server.received.filter((r) => (r.data as { type?: string }).type === 'ai-alpn-hello').length, 1);
      } finally {
        await session.close();
        await server.close();
      }
    });
  }

  for (const reconnect of [true, false]) {
    it(`a drop the session ${reconnect ? 'reconnects after' : 'does not come back from (reconnect: false)'} names the server's close code and reason, in the report and in the failed send's cause`, async () => {
      const server = await startTestServer({ reply: 'silent' });
      const log = errorLog();
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: reconnect ? FAST : false, onError: log.onError, timeoutMs: 5000 });
      try {
        await session.connect();
        const inFlight = settle(session.send('org.calendar.Event.v1', EVENT));
        await server.waitForReceived(2);
        closeAll(server, 1011, 'db down');
        const { error } = await inFlight;
        assert.ok(error instanceof ConnectionError);
        const cause = (error as ConnectionError & { cause?: ConnectionError }).cause;
        assert.match(String(cause?.message), /with code 1011 "db down"/);
        assert.deepEqual([cause?.details['closeCode'], cause?.details['closeReason']], [1011, 'db down']);
        await waitUntil(() => log.errors.length > 0, 'the report');
        assert.match(log.errors[0]!.error.message, /with code 1011 "db down"/);
      } finally {
        await session.close();
        await server.close();
      }
    });
  }

  it('keeps reconnecting after 4001 when reconnect.shouldReconnect says so', async () => {
    const server = await startTestServer();
    const seen: Array<{ code: number; reason: string }> = [];
    const session = new Session({
      endpoint: server.wsUrl, stypes: STYPES, onError: errorLog().onError,
      reconnect: { ...FAST, shouldReconnect: (info) => { seen.push(info); return true; } },
    });
    try {
      await session.connect();
      closeAll(server, 4001, 'unauthorized');
      await waitUntil(() => session.stats.reconnections === 1, 'the reconnection');
      assert.deepEqual(seen, [{ code: 4001, reason: 'unauthorized' }]);
      assert.equal((await session.send('org.calendar.Event.v1', EVENT)).stype, 'org.calendar.Event.v1');
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('still reconnects after 1001 (going away) and 1011 by default', async () => {
    const server = await startTestServer();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST, onError: errorLog().onError });
    try {
      await session.connect();
      closeAll(server, 1001, 'restarting');
      await waitUntil(() => session.stats.reconnections === 1, 'the first reconnection');
      closeAll(server, 1011, 'internal error');
      await waitUntil(() => session.stats.reconnections === 2, 'the second reconnection');
      assert.equal(session.isConnected, true);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('defaultShouldReconnect: stops on 1003, 1008, 4000–4999; goes on otherwise', () => {
    const stops = [1003, 1008, 4000, 4001, 4999].filter((code) => !defaultShouldReconnect({ code, reason: '' }));
    const goesOn = [1000, 1001, 1005, 1006, 1011, 1012, 3000, 5000].filter((code) => defaultShouldReconnect({ code, reason: '' }));
    assert.deepEqual(stops, [1003, 1008, 4000, 4001, 4999]);
    assert.deepEqual(goesOn, [1000, 1001, 1005, 1006, 1011, 1012, 3000, 5000]);
  });
});

describe('connect(): a server that refuses the hello by closing', () => {
  it('rejects with a ConnectionError carrying the close code and reason, and does not retry', async (t) => {
    const server = await startTestServer();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, reconnect: FAST, onError: errorLog().onError });
    closeAfter(t, session, server);
    server.behaviour.handshake = 'close'; // closes with 1011 "no" on the hello
    const error = await within(session.connect().then(() => undefined, (e: unknown) => e), 'connect() to fail');
    assert.ok(error instanceof ConnectionError, String(error));
    assert.equal(error.details['closeCode'], 1011);
    assert.equal(error.details['closeReason'], 'no');
    assert.match(error.message, /closed during the handshake with code 1011 "no"/);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(server.received.filter((r) => (r.data as { type?: string }).type === 'ai-alpn-hello').length, 1, 'connect() does not retry');
  });
});
