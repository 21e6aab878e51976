/**
 * mpl-sdk from Deno: an HTTP session (validated, hashed send; a deliberately invalid
 * event refused with its paths) and a WebSocket session (send, reply, a pushed message
 * through listen()), against an MPL server. Needs network permission only:
 *
 *   deno run --allow-net main.ts http://127.0.0.1:8080
 *
 * `mpl-sdk` comes from deno.json's import map (`npm:mpl-sdk`). The WebSocket part expects
 * the server to push a task plan after the handshake, as the demo's reference server does.
 * The last line printed is a JSON summary, which the repository's test reads.
 */
import { MplError, SchemaFidelityError, Session, semanticHash } from 'mpl-sdk';

const args: string[] = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? [];
const server = new URL(args[0] ?? 'http://127.0.0.1:8080');
const wsUrl = new URL('/ws', server);
wsUrl.protocol = server.protocol === 'https:' ? 'wss:' : 'ws:';
const summary: Record<string, unknown> = { server: server.href };
const reported: string[] = [];
const onError = (error: Error, context: { source: string }) => { reported.push(`${context.source}: ${error.message}`); };

const event = { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 };

// 1. HTTP: handshake, a validated and hashed send, and an invalid event refused locally.
{
  await using session = await Session.open({ endpoint: new URL('/mcp', server).href, stypes: ['org.calendar.Event.v1'], qomProfile: 'qom-basic', onError });
  console.log(`http: negotiated ${session.capabilities?.commonStypes.join(', ')} under ${session.capabilities?.selectedProfile}`);
  const reply = await session.send('org.calendar.Event.v1', event);
  const hash = await semanticHash(event);
  console.log(`http: sent org.calendar.Event.v1 ${hash}; reply ${reply.stype} in reply to ${reply.inReplyTo ?? '(id-less)'}`);
  summary['http'] = { commonStypes: session.capabilities?.commonStypes, sentHash: hash, replyStype: reply.stype, inReplyTo: reply.inReplyTo };
  try {
    await session.send('org.calendar.Event.v1', { title: 'Bad', start: 'tomorrow' });
    summary['invalid'] = 'sent (should have been refused)';
  } catch (error) {
    if (!(error instanceof SchemaFidelityError)) throw error;
    for (const issue of error.validationErrors) console.log(`http: refused before sending: ${issue.path || '(root)'}: ${issue.message}`);
    summary['invalid'] = error.validationErrors.map((issue) => issue.path);
  }
}

// 2. WebSocket: handshake, send with reply, then listen() until a pushed TaskPlan arrives.
{
  const session = new Session({
    endpoint: wsUrl.href,
    stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1'],
    qomProfile: 'qom-basic',
    onError,
  });
  const caps = await session.connect();
  console.log(`ws: negotiated ${caps.commonStypes.join(', ')}`);
  const reply = await session.send('org.calendar.Event.v1', { ...event, title: 'Team Sync (over WebSocket)' });
  console.log(`ws: reply ${reply.stype} in reply to ${reply.inReplyTo ?? '(id-less)'}`);
  // The server pushes a task plan right after the handshake (an A2A peer handing out
  // work); the session keeps it until listen() starts. Answer it, then close.
  session.onMessage('org.agent.TaskPlan.v1', async (plan) => {
    const { id, objective } = plan.payload;
    console.log(`ws: pushed task plan ${id}: ${objective}`);
    const result = await session.send('org.agent.TaskResult.v1', { plan_id: id, status: 'completed', output: { summary: 'Done from Deno' } });
    console.log(`ws: answered with org.agent.TaskResult.v1, reply ${result.stype}`);
    summary['pushedPlan'] = id;
    await session.close();
  });
  const timeout = setTimeout(() => void session.close(), 10_000);
  await session.listen();
  clearTimeout(timeout);
  summary['ws'] = { commonStypes: caps.commonStypes, replyStype: reply.stype, inReplyTo: reply.inReplyTo };
}

summary['reported'] = reported;
const ok = summary['pushedPlan'] !== undefined && Array.isArray(summary['invalid']) && reported.length === 0;
summary['ok'] = ok;
console.log(JSON.stringify(summary));
if (!ok) throw new MplError('E-DEMO', 'the Deno example did not see everything it expected', { details: summary });
