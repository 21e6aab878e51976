// Example 1 of session-reference.md: a WebSocket session whose handlers answer the
// server's task plans with task results.
import { Session } from 'mpl-sdk';
import type { ReferenceServer } from '../server/index.ts';
import { expect, heading, line, shortHash, signal, since, within } from '../transcript.ts';

interface CalendarEvent { title: string; start: string; duration_minutes?: number; end?: string; id?: string; status?: string }

export async function websocketHandlers(server: ReferenceServer): Promise<void> {
  const endpoint = `${server.url.replace('http', 'ws')}/mcp`;
  heading(`1. WebSocket session with message handlers   ${endpoint}`);
  const session = new Session({
    endpoint,
    stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1'],
    qomProfile: 'qom-strict-argcheck',
  });

  const answered = signal<string>();
  session.onMessage('org.agent.TaskPlan.v1', async (envelope) => {
    const plan = envelope.payload; // typed from the registry: OrgAgentTaskPlanV1
    line(`← pushed  ${envelope.stype}  ${shortHash(envelope.semHash)}  "${plan.title}": ${plan.objective}`);
    const t0 = performance.now();
    const reply = await session.send('org.agent.TaskResult.v1', {
      plan_id: plan.id,
      status: 'completed',
      output: { summary: 'Task completed successfully' },
    });
    line(`→ sent    org.agent.TaskResult.v1 for ${plan.id}; reply ${reply.stype} ${shortHash(reply.semHash)} (${since(t0)})`);
    answered.resolve(plan.id);
  });

  const eventSeen = signal<CalendarEvent>();
  session.onMessage('org.calendar.Event.v1', (envelope) => {
    const event = envelope.payload;
    line(`← pushed  ${envelope.stype}  ${shortHash(envelope.semHash)}  "${event.title}" at ${event.start}`);
    eventSeen.resolve(event);
  });

  try {
    const t0 = performance.now();
    const caps = await session.connect();
    line(`connected in ${since(t0)}: common STypes ${caps.commonStypes.join(', ')}; profile ${caps.selectedProfile}`);
    expect(caps.commonStypes.length === 3, 'example 1: all three STypes negotiated');
    expect(caps.selectedProfile === 'qom-strict-argcheck', 'example 1: qom-strict-argcheck selected');

    const listening = session.listen();
    const planId = await within(5000, 'example 1: the pushed task plan was answered', answered.promise);

    await server.push('org.calendar.Event.v1', { title: 'Design review', start: '2026-12-02T10:00:00Z', duration_minutes: 45 });
    await within(5000, 'example 1: the pushed calendar event reached its handler', eventSeen.promise);

    const t1 = performance.now();
    const reply = await session.send('org.calendar.Event.v1', {
      title: 'Architecture Review',
      start: '2024-03-01T14:00:00Z',
      duration_minutes: 60,
      attendees: ['alice@example.com', 'bob@example.com'],
    });
    const confirmed = reply.getPayload<CalendarEvent>();
    line(`→ sent    org.calendar.Event.v1; reply ${reply.stype} ${shortHash(reply.semHash)}: ${confirmed.status} as ${confirmed.id}, ends ${confirmed.end} (${since(t1)})`);
    line(`          reply names its request (in_reply_to) and reports QoM ${JSON.stringify(reply.qomReport?.metrics)}`);
    expect(confirmed.status === 'confirmed' && confirmed.end === '2024-03-01T15:00:00Z', 'example 1: the event came back confirmed, with its end');
    expect(reply.qomReport?.meets_profile === true, 'example 1: the reply meets qom-strict-argcheck');

    const result = server.recorded.find((r) => r.kind === 'envelope' && (r.wire as { payload?: { plan_id?: string } }).payload?.plan_id === planId);
    line(`server recorded the task result: valid ${result?.valid}, hash ${result?.hashOk ? 'verified' : 'NOT verified'}`);
    expect(result?.valid && result.hashOk, 'example 1: the server verified the task result');

    await session.close();
    await within(2000, 'example 1: listen() resolves on close()', listening);
    line(`closed; listen() resolved; connected: ${session.isConnected}`);
  } finally {
    await session.close();
  }
}
