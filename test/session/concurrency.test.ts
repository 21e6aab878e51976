import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Session, type PayloadOf } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EMPTY_STATS } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1'];
const event = (n: number): PayloadOf<'org.calendar.Event.v1'> => ({ title: `event ${n}`, start: '2024-01-15T10:00:00Z', duration_minutes: 1 + (n % 600) });

async function burst(session: Session, count: number, offset = 0): Promise<void> {
  const replies = await Promise.all(Array.from({ length: count }, (_, i) => session.send('org.calendar.Event.v1', event(offset + i))));
  replies.forEach((reply, i) => assert.deepEqual(reply.getPayload(), event(offset + i), `reply ${i} is the answer to request ${i}`));
}

describe('concurrency', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  for (const reply of ['in-reply-to', 'id-less'] as const) {
    it(`settles 1,000 concurrent send()s on one WebSocket session with the right replies (${reply}), leaving nothing behind`, async () => {
      server.behaviour.reply = reply;
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
      try {
        await session.connect();
        await burst(session, 1000);
        assert.deepEqual(session.stats, EMPTY_STATS);
      } finally {
        server.behaviour.reply = 'in-reply-to';
        await session.close();
      }
    });
  }

  it('runs 20 sessions side by side in one process, 25 sends each', async () => {
    const sessions = Array.from({ length: 20 }, () => new Session({ endpoint: server.wsUrl, stypes: STYPES }));
    try {
      await Promise.all(sessions.map((s) => s.connect()));
      await Promise.all(sessions.map((s, i) => burst(s, 25, i * 100)));
      for (const s of sessions) assert.deepEqual(s.stats, EMPTY_STATS);
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
  });

  it('settles 200 concurrent send()s over HTTP', async () => {
    const session = new Session({ endpoint: server.httpUrl, stypes: STYPES });
    try {
      await session.connect();
      await burst(session, 200);
      assert.deepEqual(session.stats, EMPTY_STATS);
    } finally {
      await session.close();
    }
  });
});
