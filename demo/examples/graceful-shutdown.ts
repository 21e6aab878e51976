// Example 3 of session-reference.md: several SType listeners, and a graceful shutdown
// when the process receives SIGINT.
import { Session } from 'mpl-sdk';
import type { ReferenceServer } from '../server/index.ts';
import { expect, heading, line, signal, since, within } from '../transcript.ts';

export async function gracefulShutdown(server: ReferenceServer): Promise<void> {
  const endpoint = `${server.url.replace('http', 'ws')}/mcp`;
  heading(`3. Several listeners and a graceful shutdown by signal   ${endpoint}`);
  const shutdown = new AbortController();
  const onSigint = () => {
    line('SIGINT received: shutting down…');
    shutdown.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    await runSession(server, endpoint, shutdown.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
  line('session disposed (await using): the connection is closed');
}

async function runSession(server: ReferenceServer, endpoint: string, stop: AbortSignal): Promise<void> {
  const firstRecord = server.recorded.length;
  const t0 = performance.now();
  await using session = await Session.open({
    endpoint,
    stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'],
    qomProfile: 'qom-basic',
  });
  line(`session connected in ${since(t0)}, listening for messages…`);

  const counts = { heartbeats: 0, plans: 0, logged: 0 };
  const planDone = signal();
  const beatsDone = signal();
  session.onMessage('org.agent.Heartbeat.v1', async () => {
    await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
    counts.heartbeats += 1;
    if (counts.heartbeats === 3) beatsDone.resolve();
  });
  session.onMessage('org.agent.TaskPlan.v1', async (envelope) => {
    await session.send('org.agent.TaskResult.v1', { plan_id: envelope.payload.id, status: 'completed' });
    counts.plans += 1;
    planDone.resolve();
  });
  const stopLogging = session.onMessage('org.agent.TaskPlan.v1', (envelope) => {
    counts.logged += 1;
    line(`(second TaskPlan listener) saw ${envelope.id.slice(0, 8)}…`);
  });

  const listening = session.listen({ signal: stop });
  await within(5000, 'example 3: the task plan pushed on connect was answered', planDone.promise);
  stopLogging();
  await server.push('org.agent.Heartbeat.v1', { status: 'alive', agent_id: 'walkthrough' });
  await server.push('org.agent.Heartbeat.v1', { status: 'busy', agent_id: 'walkthrough' });
  await within(5000, 'example 3: three heartbeats were answered', beatsDone.promise);
  line(`answered ${counts.plans} task plan(s) and ${counts.heartbeats} heartbeat(s); the second listener ran ${counts.logged} time(s)`);

  const t1 = performance.now();
  process.kill(process.pid, 'SIGINT');
  await within(3000, 'example 3: listen() stops on SIGINT', listening);
  line(`listen() returned ${since(t1)} after the signal; still connected until the session is disposed: ${session.isConnected}`);
  expect(counts.plans === 1 && counts.heartbeats === 3 && counts.logged === 1, 'example 3: every listener ran as expected');
  const received = server.recorded.slice(firstRecord).filter((r) => r.kind === 'envelope');
  line(`server recorded ${received.length} envelope(s) from this session: ${received.filter((r) => r.valid && r.hashOk).length} valid with a verified hash`);
  expect(received.length === 4 && received.every((r) => r.valid && r.hashOk), 'example 3: the server received 4 valid, hashed envelopes');
}
