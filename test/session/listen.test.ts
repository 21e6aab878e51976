import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { ConnectionError, HashMismatchError, MplError, SchemaFidelityError, Session, UnknownStypeError, type MplEnvelope, type PayloadOf } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { errorLog, exposedGc, waitUntil, within } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.Heartbeat.v1'];
const plan = (n: number): PayloadOf<'org.agent.TaskPlan.v1'> => ({ id: `plan-${n}`, title: `plan ${n}`, objective: 'test' });

describe('listen', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  async function open(extra: Partial<ConstructorParameters<typeof Session>[0]> = {}): Promise<{ session: Session; log: ReturnType<typeof errorLog> }> {
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: log.onError, ...extra });
    await session.connect();
    return { session, log };
  }

  it('refuses to listen over HTTP with ConnectionError, as the seed does', async () => {
    const session = new Session({ endpoint: server.httpUrl, stypes: STYPES });
    await session.connect();
    await assert.rejects(session.listen(), (e: unknown) => e instanceof ConnectionError && /WebSocket/.test(e.message));
    await session.close();
  });

  it('refuses to listen before connect()', async () => {
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
    await assert.rejects(session.listen(), ConnectionError);
  });

  it('keeps envelopes pushed between connect() and listen(), then dispatches them in order', async () => {
    const { session, log } = await open();
    const seen: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', (env) => { seen.push(env.getPayload<{ id: string }>().id); });
    for (let i = 0; i < 5; i++) await server.push('org.agent.TaskPlan.v1', plan(i));
    await waitUntil(() => session.stats.buffered === 5, 'five buffered');
    assert.deepEqual(seen, []);
    const listening = session.listen();
    await waitUntil(() => seen.length === 5, 'dispatch');
    assert.deepEqual(seen, ['plan-0', 'plan-1', 'plan-2', 'plan-3', 'plan-4']);
    assert.equal(session.stats.buffered, 0);
    await session.close();
    await listening;
    assert.deepEqual(log.errors, []);
  });

  it('bounds that buffer and reports what it had to discard', async () => {
    const { session, log } = await open({ maxBuffered: 2 });
    for (let i = 0; i < 3; i++) await server.push('org.agent.TaskPlan.v1', plan(i));
    await waitUntil(() => log.errors.length === 1, 'the overflow report');
    assert.equal(log.errors[0]?.source, 'unhandled');
    assert.match(log.errors[0]!.error.message, /\(org\.agent\.TaskPlan\.v1, id .+\) was discarded: more than 2 \(maxBuffered\) arrived before listen\(\)/);
    assert.equal((log.errors[0]!.error as MplError).code, 'E-OVERLOADED', 'no argument was wrong: more came than there was room for');
    assert.equal(session.stats.buffered, 2);
    await session.close();
  });

  it('calls several handlers per SType, and stops calling one after its unsubscribe', async () => {
    const { session } = await open();
    const a: string[] = [];
    const b: string[] = [];
    const offA = session.onMessage('org.agent.TaskPlan.v1', (env: MplEnvelope<{ id: string }>) => { a.push(env.payload.id); });
    session.onMessage('org.agent.TaskPlan.v1', (env: MplEnvelope<{ id: string }>) => { b.push(env.payload.id); });
    const listening = session.listen();
    await server.push('org.agent.TaskPlan.v1', plan(1));
    await waitUntil(() => b.length === 1, 'first');
    offA();
    await server.push('org.agent.TaskPlan.v1', plan(2));
    await waitUntil(() => b.length === 2, 'second');
    assert.deepEqual(a, ['plan-1']);
    assert.deepEqual(b, ['plan-1', 'plan-2']);
    await session.close();
    await listening;
  });

  it('reports a handler that throws or rejects to onError and goes on', async () => {
    const { session, log } = await open();
    const seen: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', (env: MplEnvelope<{ id: string }>) => {
      if (env.payload.id === 'plan-1') throw new Error('sync boom');
      seen.push(env.payload.id);
    });
    session.onMessage('org.agent.TaskPlan.v1', async (env: MplEnvelope<{ id: string }>) => {
      if (env.payload.id === 'plan-2') throw new Error('async boom');
    });
    const listening = session.listen();
    for (let i = 1; i <= 3; i++) await server.push('org.agent.TaskPlan.v1', plan(i));
    await waitUntil(() => seen.includes('plan-3') && log.errors.length === 2, 'third plan and both reports');
    assert.deepEqual(log.errors.map((e) => [e.source, e.error.message]), [['handler', 'sync boom'], ['handler', 'async boom']]);
    assert.deepEqual(seen, ['plan-2', 'plan-3']);
    await session.close();
    await listening;
  });

  it('verifies a pushed sem_hash and validates pushed payloads before dispatch', async () => {
    const { session, log } = await open();
    const seen: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', (env: MplEnvelope<{ id: string }>) => { seen.push(env.payload.id); });
    const listening = session.listen();
    await server.push('org.agent.TaskPlan.v1', plan(1), { sem_hash: `b3:${'1'.repeat(64)}` });
    await server.push('org.agent.TaskPlan.v1', { id: 'plan-2' }); // no title/objective: invalid
    await server.push('org.agent.TaskPlan.v1', plan(3));
    await waitUntil(() => seen.length === 1 && log.errors.length === 2, 'dispatch and reports');
    assert.deepEqual(seen, ['plan-3']);
    assert.ok(log.errors[0]?.error instanceof HashMismatchError);
    assert.ok(log.errors[1]?.error instanceof SchemaFidelityError);
    assert.deepEqual(log.errors.map((e) => e.source), ['push', 'push']);
    await session.close();
    await listening;
  });

  it('reports a pushed envelope no handler wants', async () => {
    const { session, log } = await open();
    const listening = session.listen();
    await server.push('org.agent.Heartbeat.v1', { status: 'alive' });
    await waitUntil(() => log.errors.length === 1, 'the report');
    assert.ok(log.errors[0]?.error instanceof UnknownStypeError);
    assert.equal(log.errors[0]?.source, 'unhandled');
    await session.close();
    await listening;
  });

  it('reports malformed, oversized and binary frames, dispatches a binary JSON envelope, and keeps working', async () => {
    const { session, log } = await open({ maxFrameBytes: 4096 });
    const seen: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', (env: MplEnvelope<{ id: string }>) => { seen.push(env.payload.id); });
    const listening = session.listen();
    server.sendRaw('{not json');
    server.sendRaw(JSON.stringify({ big: 'x'.repeat(5000) }));
    server.sendRaw(Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    server.sendRaw(JSON.stringify([1, 2, 3]));
    server.sendRaw(JSON.stringify({ id: 'x', stype: 'not an stype', payload: {} }));
    server.sendRaw(Buffer.from(JSON.stringify({ id: 'b1', stype: 'org.agent.TaskPlan.v1', payload: plan(9) })));
    await waitUntil(() => log.errors.length === 5 && seen.length === 1, 'five reports and one dispatch');
    const messages = log.errors.map((e) => e.error.message);
    assert.match(messages[0]!, /not JSON/);
    assert.match(messages[1]!, /exceeds maxFrameBytes/);
    assert.match(messages[2]!, /binary frame of 4 bytes is not UTF-8/);
    assert.match(messages[3]!, /not an envelope arrived while no request was waiting/);
    assert.match(messages[4]!, /not a valid SType/);
    assert.ok(log.errors.every((e) => e.error instanceof MplError && e.error.code === 'E-INVALID-ENVELOPE' && e.source === 'frame'));
    assert.deepEqual(seen, ['plan-9']);
    const reply = await session.send('org.agent.TaskPlan.v1', plan(10));
    assert.equal(reply.getPayload<{ id: string }>().id, 'plan-10');
    await session.close();
    await listening;
  });

  it('resolves listen() when the session closes, and when its signal aborts (buffering again)', async () => {
    const { session } = await open();
    const controller = new AbortController();
    const stopped = session.listen({ signal: controller.signal });
    controller.abort();
    await stopped;
    await server.push('org.agent.TaskPlan.v1', plan(1));
    await waitUntil(() => session.stats.buffered === 1, 'buffered again');
    const listening = session.listen();
    await session.close();
    await listening;
    await session.listen(); // already closed: resolves at once
  });

  it('keeps dispatching while any listen() runs: stopping one of two does not stop the other', async () => {
    const { session } = await open();
    const seen: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', (env: MplEnvelope<{ id: string }>) => { seen.push(env.payload.id); });
    const controller = new AbortController();
    const first = session.listen({ signal: controller.signal });
    const second = session.listen();
    controller.abort();
    await first;
    await server.push('org.agent.TaskPlan.v1', plan(1));
    await waitUntil(() => seen.length === 1, 'dispatch by the remaining listener');
    await session.close();
    await second;
  });

  it('sessions listening until one shared signal aborts hold one listener of the SDK\'s on it, none once they stop', async () => {
    const controller = new AbortController();
    const sessions = await Promise.all(Array.from({ length: 12 }, async () => (await open()).session));
    const listening = sessions.map((session) => session.listen({ signal: controller.signal }));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    await sessions[0]!.close(); // one stops on its own: the others still wait
    await listening[0];
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort();
    await Promise.all(listening);
    await Promise.all(sessions.map((session) => session.close()));
    // A listen() that ends with its session lets go of the signal.
    const kept = new AbortController();
    const { session } = await open();
    const done = session.listen({ signal: kept.signal });
    await session.close();
    await done;
    assert.equal(getEventListeners(kept.signal, 'abort').length, 0);
  });

  it('resolves listen() when a handler of a message buffered before it closes the session', async () => {
    const { session } = await open();
    session.onMessage('org.agent.TaskPlan.v1', () => { void session.close(); });
    await server.push('org.agent.TaskPlan.v1', plan(1));
    await waitUntil(() => session.stats.buffered === 1, 'the push, buffered');
    await within(session.listen(), 'listen() to resolve');
    assert.equal(session.isConnected, false);
  });

  it('keeps nothing of a listen() that its signal ended (20,000 of them on one session)', async () => {
    const gc = exposedGc();
    const { session } = await open();
    const heapAfterGc = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const listenAndStop = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const controller = new AbortController();
        const listening = session.listen({ signal: controller.signal });
        controller.abort();
        await listening;
      }
    };
    await listenAndStop(2000); // warm-up: code, caches
    const before = heapAfterGc();
    await listenAndStop(20_000);
    const grown = heapAfterGc() - before;
    // Before, each one kept a reaction on the session's close until the session closed: 11.8 MB here.
    assert.ok(grown < 1_000_000, `the heap grew by ${grown} bytes`);
    await session.close();
  });
});
