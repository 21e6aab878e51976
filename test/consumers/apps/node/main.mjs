import { SchemaFidelityError, Session, semanticHash } from 'mpl-sdk';

const session = new Session({
  endpoint: process.argv[2] ?? 'ws://localhost:8080/ws',
  stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'],
});
session.onMessage('org.agent.TaskPlan.v1', async (plan) => {
  console.log('pushed plan:', plan.getPayload().id);
  await session.close(); // ends listen()
});

await session.connect(); // AI-ALPN handshake
const reply = await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' }); // validated, hashed
console.log('reply:', reply.stype, reply.semHash);
console.log('hash:', await semanticHash({ status: 'alive' }));
try {
  // @ts-expect-error no start: refused by the compiler too (TypeScript, checkJs)
  await session.send('org.calendar.Event.v1', { title: 'No start' });
} catch (error) {
  if (!(error instanceof SchemaFidelityError)) throw error;
  console.log('refused:', error.validationErrors.map((issue) => issue.message).join('; ')); // never sent
}
await session.listen(); // runs the handlers of pushed messages until close()
