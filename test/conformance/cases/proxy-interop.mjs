// Sessions against a server that behaves exactly like the reference proxy in strict mode:
// production mode (invalid envelopes are blocked), id-less `mpl-response` replies matched
// in order, and the `ai-alpn-response` spelling of the handshake reply.
import { assert } from '../harness.mjs';
import { errorLog } from '../reference.mjs';

const EVENT = 'org.calendar.Event.v1';
const INVALID = { title: 'Blocked', start: 'tomorrow', attendees: ['carol'] };
const pathsOf = (issues) => [...new Set(issues.map((i) => i.path))].sort();

export function register(test, { sdk, env }) {
  if (!env.strictWsUrl) return;
  const { Session, MplEnvelope, SchemaFidelityError } = sdk;

  test('WebSocket, id-less replies: each reply answers the oldest request, in order, concurrently', async () => {
    const errors = errorLog();
    const session = await Session.open({ endpoint: env.strictWsUrl, stypes: [EVENT], timeoutMs: 10_000, onError: errors.onError });
    try {
      const titles = ['first', 'second', 'third'].map((t) => `${t} ${env.runtime}`);
      const replies = await Promise.all(titles.map((title) => session.send(EVENT, { title, start: '2024-01-15T10:00:00Z', duration_minutes: 15 })));
      for (const reply of replies) assert.ok(reply instanceof MplEnvelope);
      // The proxy's mpl-response carries the request's payload: each reply went to its own request.
      assert.deepEqual(replies.map((r) => r.getPayload().title), titles);
      assert.equal(new Set(replies.map((r) => r.inReplyTo)).size, 3, 'three distinct requests answered');
      errors.assertNone();
    } finally {
      await session.close();
    }
  });

  test('WebSocket, strict mode: an invalid envelope is blocked by the server as E-SCHEMA-FIDELITY, and the session carries on', async () => {
    const errors = errorLog();
    const session = await Session.open({ endpoint: env.strictWsUrl, stypes: [EVENT], timeoutMs: 10_000, onError: errors.onError });
    try {
      const blocked = await assert.rejects(session.send(EVENT, INVALID, { validate: false }));
      assert.ok(blocked instanceof SchemaFidelityError, `SchemaFidelityError, got ${blocked?.name}: ${blocked?.message}`);
      assert.equal(blocked.code, 'E-SCHEMA-FIDELITY');
      assert.equal(blocked.stype, EVENT);
      assert.ok(blocked.validationErrors.length > 0, 'the server\'s details are kept as validation errors');
      assert.equal(blocked.details.server.error, 'E-SCHEMA-FIDELITY');
      const after = await session.send(EVENT, { title: `after ${env.runtime}`, start: '2024-01-15T10:00:00Z' });
      assert.ok(after instanceof MplEnvelope, 'the next request still gets its own reply');
      errors.assertNone();
    } finally {
      await session.close();
    }
  });

  test('HTTP, strict mode: an HTTP 400 block becomes SchemaFidelityError with the server\'s paths', async () => {
    const session = await Session.open({ endpoint: `${env.strictServerUrl}/mcp`, stypes: [EVENT], timeoutMs: 10_000 });
    try {
      assert.equal(session.capabilities.selectedProfile, null);
      const blocked = await assert.rejects(session.send(EVENT, INVALID, { validate: false }));
      assert.ok(blocked instanceof SchemaFidelityError, `SchemaFidelityError, got ${blocked?.name}: ${blocked?.message}`);
      assert.equal(blocked.details.status, 400);
      assert.deepEqual(pathsOf(blocked.validationErrors).filter((p) => p !== ''), ['/attendees/0', '/start']);
    } finally {
      await session.close();
    }
  });
}
