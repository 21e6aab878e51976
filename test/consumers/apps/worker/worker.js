import { SchemaFidelityError, Session, semanticHash } from 'mpl-sdk';

export default {
  async fetch(request, env) {
    const lines = [];
    const session = new Session({ endpoint: env.MPL_ENDPOINT, stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'] });
    session.onMessage('org.agent.TaskPlan.v1', async (plan) => {
      lines.push(`pushed plan: ${plan.getPayload().id}`);
      await session.close(); // ends listen()
    });

    await session.connect(); // a WebSocket belongs to the request that opened it
    const reply = await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' });
    lines.push(`reply: ${reply.stype} ${reply.semHash}`, `hash: ${await semanticHash({ status: 'alive' })}`);
    try {
      // @ts-expect-error no start: refused by the compiler too (TypeScript, checkJs)
      await session.send('org.calendar.Event.v1', { title: 'No start' });
    } catch (error) {
      if (!(error instanceof SchemaFidelityError)) throw error;
      lines.push(`refused: ${error.validationErrors.map((issue) => issue.message).join('; ')}`); // never sent
    }
    await session.listen();
    return new Response(lines.join('\n'));
  },
};
