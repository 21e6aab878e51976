// The shapes other MPL peers send (test/fixtures/peer-shapes.json, upstream's literals):
// read by the SDK's own readers, and through a Session (WebSocket and HTTP) and a Client
// against a scripted peer that answers with exactly those literals (env.peerUrl, whose
// POST /__script queues the answers to the next hellos and requests).
import { assert } from '../harness.mjs';
import { assertFields, assertRefusal, assertShapeError } from '../peer-shapes.mjs';

const STYPE = 'org.calendar.Event.v1';
const EVENT = { title: 'Shapes', start: '2024-01-15T10:00:00Z', duration_minutes: 30 };
const ID_LESS_ECHO = { body: { type: 'mpl-response', stype: '$STYPE', validation: { valid: true }, payload: '$PAYLOAD' } };

async function loadShapes(assetsUrl) {
  const response = await fetch(`${assetsUrl}/fixtures/peer-shapes.json`);
  if (!response.ok) throw new Error(`peer shapes: HTTP ${response.status}`);
  return response.json();
}

/** Queues the scripted peer's next answers (after clearing what a failed case left). */
async function script(env, answers) {
  const response = await fetch(`${env.peerUrl}/__script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reset: true, ...answers }) });
  assert.equal(response.status, 200, 'POST /__script');
  await response.body?.cancel?.();
}

const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

export async function register(test, { sdk, env }) {
  const shapes = await loadShapes(env.assetsUrl);
  const { readHandshakeReply, readPeerReply, Session, Client, MplError } = sdk;

  test('readHandshakeReply reads every accepting shape and every refusal', () => {
    for (const shape of shapes.accept) {
      const read = readHandshakeReply(shape.body);
      assert.ok(read.ok, shape.name);
      const { commonStypes, ...rest } = shape.expect;
      assertFields(read.capabilities, rest, shape.name);
    }
    for (const shape of shapes.refuse.filter((s) => s.body)) assert.equal(readHandshakeReply(shape.body).ok, false, shape.name);
  });

  test('readPeerReply reads every error shape (and every refusing reply), whatever the status, into its MplError class', () => {
    const statusError = () => new MplError('E-HTTP-STATUS', 'a status without an MPL body');
    for (const shape of [...shapes.errors, ...shapes.refusing]) {
      const read = readPeerReply(shape.body, { request: { id: '$REQUEST_ID', stype: STYPE }, status: shape.status }, statusError);
      assert.equal(read.ok, false, shape.name);
      assertShapeError(sdk, read.error, shape);
    }
  });

  if (!env.peerUrl) return;
  const endpoints = { ws: env.peerWsUrl, http: `${env.peerUrl}/mcp` };

  for (const [kind, endpoint] of Object.entries(endpoints)) {
    test(`Session (${kind}): every accepting handshake shape connects; every refusal is a NegotiationError`, async () => {
      for (const shape of shapes.accept) {
        await script(env, { hellos: [shape] });
        const session = new Session({ endpoint, stypes: shapes.offer, timeoutMs: 10_000 });
        try {
          assertFields(await session.connect(), shape.expect, shape.name);
        } finally {
          await session.close();
        }
      }
      for (const shape of shapes.refuse.filter((s) => kind === 'http' || !s.httpOnly)) {
        await script(env, { hellos: [shape] });
        const session = new Session({ endpoint, stypes: shapes.offer, timeoutMs: 10_000 });
        assertRefusal(sdk, (await settle(session.connect())).error, shape, shapes.offer);
        await session.close();
      }
    }, { timeoutMs: 60_000 });

    test(`Session (${kind}): every error shape rejects with its class; in flight, the next send keeps its own reply`, async () => {
      const session = await Session.open({ endpoint, stypes: [STYPE], timeoutMs: 10_000 });
      try {
        for (const shape of [...shapes.errors, ...shapes.refusing]) {
          await script(env, { replies: [shape, ID_LESS_ECHO] });
          const first = settle(session.send(STYPE, { ...EVENT, title: `first ${env.runtime}` }));
          // Over WebSocket both are in flight on one ordered link; HTTP requests may arrive in either order.
          if (kind === 'http') await first;
          const second = session.send(STYPE, { ...EVENT, title: `second ${env.runtime}` });
          assertShapeError(sdk, (await first).error, shape);
          assert.equal((await second).getPayload().title, `second ${env.runtime}`, `${shape.name}: the second send got its own reply`);
        }
        assert.equal(session.stats.pending, 0);
      } finally {
        await session.close();
      }
    }, { timeoutMs: 60_000 });
  }

  test('Client (HTTP): every error shape is its class in the result; a wrapped envelope is unwrapped', async () => {
    const client = new Client(`${env.peerUrl}/mcp`);
    for (const shape of [...shapes.errors, ...shapes.refusing]) {
      await script(env, { replies: [shape] });
      const result = await client.send(STYPE, EVENT);
      assert.equal(result.valid, false, shape.name);
      assertShapeError(sdk, result.error, shape);
    }
    for (const shape of shapes.wrapped) {
      await script(env, { replies: [shape] });
      const result = await client.send(STYPE, EVENT);
      assert.ok(result.valid, `${shape.name}: ${result.error?.message}`);
      assert.deepEqual(result.data, EVENT, shape.name);
    }
  }, { timeoutMs: 60_000 });
}
