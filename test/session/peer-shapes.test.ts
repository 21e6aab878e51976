// What the Session makes of every shape other MPL peers send (test/fixtures/peer-shapes.json,
// from PROTOCOL.md "Shapes other peers send"), over WebSocket and HTTP, against a scripted
// peer on an ephemeral port that answers with exactly upstream's literals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConnectionError, HashMismatchError, MplEnvelope, MplError, QomBreachError, Session, semanticHash } from '../../src/index.ts';
import { startTestServer, type ReplyMode, type TestServer } from '../support/mpl-test-server.ts';
import { EVENT, errorLog, settle, within } from '../support/session-helpers.ts';
import {
  ACCEPT, ERRORS, OFFER, REFUSE, REFUSING, WRAPPED, WRAPPED_BAD_HASH, WRAPPED_BREACH, assertFields, assertRefusal, assertShapeError,
} from '../support/peer-shapes.ts';

const STYPE = 'org.calendar.Event.v1';
const TRANSPORTS = ['ws', 'http'] as const;

describe('Session and the shapes other peers send', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer({ stypes: OFFER }); });
  after(() => server.close());
  const endpoint = (kind: 'ws' | 'http'): string => (kind === 'ws' ? server.wsUrl : server.httpUrl);
  const open = async (kind: 'ws' | 'http', qomProfile?: string): Promise<Session> =>
    Session.open({ endpoint: endpoint(kind), stypes: OFFER, ...(qomProfile ? { qomProfile } : {}), onError: errorLog().onError });

  for (const kind of TRANSPORTS) {
    describe(`handshake (${kind})`, () => {
      for (const shape of ACCEPT) {
        it(`accepts ${shape.name}`, async () => {
          server.behaviour.script.hellos.push(shape);
          const session = new Session({ endpoint: endpoint(kind), stypes: OFFER });
          try {
            const caps = await session.connect();
            assertFields(caps, shape.expect, shape.name);
            for (const stype of caps.commonStypes) assert.ok(OFFER.includes(stype), `${stype} was offered`);
          } finally { await session.close(); }
        });
      }
      for (const shape of REFUSE.filter((s) => kind === 'http' || !s.httpOnly)) {
        it(`refuses with NegotiationError on ${shape.name}`, async () => {
          server.behaviour.script.hellos.push(shape);
          const session = new Session({ endpoint: endpoint(kind), stypes: OFFER });
          const { error } = await settle(session.connect());
          assertRefusal(error, shape);
          await session.close();
        });
      }
    });

    describe(`error replies (${kind})`, () => {
      let session: Session;
      before(async () => { session = await open(kind); });
      after(() => session.close());

      for (const shape of [...ERRORS, ...REFUSING]) {
        it(`rejects with ${shape.expect.class} on ${shape.name}`, async () => {
          server.behaviour.script.replies.push(shape);
          const { error } = await settle(session.send(STYPE, EVENT));
          assertShapeError(error, shape);
          assert.equal(session.stats.pending, 0);
        });
      }
    });

    describe(`wrapped envelopes (${kind})`, () => {
      let session: Session;
      before(async () => { session = await open(kind, 'qom-basic'); });
      after(() => session.close());

      for (const shape of WRAPPED) {
        it(`unwraps ${shape.name}: the inner SType, payload and hash are the reply`, async () => {
          server.behaviour.script.replies.push(shape);
          const reply = await session.send(STYPE, EVENT);
          assert.ok(reply instanceof MplEnvelope);
          assert.equal(reply.stype, STYPE);
          assert.deepEqual(reply.payload, EVENT);
          assert.equal(reply.semHash, await semanticHash(EVENT));
        });
      }
      for (const shape of WRAPPED_BAD_HASH) {
        it(`checks the inner hash of ${shape.name}`, async () => {
          server.behaviour.script.replies.push(shape);
          const { error } = await settle(session.send(STYPE, EVENT));
          assert.ok(error instanceof HashMismatchError, String(error));
        });
      }
      for (const shape of WRAPPED_BREACH) {
        it(`checks the inner QoM report of ${shape.name}`, async () => {
          server.behaviour.script.replies.push(shape);
          const { error } = await settle(session.send(STYPE, EVENT));
          assert.ok(error instanceof QomBreachError, String(error));
          assert.equal(error.profile, 'qom-basic');
        });
      }
    });
  }

  describe('a reply over HTTP that names another request', () => {
    it('rejects with E-INVALID-ENVELOPE naming both ids; the next send is answered', async () => {
      const session = await open('http');
      try {
        server.behaviour.script.replies.push({ body: { id: 'r-foreign', stype: '$STYPE', payload: '$PAYLOAD', sem_hash: '$HASH', in_reply_to: 'someone-else' } });
        const before = server.received.length;
        const { error } = await settle(session.send(STYPE, EVENT));
        const sent = (server.received[before]?.data as { id: string }).id;
        assert.ok(error instanceof MplError && error.code === 'E-INVALID-ENVELOPE', String(error));
        assert.deepEqual(error.details, { sent, inReplyTo: 'someone-else' });
        assert.match(error.message, new RegExp(`answers someone-else, not ${sent}`));
        assert.equal(session.stats.pending, 0);
        assert.deepEqual((await session.send(STYPE, EVENT)).payload, EVENT);
      } finally { await session.close(); }
    });
  });

  /** Two sends in flight on one WebSocket session ('first', then 'second'), the peer in `reply` mode; `check` sees them and the requests as the peer got them. */
  async function twoInFlight(reply: ReplyMode, check: (sent: {
    first: Promise<{ value?: MplEnvelope; error?: unknown }>; second: Promise<MplEnvelope>; requests: Array<{ id: string; payload: unknown }>;
  }) => Promise<void>): Promise<void> {
    const session = await open('ws');
    try {
      server.behaviour.reply = reply;
      const before = server.received.length;
      const first = settle(session.send(STYPE, { ...EVENT, title: 'first' }));
      const second = session.send(STYPE, { ...EVENT, title: 'second' });
      await server.waitForReceived(before + 2);
      await check({ first, second, requests: server.received.slice(before).map((r) => r.data as { id: string; payload: unknown }) });
      assert.equal((await within(second, 'the second send')).getPayload<{ title: string }>().title, 'second');
      assert.deepEqual(session.stats.pending, 0);
    } finally {
      server.behaviour.reply = 'in-reply-to';
      await session.close();
    }
  }

  describe('ordering on an id-less WebSocket', () => {
    for (const shape of ERRORS) {
      it(`the first of two sends in flight rejects with ${shape.expect.class} on ${shape.name}; the second gets its own reply`, async () => {
        server.behaviour.script.replies.push(shape);
        await twoInFlight('id-less', async ({ first }) => assertShapeError((await within(first, 'the first send')).error, shape));
      });
    }

    it('a reply that repeats the request\'s own id answers it, even out of order', async () => {
      await twoInFlight('silent', async ({ first, requests }) => {
        for (const req of [...requests].reverse()) {
          server.sendRaw(JSON.stringify({ id: req.id, stype: STYPE, payload: req.payload, sem_hash: await semanticHash(req.payload) }));
        }
        assert.equal((await first).value?.getPayload<{ title: string }>().title, 'first');
      });
    });

    it('a frame that is not JSON answers the oldest request (E-INVALID-ENVELOPE), the next one keeps its own reply', async () => {
      await twoInFlight('silent', async ({ first, requests }) => {
        server.sendRaw('<html>502 Bad Gateway</html>');
        server.sendRaw(JSON.stringify({ type: 'mpl-response', stype: STYPE, validation: { valid: true }, payload: requests[1]!.payload }));
        const { error } = await first;
        assert.ok(error instanceof MplError && error.code === 'E-INVALID-ENVELOPE' && /not JSON/.test(error.message), String(error));
      });
    });
  });

  it('HTTP: a status without an MPL body is E-HTTP-STATUS with the status and body, as the Client says it (the peer answered: no ConnectionError)', async () => {
    const session = await open('http');
    try {
      server.behaviour.script.replies.push({ status: 503, text: 'Service Unavailable' });
      const { error } = await settle(session.send(STYPE, EVENT));
      assert.ok(error instanceof MplError && !(error instanceof ConnectionError), String(error));
      assert.equal(error.code, 'E-HTTP-STATUS');
      assert.match(error.message, /answered HTTP 503/);
      assert.equal(error.details['status'], 503);
      assert.equal(error.details['body'], 'Service Unavailable');
      assert.equal(session.stats.pending, 0);
    } finally { await session.close(); }
  });
});
