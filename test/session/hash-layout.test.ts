// The hash layout of a Session: what it writes (current by default, legacy on request),
// and what it accepts on replies and pushes (either layout, nothing else), on both transports.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HashMismatchError, MplError, Session, semanticHash, type HashLayout, type MplEnvelope } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { errorLog, waitUntil } from '../support/session-helpers.ts';
import { layoutVectors } from '../support/vectors.ts';

const NO_SCHEMA = 'com.example.NoSchema.v1';
const STYPES = ['org.calendar.Event.v1', NO_SCHEMA];
/** An Event whose metadata holds numbers the two layouts write differently. */
const BIG_EVENT = { title: 'Ledger', start: '2024-01-15T10:00:00Z', metadata: { total: 1e20, ids: [2 ** 64, -(2 ** 63)] } };

describe('hash layouts', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ stypes: [...STYPES] }); });
  after(async () => { await server.close(); });
  const last = (): Record<string, unknown> => server.received.at(-1)?.data as Record<string, unknown>;

  for (const kind of ['ws', 'http'] as const) {
    const open = async (hashLayout?: HashLayout): Promise<Session> => {
      const session = new Session({ endpoint: kind === 'ws' ? server.wsUrl : server.httpUrl, stypes: STYPES, ...(hashLayout ? { hashLayout } : {}) });
      await session.connect();
      return session;
    };

    for (const layout of ['current', 'legacy'] as const) {
      it(`writes the reference's ${layout} hash of the 127 layout-dependent vectors${layout === 'current' ? ' by default' : ' when configured'} (${kind})`, async () => {
        const session = await open(layout === 'current' ? undefined : layout);
        try {
          const wrong: string[] = [];
          for (const vector of layoutVectors) {
            await session.send(NO_SCHEMA, JSON.parse(vector.input), { validate: false });
            if (last()['sem_hash'] !== vector[layout]) wrong.push(vector.input);
          }
          assert.deepEqual(wrong, []);
        } finally { await session.close(); }
      });
    }

    it(`accepts a reply hashed in either layout, and refuses one that matches neither (${kind})`, async () => {
      const session = await open();
      try {
        for (const layout of ['current', 'legacy'] as const) {
          server.behaviour.hashLayout = layout;
          const reply = await session.send('org.calendar.Event.v1', BIG_EVENT);
          assert.equal(reply.semHash, await semanticHash(BIG_EVENT, { hashLayout: layout }));
          assert.deepEqual(reply.getPayload(), BIG_EVENT);
        }
        server.behaviour.hashLayout = 'current';
        server.behaviour.replyPayload = (payload) => ({ ...(payload as object), title: 'changed' });
        server.behaviour.corruptHash = true;
        const error = await session.send('org.calendar.Event.v1', BIG_EVENT).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof HashMismatchError, String(error));
        assert.equal(error.actual, await semanticHash({ ...BIG_EVENT, title: 'changed' }), 'the hash computed here, in the session\'s layout');
      } finally {
        Object.assign(server.behaviour, { hashLayout: undefined, replyPayload: undefined, corruptHash: false });
        await session.close();
      }
    });
  }

  it('refuses a hashLayout that is no layout when the session is made', () => {
    assert.throws(() => new Session({ endpoint: server.wsUrl, hashLayout: 'old' as HashLayout }), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT' && /Session config: hashLayout/.test(e.message));
  });

  it('delivers a push hashed in either layout, and reports one that matches neither', async () => {
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: log.onError });
    await session.connect();
    const seen: string[] = [];
    session.onMessage('org.calendar.Event.v1', (envelope: MplEnvelope<{ title: string }>) => { seen.push(envelope.payload.title); });
    const listening = session.listen();
    try {
      const event = (title: string) => ({ ...BIG_EVENT, title });
      await server.push('org.calendar.Event.v1', event('current'));
      await server.push('org.calendar.Event.v1', event('legacy'), { sem_hash: await semanticHash(event('legacy'), { hashLayout: 'legacy' }) });
      await server.push('org.calendar.Event.v1', event('forged'), { sem_hash: await semanticHash(event('other'), { hashLayout: 'legacy' }) });
      await server.push('org.calendar.Event.v1', event('after'));
      await waitUntil(() => seen.length === 3, 'three pushes delivered');
      assert.deepEqual(seen, ['current', 'legacy', 'after']);
      assert.equal(log.errors.length, 1);
      assert.equal(log.errors[0]!.source, 'push');
      assert.ok(log.errors[0]!.error instanceof HashMismatchError);
    } finally {
      await session.close();
      await listening;
    }
  });
});
