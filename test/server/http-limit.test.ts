// The HTTP endpoint's concurrency limit, on a real Node server on an ephemeral port with
// real concurrent requests: `limits.maxConcurrentRequests` run at once, `maxQueuedRequests`
// wait their turn, and one more is answered 503 `E-OVERLOADED` with Retry-After, which
// the SDK's Client and Session read as that error. The handler blocks until the test
// releases it, so nothing depends on timing. A request whose client left while it waited
// is dropped when its turn comes (the Node adapter aborts the Request's signal).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import { Client, Mode, MplError, Session } from '../../src/index.ts';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplServer } from '../../src/server/index.ts';
import { serveNode, type NodeServer } from '../../src/server/node.ts';

const EVENT = 'org.calendar.Event.v1';
const running: NodeServer[] = [];
after(() => Promise.all(running.map((r) => r.close())));

/** A server whose Event handler waits until `release()`; `entered(n)` resolves once n handlers run. */
async function blockingServer(limits: { maxConcurrentRequests: number; maxQueuedRequests: number }) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let count = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server = new MplServer({ limits: { ...limits, handlerTimeoutMs: 600_000 } });
  server.on(EVENT, async (envelope) => {
    count += 1;
    for (const w of waiters.filter((w) => count >= w.n)) w.resolve();
    await released;
    return envelope.payload;
  });
  const node = await serveNode(server);
  running.push(node);
  const entered = (n: number) => new Promise<void>((resolve) => (count >= n ? resolve() : waiters.push({ n, resolve })));
  return { url: node.url, httpServer: node.httpServer, release, entered, handled: () => count };
}

