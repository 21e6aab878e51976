// What the cases that talk to the reference MPL server share: its test-control endpoint
// (env.serverControlUrl: what it recorded, a push to every handshaken client, a drop of
// every WebSocket), waiting for one pushed message, and the checks a session passes (it
// reported no error; nothing outlives it once closed).
// Plain ES2022, no imports but the harness, like the cases.
import { assert } from './harness.mjs';

/** The STypes the session cases offer: all four are on the reference server. */
export const SEED = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'];

/** A title or id no other case or runtime uses, so a case finds its own messages in `recorded`. */
export const unique = (what, runtime) => `${what} ${runtime} ${crypto.randomUUID()}`;

/** Everything the reference server received, in order (`GET …/recorded`). */
export async function recorded(env) {
  const response = await fetch(`${env.serverControlUrl}/recorded`);
  assert.equal(response.status, 200, 'GET recorded');
  return response.json();
}

/** What the reference server recorded for the envelope whose payload has this title. */
export async function recordedByTitle(env, title) {
  return (await recorded(env)).filter((m) => m.kind === 'envelope' && m.wire?.payload?.title === title);
}

/**
 * The one envelope recorded with this title, checked: it came over `transport`, passed the
 * server's schema check, and its `sem_hash` matched what the server recomputed.
 */
export async function recordedEnvelope(env, title, transport) {
  const [seen] = await recordedByTitle(env, title);
  assert.ok(seen, 'the server recorded the envelope');
  assert.equal(seen.transport, transport);
  assert.equal(seen.valid, true);
  assert.equal(seen.hashOk, true, 'the server recomputed the same semantic hash');
  return seen;
}

/** POSTs a control action (`drop-websockets`, `push?stype=S`); resolves with its JSON answer. */
export async function control(env, action, body) {
  const response = await fetch(`${env.serverControlUrl}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  assert.equal(response.status, 200, `POST ${action}`);
  return response.json();
}

/** Has the reference server push `payload` as `stype`; resolves with its PushedMessage. */
export function pushFromServer(env, stype, payload) {
  return control(env, `push?stype=${encodeURIComponent(stype)}`, payload);
}

/** Resolves with the first `stype` message whose payload `id` is `id`, then stops listening. */
export function nextMessage(session, stype, id) {
  return new Promise((resolve) => {
    const off = session.onMessage(stype, (envelope) => {
      if (envelope.getPayload().id !== id) return;
      off();
      resolve(envelope);
    });
  });
}

/** An onError hook that keeps what the session reported, and the check that it reported nothing. */
export function errorLog() {
  const reported = [];
  const onError = (error, context) => reported.push(`${context?.source}: ${error?.name} ${error?.message}`);
  return { onError, assertNone: () => assert.deepEqual(reported, [], 'the session reported no error') };
}

/** Nothing outlives a closed session: no pending reply, queued send or timer. */
export function assertIdle(session) {
  const { pending, queued, timers } = session.stats;
  assert.deepEqual({ pending, queued, timers }, { pending: 0, queued: 0, timers: 0 }, 'nothing outlives the session');
}
