// The SDK's Session against the reference server in both reply styles: replies that name
// their request (in_reply_to) and the proxy's id-less, in-order replies, with pushed
// envelopes arriving while requests are pending.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaFidelityError, Session, type MplEnvelope } from '../../src/index.ts';
import { startReferenceServer } from '../../demo/server/index.ts';

const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'];
const event = (i: number) => ({ title: `Meeting ${i}`, start: '2024-03-01T14:00:00Z', duration_minutes: 15 * i });

for (const replies of ['in-reply-to', 'id-less'] as const) {
  describe(`Session against the reference server, ${replies} replies`, () => {
    it('matches concurrent WebSocket replies to their requests while the server pushes', async () => {
      const server = await startReferenceServer({ replies, mode: 'production', pushOnConnect: true });
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, qomProfile: 'qom-basic' });
      try {
        // Pushes are checked (hash, schema) and dispatched in their own order, not the replies':
        // the three expected ones are awaited, not assumed to be in by the last reply.
        const pushed: MplEnvelope[] = [];
        let allPushed!: () => void;
        const threePushes = new Promise<void>((resolve) => { allPushed = resolve; });
        const collect = (e: MplEnvelope) => { if (pushed.push(e) === 3) allPushed(); };
        session.onMessage('org.agent.TaskPlan.v1', collect);
        session.onMessage('org.agent.Heartbeat.v1', collect);
        await session.connect();
        const listening = session.listen();
        const sends = Array.from({ length: 20 }, (_, i) => session.send('org.calendar.Event.v1', event(i + 1)));
        await server.push('org.agent.Heartbeat.v1', { status: 'busy' });
        const answers = await Promise.all(sends);
        answers.forEach((reply, i) => assert.equal(reply.getPayload<{ title: string }>().title, `Meeting ${i + 1}`));
        if (replies === 'in-reply-to') assert.ok(answers.every((r) => r.inReplyTo && r.semHash));
        await assert.rejects(session.send('org.calendar.Event.v1', { title: 'x', start: 'soon' }, { validate: false }), (e) => e instanceof SchemaFidelityError && e.validationErrors[0]?.path === '/start');
        await threePushes;
        assert.deepEqual(pushed.map((e) => e.stype).sort(), ['org.agent.Heartbeat.v1', 'org.agent.Heartbeat.v1', 'org.agent.TaskPlan.v1']);
        await session.close();
        await listening;
        assert.equal(server.recorded.filter((r) => r.kind === 'envelope' && r.valid && r.hashOk).length, 20);
      } finally {
        await session.close(); // also when an assertion failed: an open session keeps the server from closing
        await server.close();
      }
    });

    it('matches HTTP replies, and reads the server\'s 400 as a SchemaFidelityError', async () => {
      const server = await startReferenceServer({ replies, mode: 'production' });
      const session = new Session({ endpoint: `${server.url}/mcp`, stypes: STYPES, qomProfile: 'qom-basic' });
      try {
        await session.connect();
        const answers = await Promise.all([1, 2, 3].map((i) => session.send('org.calendar.Event.v1', event(i))));
        answers.forEach((reply, i) => {
          assert.equal(reply.stype, 'org.calendar.Event.v1');
          assert.equal(reply.getPayload<{ title: string }>().title, `Meeting ${i + 1}`);
        });
        await assert.rejects(session.send('org.calendar.Event.v1', { title: '', start: '2024-03-01T14:00:00Z' }, { validate: false }), (e) => e instanceof SchemaFidelityError && e.validationErrors[0]?.path === '/title');
      } finally {
        await session.close();
        await server.close();
      }
    });
  });
}
