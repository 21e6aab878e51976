// Sessions against the reference MPL server (started by the orchestrator on an ephemeral
// port): the AI-ALPN handshake, a validated and hashed send with its reply, a pushed
// message received through listen(), and a clean close, over WebSocket and over HTTP;
// then the two ways a connect fails.
import { assert } from '../harness.mjs';
import { SEED, assertIdle, errorLog, nextMessage, pushFromServer, recordedByTitle, recordedEnvelope, unique } from '../reference.mjs';

export function register(test, { sdk, env }) {
  if (!env.serverUrl) return;
  const { Session, MplEnvelope, SchemaFidelityError, NegotiationError, ConnectionError, semanticHash } = sdk;

  test('WebSocket: handshake, send with reply, pushed message through listen(), close', async () => {
    const errors = errorLog();
    const session = new Session({ endpoint: env.wsUrl, stypes: SEED, qomProfile: 'qom-basic', timeoutMs: 10_000, onError: errors.onError });
    const caps = await session.connect();
    assert.ok(session.isConnected);
    assert.deepEqual([...caps.commonStypes].sort(), [...SEED].sort());
    assert.equal(caps.selectedProfile, 'qom-basic');
    assert.deepEqual(session.capabilities, caps);

    const title = unique('ws event', env.runtime);
    const payload = { title, start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com'] };
    const reply = await session.send('org.calendar.Event.v1', payload);
    assert.ok(reply instanceof MplEnvelope);
    const seen = await recordedEnvelope(env, title, 'ws');
    assert.equal(seen.wire.sem_hash, await semanticHash(payload));
    assert.equal(seen.wire.profile, 'qom-basic');
    assert.equal(reply.inReplyTo, seen.wire.id, 'the reply names the request');

    const planId = unique('plan', env.runtime);
    const received = nextMessage(session, 'org.agent.TaskPlan.v1', planId);
    const listening = session.listen();
    const plan = { id: planId, title: 'Book the review', objective: 'Schedule the architecture review' };
    const pushed = await pushFromServer(env, 'org.agent.TaskPlan.v1', plan);
    const envelope = await received;
    assert.equal(envelope.stype, 'org.agent.TaskPlan.v1');
    assert.deepEqual(envelope.getPayload(), plan);
    assert.equal(envelope.semHash, pushed.semHash);

    await session.close();
    await listening;
    assert.equal(session.isConnected, false);
    errors.assertNone();
    assertIdle(session);
    await session.close(); // idempotent
  }, { timeoutMs: 30_000 });

  test('HTTP: handshake, send with reply, client-side validation with paths, listen() refused, close', async () => {
    const errors = errorLog();
    const session = await Session.open({ endpoint: `${env.serverUrl}/mcp`, stypes: ['org.calendar.Event.v1'], qomProfile: 'qom-basic', timeoutMs: 10_000, onError: errors.onError });
    try {
      assert.deepEqual(session.capabilities.commonStypes, ['org.calendar.Event.v1']);
      const title = unique('http event', env.runtime);
      const payload = { title, start: '2024-01-15T10:00:00Z', duration_minutes: 30 };
      const reply = await session.send('org.calendar.Event.v1', payload);
      assert.ok(reply instanceof MplEnvelope);
      await recordedEnvelope(env, title, 'http');

      const badTitle = unique('bad event', env.runtime);
      const invalid = await assert.rejects(session.send('org.calendar.Event.v1', { title: badTitle, start: 'tomorrow', attendees: ['carol'] }));
      assert.ok(invalid instanceof SchemaFidelityError, `SchemaFidelityError, got ${invalid?.name}: ${invalid?.message}`);
      assert.deepEqual([...new Set(invalid.validationErrors.map((i) => i.path))].sort(), ['/attendees/0', '/start']);
      assert.deepEqual(await recordedByTitle(env, badTitle), [], 'an invalid payload is not sent');

      const listen = await assert.rejects(session.listen());
      assert.ok(listen instanceof ConnectionError, 'listen() is WebSocket only');
    } finally {
      await session.close();
    }
    assert.equal(session.isConnected, false);
    errors.assertNone();
    assertIdle(session);
  }, { timeoutMs: 30_000 });

  test('connect: no common SType is a NegotiationError; an unreachable server a ConnectionError', async () => {
    for (const endpoint of [env.wsUrl, `${env.serverUrl}/mcp`]) {
      const session = new Session({ endpoint, stypes: ['com.example.Nothing.v1'], timeoutMs: 10_000 });
      const error = await assert.rejects(session.connect());
      assert.ok(error instanceof NegotiationError, `${endpoint}: NegotiationError, got ${error?.name}: ${error?.message}`);
      assert.deepEqual(error.clientStypes, ['com.example.Nothing.v1']);
      await session.close();
    }
    const closedPort = new URL(env.serverUrl);
    closedPort.port = '1023'; // nothing listens below 1024, and unlike port 1 it is not on the fetch spec's blocked list
    for (const endpoint of [`ws://${closedPort.host}/ws`, `http://${closedPort.host}/mcp`]) {
      const session = new Session({ endpoint, stypes: SEED, timeoutMs: 5_000, reconnect: { enabled: false } });
      const error = await assert.rejects(session.connect());
      assert.ok(error instanceof ConnectionError, `${endpoint}: ConnectionError, got ${error?.name}: ${error?.message}`);
      await session.close();
      assertIdle(session);
    }
  }, { timeoutMs: 30_000 });

  test('connect: a wss:// or https:// endpoint on a plain server is a ConnectionError that says so, where the runtime says why', async () => {
    // Node (OpenSSL), Deno (rustls) and Bun (BoringSSL) say why the TLS hello failed; a page and a Worker are told nothing.
    const toldWhy = ['node', 'deno', 'bun'].includes(env.runtime);
    for (const plain of [env.wsUrl, `${env.serverUrl}/mcp`]) {
      const endpoint = plain.replace(/^ws:/, 'wss:').replace(/^http:/, 'https:');
      const session = new Session({ endpoint, stypes: SEED, timeoutMs: 5_000, reconnect: { enabled: false } });
      const error = await assert.rejects(session.connect());
      assert.ok(error instanceof ConnectionError, `${endpoint}: ConnectionError, got ${error?.name}: ${error?.message}`);
      if (toldWhy) assert.ok(error.message.endsWith(`the server there does not speak TLS: if it serves plain text, use ${plain}`), error.message);
      assert.ok(!/ssl3_get_record|deps\/openssl/.test(error.message), `OpenSSL's source lines are left out: ${error.message}`);
      await session.close();
      assertIdle(session);
    }
  }, { timeoutMs: 30_000 });
}