const payload = { title: 'Sync', start: '2024-03-01T14:00:00Z' };
async function post(url: string, signal?: AbortSignal): Promise<Response> {
  const body = { id: crypto.randomUUID(), stype: EVENT, payload, sem_hash: await semanticHash(payload) };
  return fetch(`${url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
}

describe('MplServer over HTTP: the concurrency limit', () => {
  it('runs maxConcurrentRequests at once, queues maxQueuedRequests, answers one more 503 E-OVERLOADED with Retry-After', async () => {
    const s = await blockingServer({ maxConcurrentRequests: 2, maxQueuedRequests: 1 });
    const first = [post(s.url), post(s.url)];
    await s.entered(2);
    const more = [post(s.url), post(s.url)];
    // One of the two waits in the queue and cannot answer before the release: the other is refused.
    const refused = await Promise.race(more);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    const body = await refused.json();
    assert.equal(body.error, 'E-OVERLOADED');
    assert.match(body.message, /2 requests running, 1 waiting/);
    assert.equal(s.handled(), 2, 'the queued request has not run yet');
    s.release();
    const answers = await Promise.all([...first, ...more]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 200, 200, 503]);
    for (const r of answers.filter((r) => r.status === 200)) assert.equal((await r.json()).stype, EVENT);
    assert.equal(s.handled(), 3, 'the queued request ran once a slot was free');
    // Every slot came back: a full round again runs without a refusal.
    const again = await Promise.all([post(s.url), post(s.url), post(s.url)]);
    assert.deepEqual(again.map((r) => r.status), [200, 200, 200]);
  });

  it('GET /health and /capabilities are answered at once while every turn is taken and the queue is full (a liveness probe never waits or gets 503)', async () => {
    const s = await blockingServer({ maxConcurrentRequests: 1, maxQueuedRequests: 1 });
    const busy = [post(s.url), post(s.url)];
    await s.entered(1);
    const refused = await post(s.url);
    assert.equal(refused.status, 503, 'the turns and the queue are full');
    const started = performance.now();
    const health = await fetch(`${s.url}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).status, 'healthy');
    assert.equal((await fetch(`${s.url}/capabilities`)).status, 200);
    assert.ok(performance.now() - started < 2000, 'answered without waiting for a turn');
    s.release();
    await Promise.all(busy);
  });

  it('the SDK\'s Client and Session (HTTP) read the refusal as E-OVERLOADED, never as a reply', async () => {
    const s = await blockingServer({ maxConcurrentRequests: 1, maxQueuedRequests: 1 });
    await using session = await Session.open({ endpoint: `${s.url}/mcp`, stypes: [EVENT] });
    const blocked = [post(s.url)];
    await s.entered(1);
    // Two more: one waits in the queue, the other is refused; then the queue is known full.
    const two = [post(s.url), post(s.url)];
    assert.equal((await Promise.race(two)).status, 503);
    const client = new Client(`${s.url}/mcp`, { mode: Mode.Production, retry: 0 });
    const fromClient = await client.send(EVENT, payload).then(() => undefined, (error: unknown) => error);
    const fromSession = await session.send(EVENT, payload).then(() => undefined, (error: unknown) => error);
    for (const error of [fromClient, fromSession]) {
      assert.ok(error instanceof MplError, `expected an MplError, got ${String(error)}`);
      assert.equal(error.code, 'E-OVERLOADED');
      assert.equal(error.details['status'], 503);
    }
    s.release();
    assert.deepEqual((await Promise.all([...blocked, ...two])).map((r) => r.status).sort(), [200, 200, 503]);
    const reply = await session.send(EVENT, payload);
    assert.deepEqual(reply.payload, payload);
  });

  it('a request whose client went away while it waited is dropped when its turn comes', async () => {
    const s = await blockingServer({ maxConcurrentRequests: 1, maxQueuedRequests: 2 });
    const first = post(s.url);
    await s.entered(1);
    // The next request reaches the server and waits (the adapter queues it as it reads it, before this listener runs).
    const arrived = new Promise<IncomingMessage>((resolve) => s.httpServer.once('request', resolve));
    const leaving = new AbortController();
    const gone = post(s.url, leaving.signal).catch((error: Error) => error.name);
    const req = await arrived;
    const closed = new Promise((resolve) => req.socket.once('close', resolve));
    leaving.abort();
    assert.equal(await gone, 'AbortError');
    await closed;
    const third = post(s.url);
    s.release();
    assert.deepEqual([(await first).status, (await third).status], [200, 200]);
    assert.equal(s.handled(), 2, 'the abandoned request never ran');
  });

  it('a running handler whose client went away has its signal aborted (E-CONNECTION-FAILED), frees its turn when it ends, and is not reported', async () => {
    const errors: unknown[] = [];
    const server = new MplServer({ limits: { maxConcurrentRequests: 1, maxQueuedRequests: 1, handlerTimeoutMs: 600_000 }, onError: (error) => errors.push(error) });
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let reason: unknown;
    server.on(EVENT, (envelope, ctx) => {
      if ((envelope.payload as { title: string }).title !== 'Sync') return envelope.payload;
      entered();
      // A handler passing its signal on, as to a fetch: it ends with the abort.
      return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject((reason = ctx.signal.reason))));
    });
    const node = await serveNode(server);
    running.push(node);
    const leaving = new AbortController();
    const gone = post(node.url, leaving.signal).catch((error: Error) => error.name);
    await inHandler;
    leaving.abort();
    assert.equal(await gone, 'AbortError');
    // The turn is free again once the handler ended: with a limit of one, the next request is answered.
    const next = { title: 'Next', start: '2024-03-01T14:00:00Z' };
    const body = { id: crypto.randomUUID(), stype: EVENT, payload: next, sem_hash: await semanticHash(next) };
    const answer = await fetch(`${node.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
    assert.equal(answer.status, 200);
    assert.ok(reason instanceof MplError);
    assert.equal(reason.code, 'E-CONNECTION-FAILED');
    assert.equal(reason.message, 'The HTTP client went away before the answer');
    assert.deepEqual(errors, [], 'a peer that left is not the server\'s failure');
  });

  it('a handler that ignores its aborted signal keeps its turn until it ends: the next request waits for it', async () => {
    const s = await blockingServer({ maxConcurrentRequests: 1, maxQueuedRequests: 1 });
    const arrived = new Promise<IncomingMessage>((resolve) => s.httpServer.once('request', resolve));
    const leaving = new AbortController();
    const gone = post(s.url, leaving.signal).catch((error: Error) => error.name);
    const req = await arrived;
    await s.entered(1);
    const closed = new Promise((resolve) => req.socket.once('close', resolve));
    leaving.abort();
    assert.equal(await gone, 'AbortError');
    await closed; // the server has seen the client go (the Request's signal aborted)
    const next = post(s.url);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(s.handled(), 1, 'the next request waits while the first handler runs');
    s.release();
    assert.equal((await next).status, 200);
    assert.equal(s.handled(), 2);
  });
});
