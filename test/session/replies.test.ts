import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { HashMismatchError, MplError, QomBreachError, SchemaFidelityError, Session } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { EVENT, errorLog, waitUntil } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1'];

describe('replies', () => {
  let server: TestServer;
  let ws: Session;
  let http: Session;
  before(async () => {
    server = await startTestServer();
    // Raw frames sent by some tests reach every socket, this one's too: it reports them, quietly.
    ws = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: errorLog().onError });
    http = new Session({ endpoint: server.httpUrl, stypes: STYPES });
    await ws.connect();
    await http.connect();
  });
  after(async () => { await ws.close(); await http.close(); await server.close(); });
  const reset = (): void => { Object.assign(server.behaviour, { reply: 'in-reply-to', corruptHash: false, replyPayload: undefined, replyStype: undefined, qomReport: undefined }); };

  for (const marker of ['in-reply-to', 'correlation-id', 'parent-id'] as const) {
    it(`matches a reply that names the request by ${marker}, whatever the order`, async () => {
      server.behaviour.reply = marker;
      try {
        const titles = ['a', 'b', 'c', 'd'];
        const replies = await Promise.all(titles.map((title) => ws.send('org.calendar.Event.v1', { ...EVENT, title })));
        assert.deepEqual(replies.map((r) => r.getPayload<{ title: string }>().title), titles);
      } finally { reset(); }
    });
  }

  it('reads the proxy\'s id-less mpl-response in order, keeping its validation block', async () => {
    server.behaviour.reply = 'id-less';
    try {
      const titles = ['one', 'two', 'three'];
      const replies = await Promise.all(titles.map((title) => ws.send('org.calendar.Event.v1', { ...EVENT, title })));
      assert.deepEqual(replies.map((r) => r.getPayload<{ title: string }>().title), titles);
      assert.equal(replies[0]?.stype, 'org.calendar.Event.v1');
      // The proxy's QoM verdict is also kept where an X-MPL-QoM-Result header's would be.
      assert.deepEqual(replies[0]?.extra, { type: 'mpl-response', validation: { valid: true, schema_valid: true, qom_passed: true }, 'x-mpl-qom-result': 'pass' });
      assert.ok(replies[0]?.inReplyTo);
    } finally { reset(); }
  });

  it('a passthrough answer (the proxy could not read the request as an envelope) is E-INVALID-ENVELOPE, never the reply', async () => {
    server.behaviour.reply = 'passthrough';
    try {
      await assert.rejects(ws.send('org.calendar.Event.v1', EVENT), (e: unknown) => {
        assert.ok(e instanceof MplError && e.code === 'E-INVALID-ENVELOPE', String(e));
        assert.match(e.message, /could not read request \S+ as an MPL envelope .*neither validated nor forwarded/);
        assert.equal(e.details['answer'], 'passthrough');
        assert.match(String(e.details['message']), /"stype":"org\.calendar\.Event\.v1"/); // what the proxy passed through: the request
        return true;
      });
      // The next request, answered as usual, gets its own reply: nothing shifted.
      reset();
      assert.deepEqual((await ws.send('org.calendar.Event.v1', EVENT)).payload, EVENT);
    } finally { reset(); }
  });

  for (const kind of ['ws', 'http'] as const) {
    const session = (): Session => (kind === 'ws' ? ws : http);

    it(`turns a server's E-SCHEMA-FIDELITY reply into SchemaFidelityError with the server's paths (${kind})`, async () => {
      server.behaviour.reply = 'error';
      try {
        const error = await session().send('org.calendar.Event.v1', EVENT).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof SchemaFidelityError, String(error));
        assert.equal(error.stype, 'org.calendar.Event.v1');
        assert.deepEqual(error.validationErrors.map((v) => v.path), ['/start', '/attendees/0']);
        if (kind === 'http') assert.equal(error.details['status'], 400);
        assert.equal(session().stats.pending, 0);
      } finally { reset(); }
    });

    it(`rejects a reply whose sem_hash does not match its payload with HashMismatchError (${kind})`, async () => {
      server.behaviour.corruptHash = true;
      try {
        const error = await session().send('org.calendar.Event.v1', EVENT).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof HashMismatchError, String(error));
        assert.equal(error.expected, `b3:${'0'.repeat(64)}`);
        assert.match(error.actual, /^b3:[0-9a-f]{64}$/);
      } finally { reset(); }
    });

    it(`validates a reply payload that has a schema, unless validate: false (${kind})`, async () => {
      server.behaviour.replyStype = 'org.agent.TaskResult.v1';
      server.behaviour.replyPayload = () => ({ status: 'not-a-status' });
      try {
        const error = await session().send('org.calendar.Event.v1', EVENT).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof SchemaFidelityError, String(error));
        assert.equal(error.stype, 'org.agent.TaskResult.v1');
        const reply = await session().send('org.calendar.Event.v1', EVENT, { validate: false });
        assert.deepEqual(reply.getPayload(), { status: 'not-a-status' });
      } finally { reset(); }
    });

    it(`enforces the negotiated QoM profile on replies' qom_report (${kind})`, async () => {
      const strict = new Session({ endpoint: kind === 'ws' ? server.wsUrl : server.httpUrl, stypes: STYPES, qomProfile: 'qom-strict-argcheck' });
      await strict.connect();
      try {
        server.behaviour.qomReport = { profile: 'qom-strict-argcheck', metrics: { schema_fidelity: 1, instruction_compliance: 0.5 } };
        const error = await strict.send('org.calendar.Event.v1', EVENT).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof QomBreachError, String(error));
        assert.equal(error.metric, 'instructionCompliance');
        assert.equal(error.expected, 0.97);
        assert.equal(error.actual, 0.5);
        assert.equal(error.profile, 'qom-strict-argcheck');
        server.behaviour.qomReport = { metrics: { schema_fidelity: 1, instruction_compliance: 0.99 } };
        assert.ok(await strict.send('org.calendar.Event.v1', EVENT));
        server.behaviour.qomReport = undefined;
        assert.ok(await strict.send('org.calendar.Event.v1', EVENT), 'no report, no breach');
      } finally { reset(); await strict.close(); }
    });
  }

  it('keeps a non-envelope HTTP reply as the payload, with the SType of X-MPL-SType', async () => {
    server.behaviour.reply = 'plain-json';
    try {
      // The declared SType is validated like any other (this body is not a TaskResult), hence validate: false.
      await assert.rejects(http.send('org.calendar.Event.v1', EVENT), SchemaFidelityError);
      const reply = await http.send('org.calendar.Event.v1', EVENT, { validate: false });
      assert.equal(reply.stype, 'org.agent.TaskResult.v1');
      assert.deepEqual(reply.getPayload(), { result: { content: [{ type: 'text', text: 'ok' }] }, echoed: EVENT });
    } finally { reset(); }
  });

  it('never takes a pushed envelope for a reply, and dispatches id-less replies mixed with pushes in order', async () => {
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: log.onError });
    await session.connect();
    const pushed: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', (env) => { pushed.push(env.getPayload<{ title: string }>().title); });
    const listening = session.listen();
    server.behaviour.reply = 'silent';
    try {
      const before = server.received.length;
      const sends = ['r1', 'r2', 'r3'].map((title) => session.send('org.calendar.Event.v1', { ...EVENT, title }));
      await server.waitForReceived(before + 3);
      const plan = (title: string): Record<string, unknown> => ({ id: 'plan-1', title, objective: 'test the matcher' });
      const idless = (title: string): string => JSON.stringify({ type: 'mpl-response', stype: 'org.calendar.Event.v1', validation: { valid: true }, payload: { ...EVENT, title } });
      // Pushes carry no marker: they must not consume the replies' places.
      await server.push('org.agent.TaskPlan.v1', plan('push-1'));
      server.sendRaw(idless('r1'));
      await server.push('org.agent.TaskPlan.v1', plan('push-2'));
      await server.push('org.agent.TaskPlan.v1', plan('push-3'), { in_reply_to: 'someone-else' });
      server.sendRaw(idless('r2'));
      server.sendRaw(idless('r3'));
      const replies = await Promise.all(sends);
      assert.deepEqual(replies.map((r) => r.getPayload<{ title: string }>().title), ['r1', 'r2', 'r3']);
      await waitUntil(() => pushed.length === 3, 'three pushes');
      assert.deepEqual(pushed, ['push-1', 'push-2', 'push-3']);
      assert.deepEqual(log.errors, []);
    } finally {
      reset();
      await session.close();
      await listening;
    }
  });

  it('never gives a reply that names an unknown request to the oldest pending one', async () => {
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: log.onError });
    await session.connect();
    server.behaviour.reply = 'silent';
    try {
      const before = server.received.length;
      const pending = session.send('org.calendar.Event.v1', { ...EVENT, title: 'mine' });
      await server.waitForReceived(before + 1);
      server.sendRaw(JSON.stringify({ error: 'E-SCHEMA-FIDELITY', message: 'not yours', in_reply_to: 'someone-else' }));
      await waitUntil(() => log.errors.length === 1, 'the report');
      assert.match(log.errors[0]!.error.message, /no request was waiting/);
      const request = server.received[before]!.data as { id: string };
      server.sendRaw(JSON.stringify({ id: 'r', stype: 'org.calendar.Event.v1', payload: { ...EVENT, title: 'mine' }, in_reply_to: request.id }));
      assert.equal((await pending).getPayload<{ title: string }>().title, 'mine');
    } finally {
      reset();
      await session.close();
    }
  });

  it('reports an id-less reply that arrives with no request waiting', async () => {
    const log = errorLog();
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: log.onError });
    await session.connect();
    server.sendRaw(JSON.stringify({ type: 'mpl-response', stype: 'org.calendar.Event.v1', payload: {} }));
    await waitUntil(() => log.errors.length === 1, 'the report');
    assert.equal(log.errors[0]?.source, 'frame');
    assert.match(log.errors[0]!.error.message, /no request was waiting/);
    await session.close();
  });
});

