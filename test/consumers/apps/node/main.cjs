const { SchemaFidelityError, Session, semanticHash } = require('mpl-sdk'); // require() of the ESM package: Node ^20.19 || >=22.12

async function main(endpoint) {
  const session = new Session({ endpoint, stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'] });
  session.onMessage('org.agent.TaskPlan.v1', async (plan) => {
    console.log('pushed plan:', plan.getPayload().id);
    await session.close();
  });
  await session.connect();
  const reply = await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' });
  console.log('reply:', reply.stype, reply.semHash);
  console.log('hash:', await semanticHash({ status: 'alive' }));
  try {
    // @ts-expect-error no start: refused by the compiler too (TypeScript, checkJs)
    await session.send('org.calendar.Event.v1', { title: 'No start' });
  } catch (error) {
    if (!(error instanceof SchemaFidelityError)) throw error;
    console.log('refused:', error.validationErrors.map((issue) => issue.message).join('; '));
  }
  await session.listen();
}

main(process.argv[2] ?? 'ws://localhost:8080/ws');
