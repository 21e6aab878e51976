import { MplServer } from 'mpl-sdk/server';

/** A calendar agent: strict checks, events confirmed with their end worked out. */
export function calendarServer(): MplServer {
  const server = new MplServer({ mode: 'strict', qomReports: 'always' });
  server.on('org.calendar.Event.v1', (envelope) => {
    const event = envelope.payload as { start: string; duration_minutes?: number };
    const end = new Date(Date.parse(event.start) + (event.duration_minutes ?? 30) * 60_000);
    return { ...event, status: 'confirmed', end: end.toISOString().replace('.000Z', 'Z') };
  });
  return server;
}