describe('a peer that answers by name but out of order', () => {
  it('a late reply that names a request given up is reported as late (late-reply), even after a later request was answered: never handed to the handlers as a push', async (t) => {
    const { WebSocketServer } = await import('ws');
    const { semanticHash } = await import('../../src/index.ts');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    t.after(() => new Promise<void>((resolve) => { for (const c of wss.clients) c.terminate(); wss.close(() => resolve()); }));
    wss.on('connection', (ws) => ws.on('message', async (raw) => {
      const frame = JSON.parse(String(raw));
      if (frame.type === 'ai-alpn-hello') return ws.send(JSON.stringify({ type: 'ai-alpn-select', common_stypes: frame.stypes, selected_profile: null, extensions: {} }));
      if (frame.payload.title === 'slow') await new Promise((resolve) => setTimeout(resolve, 300));
      ws.send(JSON.stringify({ id: crypto.randomUUID(), stype: frame.stype, payload: frame.payload, sem_hash: await semanticHash(frame.payload), in_reply_to: frame.id }));
    }));
    const log = errorLog();
    const session = new Session({ endpoint: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/ws`, stypes: STYPES, onError: log.onError });
    t.after(() => session.close());
    await session.connect();
    const pushed: string[] = [];
    session.onMessage('org.calendar.Event.v1', (env) => { pushed.push((env.payload as { title: string }).title); });
    const listening = session.listen();
    await assert.rejects(session.send('org.calendar.Event.v1', { ...EVENT, title: 'slow' }, { timeoutMs: 100 }), /timed out/);
    const fast = await session.send('org.calendar.Event.v1', { ...EVENT, title: 'fast' });
    assert.equal((fast.payload as { title: string }).title, 'fast');
    await waitUntil(() => log.errors.length > 0, 'the late reply');
    assert.deepEqual(log.errors.map((e) => e.source), ['late-reply']);
    assert.match(log.errors[0]!.error.message, /arrived after that request had timed out/);
    assert.deepEqual(pushed, [], 'no handler saw it');
    await session.close();
    await listening;
  });
});
