import { MplServer } from 'mpl-sdk/server';

/** A calendar agent: strict checks, events confirmed with their end worked out. */
export function calendarServer(): MplServer {
  const server = new MplServer({ mode: 'strict', qomReports: 'always' });
  server.on('org.calendar.Event.v1', (envelope, ctx) => {
    const event = envelope.payload; // OrgCalendarEventV1, from the SType
    const end = new Date(Date.parse(event.start) + (event.duration_minutes ?? 30) * 60_000);
    return ctx.reply('org.calendar.Event.v1', { ...event, status: 'confirmed', end: end.toISOString().replace('.000Z', 'Z') });
  });
  return server;
}
