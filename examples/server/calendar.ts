import { MplServer } from 'mpl-sdk/server';

/** A calendar agent: strict checks, events confirmed with their end worked out, a task plan pushed to whoever takes them. */
export function calendarServer(): MplServer {
  const server = new MplServer({ mode: 'strict', qomReports: 'always' });
  server.on('org.calendar.Event.v1', (envelope, ctx) => {
    const event = envelope.payload; // OrgCalendarEventV1, from the SType
    const end = new Date(Date.parse(event.start) + (event.duration_minutes ?? 30) * 60_000);
    return ctx.reply('org.calendar.Event.v1', { ...event, status: 'confirmed', end: end.toISOString().replace('.000Z', 'Z') });
  });
  // A client that takes task plans gets one once its handshake is done (the README's client examples wait for it).
  server.onHandshake(async (session) => {
    if (!session.commonStypes.includes('org.agent.TaskPlan.v1')) return;
    try {
      await session.push('org.agent.TaskPlan.v1', { id: 'plan-1', title: 'Prepare the review', objective: 'Book a room for the architecture review' });
    } catch (error) {
      if (session.isOpen) throw error; // else the client left right after its handshake: nobody to tell
    }
  });
  return server;
}
