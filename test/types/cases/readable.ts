// Mistakes whose compiler messages test/types/types.test.ts reads: they must say what is
// wrong in words a person acts on. (Deliberately does not compile; never run.)
import { Session } from 'mpl-sdk';
import { MplServer } from 'mpl-sdk/server';

declare const session: Session;
declare const server: MplServer;

export async function mistakes(): Promise<void> {
  await session.send('org.calendar.Event.v1', { titel: 'Sync', start: '2024-01-15T10:00:00Z' });
  await session.send('org.calendar.Event.v1', { title: 'Sync' });
  await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z', status: 'maybe' });
  await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z', duration_minutes: '30' });
  server.on('org.calendar.Event.v1', async (envelope) => ({ ...envelope.payload, status: 'later' }));
}
