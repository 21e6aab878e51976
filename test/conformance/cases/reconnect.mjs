// Reconnection against the reference MPL server: a WebSocket session sends and gets a
// reply, the server terminates every WebSocket (its test-control endpoint, enabled by the
// orchestrator), the session reconnects by itself and re-runs the handshake, a send made
// while it was disconnected is delivered and answered, a push after the reconnection still
// reaches the onMessage handler through listen(), and close() leaves nothing behind.
import { AssertionError, assert } from '../harness.mjs';
import { SEED, assertIdle, control, nextMessage, pushFromServer, recorded, unique } from '../reference.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms, at most `limitMs`; fails with `what` when it stays false. */
async function waitUntil(condition, what, limitMs = 5_000) {
  for (const started = Date.now(); !condition(); await sleep(10)) {
    if (Date.now() - started > limitMs) throw new AssertionError(`waited ${limitMs} ms for ${what}`);
  }
}

/** `promise`, or an AssertionError naming `what` after `limitMs`; the timer never outlives it. */
async function within(promise, what, limitMs = 5_000) {
  let timer;
  const limit = new Promise((_, reject) => { timer = setTimeout(() => reject(new AssertionError(`waited ${limitMs} ms for ${what}`)), limitMs); });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export function register(test, { sdk, env }) {
  if (!env.wsUrl) return;
  test('WebSocket: the server drops every socket; the session reconnects, re-handshakes, delivers, still listens', async () => {
    assert.ok(env.serverControlUrl, 'the orchestrator gives the reference server\'s test-control URL (env.serverControlUrl)');
    const { Session, MplEnvelope } = sdk;
    const reported = [];
    let dropSeen;
    const dropReported = new Promise((resolve) => { dropSeen = resolve; });
    const onError = (error, context) => {
      reported.push({ source: context?.source, text: `${error?.name}: ${error?.message}` });
      if (context?.source === 'connection') dropSeen();
    };
    const reconnected = [];
    const session = new Session({
      endpoint: env.wsUrl, stypes: SEED, qomProfile: 'qom-basic', timeoutMs: 10_000,
      reconnect: { minDelayMs: 50, maxDelayMs: 200 },
      onError, onReconnect: (caps) => reconnected.push(caps),
    });
    let listening;
    try {
      await session.connect();
      const before = { title: unique('before drop', env.runtime), start: '2024-03-01T14:00:00Z', duration_minutes: 30 };
      const first = await session.send('org.calendar.Event.v1', before);
      assert.ok(first instanceof MplEnvelope);

      const planId = unique('plan after reconnect', env.runtime);
      const received = nextMessage(session, 'org.agent.TaskPlan.v1', planId);
      listening = session.listen();

      const { dropped } = await control(env, 'drop-websockets');
      assert.ok(dropped >= 1, `the server dropped this session's socket (dropped ${dropped})`);
      await within(dropReported, 'the drop to be reported through onError (source connection)');
      // The first retry waits at least minDelayMs / 2 (a timer); only microtasks ran since the
      // drop was reported, so this send is made while disconnected and waits in the outbox.
      assert.equal(session.isConnected, false, 'disconnected when the next send is made');

      const after = { title: unique('after drop', env.runtime), start: '2024-03-02T09:00:00Z', duration_minutes: 45 };
      const second = await session.send('org.calendar.Event.v1', after);
      assert.ok(second instanceof MplEnvelope, 'the send made while disconnected was answered');

      await waitUntil(() => reconnected.length >= 1, 'onReconnect');
      assert.equal(reconnected.length, 1, 'one reconnection');
      assert.deepEqual([...reconnected[0].commonStypes].sort(), [...SEED].sort(), 'onReconnect gets the renegotiated capabilities');
      assert.equal(reconnected[0].selectedProfile, 'qom-basic');
      assert.ok(session.isConnected);
      assert.equal(session.stats.reconnections, 1);

      // On the server's side: the first envelope, then a new hello (the re-run handshake),
      // then the second envelope, hash verified.
      const log = await recorded(env);
      const at = (title) => log.findIndex((m) => m.kind === 'envelope' && m.wire?.payload?.title === title);
      const firstAt = at(before.title);
      const secondAt = at(after.title);
      assert.ok(firstAt >= 0 && secondAt > firstAt, `both envelopes recorded in order (${firstAt}, ${secondAt})`);
      const hellos = log.slice(firstAt + 1, secondAt).filter((m) => m.kind === 'hello' && m.transport === 'ws');
      assert.equal(hellos.length, 1, 'exactly one handshake between the two sends');
      assert.deepEqual([...hellos[0].wire.stypes].sort(), [...SEED].sort(), 'the new hello offers the same STypes');
      assert.equal(log[secondAt].hashOk, true);
      assert.equal(second.inReplyTo, log[secondAt].wire.id, 'the reply names the request sent after the drop');

      const plan = { id: planId, title: 'Review after the restart', objective: 'Check that pushes survive a reconnection' };
      const pushedMessage = await pushFromServer(env, 'org.agent.TaskPlan.v1', plan);
      assert.ok(pushedMessage.clients >= 1, 'the push went to the reconnected session');
      const envelope = await within(received, 'the pushed TaskPlan to reach onMessage');
      assert.deepEqual(envelope.getPayload(), plan);
      assert.equal(envelope.semHash, pushedMessage.semHash);

      const unexpected = reported.filter((r) => r.source !== 'connection');
      assert.deepEqual(unexpected, [], 'the session reported nothing but the drop');
      assert.ok(reported.length >= 1, 'the drop was reported through onError');
    } finally {
      await session.close();
    }
    await listening;
    assert.equal(session.isConnected, false);
    assertIdle(session);
  }, { timeoutMs: 30_000 });
}
