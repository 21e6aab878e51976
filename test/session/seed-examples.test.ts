// The three complete examples of session-reference.md, in TypeScript, against the team's
// reference server (demo/server, which runs the built package: `npm run build` first).
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaFidelityError, Session, type MplEnvelope } from '../../src/index.ts';
import { startReferenceServer, type ReferenceServer } from '../../demo/server/index.ts';
import { waitUntil } from '../support/session-helpers.ts';


describe('the seed\'s examples against the reference server', () => {
  let server: ReferenceServer;
  let strict: ReferenceServer;
  before(async () => {
    server = await startReferenceServer({ pushOnConnect: true });
    strict = await startReferenceServer({ mode: 'production', replies: 'id-less' });
  });
  after(async () => { await server.close(); await strict.close(); });

  it('1. WebSocket session with message handlers', async () => {
    const session = new Session({
      endpoint: `${server.url.replace('http', 'ws')}/mcp`,
      stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1'],
      qomProfile: 'qom-strict-argcheck',
    });
    const results: MplEnvelope[] = [];
    const events: string[] = [];
    session.onMessage('org.agent.TaskPlan.v1', async (envelope) => {
      const plan = envelope.getPayload();
      results.push(await session.send('org.agent.TaskResult.v1', { plan_id: plan.id, status: 'completed', output: { summary: 'Task completed successfully' } }));
    });
    session.onMessage('org.calendar.Event.v1', (envelope) => {
      events.push(`${envelope.getPayload().title} at ${envelope.getPayload().start}`);
    });
    await using _ = session;
    const caps = await session.connect();
    assert.deepEqual(caps.commonStypes, ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1']);
    assert.equal(caps.selectedProfile, 'qom-strict-argcheck');
    const listening = session.listen();
    await waitUntil(() => results.length === 1, 'the pushed plan to be answered');
    await server.push('org.calendar.Event.v1', { title: 'Design review', start: '2026-12-02T10:00:00Z', duration_minutes: 45 });
    await waitUntil(() => events.length === 1, 'the pushed event');
    assert.deepEqual(events, ['Design review at 2026-12-02T10:00:00Z']);
    const sent = server.recorded.find((r) => r.kind === 'envelope' && (r.wire as { stype: string }).stype === 'org.agent.TaskResult.v1');
    assert.ok(sent, 'the server got the TaskResult');
    assert.equal(sent.valid, true);
    assert.equal(sent.hashOk, true, 'the server verified our hash');
    assert.match(results[0]!.semHash ?? '', /^b3:/);
    await session.close();
    await listening;
  });

  it('2. HTTP session with validation', async () => {
    await using session = await Session.open({
      endpoint: `${server.url}/mcp`,
      stypes: ['org.calendar.Event.v1'],
      qomProfile: 'qom-basic',
      autoValidate: true,
      autoHash: true,
    });
    assert.equal(session.capabilities?.selectedProfile, 'qom-basic');
    assert.deepEqual(session.capabilities?.commonStypes, ['org.calendar.Event.v1']);
    const response = await session.send('org.calendar.Event.v1', { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 });
    assert.match(response.semHash ?? '', /^b3:[0-9a-f]{64}$/);
    assert.ok(response.getPayload());
    const recorded = server.recorded.at(-1)!;
    assert.equal(recorded.transport, 'http');
    assert.equal(recorded.hashOk, true);
    assert.equal((recorded.wire as { sem_hash: string }).sem_hash, 'b3:56e303e43d35d0220f2569fea73618cbfdf14b1fee2168fc4bf3f8bacd3e4f4c');
    const error = await session.send('org.calendar.Event.v1', { title: 'Team Sync', start: 'tomorrow' }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof SchemaFidelityError);
    assert.deepEqual(error.validationErrors.map((v) => v.path), ['/start']);
  });

  it('3. multiple SType listeners with graceful shutdown', async () => {
    const session = new Session({
      endpoint: server.wsUrl,
      stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'],
      qomProfile: 'qom-basic',
    });
    const answered: string[] = [];
    session.onMessage('org.agent.Heartbeat.v1', async () => {
      await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
      answered.push('heartbeat');
    });
    session.onMessage('org.agent.TaskPlan.v1', async (envelope) => {
      await session.send('org.agent.TaskResult.v1', { plan_id: envelope.getPayload().id, status: 'completed' });
      answered.push('plan');
    });
    const shutdown = new AbortController();
    await using _ = session;
    await session.connect();
    const listenTask = session.listen({ signal: shutdown.signal });
    await waitUntil(() => answered.length === 2, 'both pushes answered');
    assert.deepEqual([...answered].sort(), ['heartbeat', 'plan']);
    shutdown.abort(); // the seed's listen_task.cancel()
    await listenTask;
    assert.equal(session.isConnected, true, 'stopping listen() does not close the session');
  });

  it('talks to a production-mode server with the proxy\'s id-less replies, and reads its refusals', async () => {
    await using session = await Session.open({ endpoint: strict.wsUrl, stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'] });
    const replies = await Promise.all(['a', 'b', 'c'].map((title) => session.send('org.calendar.Event.v1', { title, start: '2024-01-15T10:00:00Z' })));
    assert.deepEqual(replies.map((r) => r.getPayload<{ title: string }>().title), ['a', 'b', 'c']);
    const error = await session.send('org.calendar.Event.v1', { title: 'x', start: 'yesterday' }, { validate: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof SchemaFidelityError, String(error));
    assert.ok(error.validationErrors.some((v) => v.path === '/start'), JSON.stringify(error.validationErrors));
    const after = await session.send('org.calendar.Event.v1', { title: 'after', start: '2024-01-15T10:00:00Z' });
    assert.equal(after.getPayload<{ title: string }>().title, 'after', 'replies stay in step after a refusal');

    await using http = await Session.open({ endpoint: `${strict.url}/mcp`, stypes: ['org.calendar.Event.v1'] });
    const httpError = await http.send('org.calendar.Event.v1', { title: 'x', start: 'yesterday' }, { validate: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(httpError instanceof SchemaFidelityError, String(httpError));
    assert.equal(httpError.details['status'], 400);
    assert.ok(httpError.validationErrors.some((v) => v.path === '/start'));
  });
});
