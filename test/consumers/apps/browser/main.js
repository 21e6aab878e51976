import { SchemaFidelityError, Session, semanticHash } from 'mpl-sdk';

const endpoint = new URLSearchParams(location.search).get('mpl') ?? 'ws://localhost:8080/ws';
const show = (...words) => document.body.append(Object.assign(document.createElement('p'), { textContent: words.join(' ') }));

const session = new Session({ endpoint, stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'] });
session.onMessage('org.agent.TaskPlan.v1', (plan) => show('pushed plan:', plan.getPayload().id));

await session.connect(); // AI-ALPN handshake
const reply = await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' }); // validated, hashed
show('reply:', reply.stype, reply.semHash);
show('hash:', await semanticHash({ status: 'alive' }));
try {
  // @ts-expect-error no start: refused by the compiler too (TypeScript, checkJs)
  await session.send('org.calendar.Event.v1', { title: 'No start' });
} catch (error) {
  if (!(error instanceof SchemaFidelityError)) throw error;
  show('refused:', error.validationErrors.map((issue) => issue.message).join('; ')); // never sent
}
await session.listen(); // runs the handlers of pushed messages until the page closes
