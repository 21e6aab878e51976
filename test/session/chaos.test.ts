// A server that keeps dropping every connection while requests stream in: every send()
// settles (a reply, or a ConnectionError saying it may or may not have been processed),
// and once the storm is over the session holds nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, Session } from '../../src/index.ts';
import { startTestServer } from '../support/mpl-test-server.ts';
import { EMPTY_STATS, errorLog, settle, waitUntil } from '../support/session-helpers.ts';

describe('chaos', () => {
  it('settles every send() while the server drops connections again and again', async () => {
    const server = await startTestServer({ replyDelayMs: 1 });
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'], reconnect: { minDelayMs: 5, maxDelayMs: 20 }, onError: log.onError });
    await session.connect();
    try {
      const outcomes: Array<Promise<{ value?: unknown; error?: unknown }>> = [];
      for (let round = 0; round < 10; round++) {
        for (let i = 0; i < 30; i++) outcomes.push(settle(session.send('org.calendar.Event.v1', { title: `r${round}-${i}`, start: '2024-01-15T10:00:00Z' }, { timeoutMs: 10_000 })));
        await new Promise((r) => setTimeout(r, 15));
        server.dropConnections();
      }
      const results = await Promise.all(outcomes);
      const failures = results.filter((r) => r.error !== undefined);
      for (const { error } of failures) {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.match(error.message, /may or may not have been processed/);
      }
      await new Promise((r) => setTimeout(r, 100)); // let the client notice the last drop (loopback: a few ms)
      await waitUntil(() => session.isConnected, 'the last reconnection');
      const after = await Promise.all(Array.from({ length: 20 }, (_, i) => session.send('org.calendar.Event.v1', { title: `after-${i}`, start: '2024-01-15T10:00:00Z' })));
      assert.deepEqual(after.map((r) => r.getPayload<{ title: string }>().title), Array.from({ length: 20 }, (_, i) => `after-${i}`));
      assert.deepEqual({ ...session.stats, reconnections: 0 }, EMPTY_STATS);
      assert.ok(session.stats.reconnections >= 1, `reconnected ${session.stats.reconnections} times`);
      assert.ok(log.errors.every((e) => e.source === 'connection'), log.errors.map((e) => e.error.message).join('\n'));
    } finally {
      await session.close();
      await server.close();
    }
  });
});
