// Type-level cases for TypingOptions.knownStypesOnly: with it, the typed methods take only
// an SType the compiler knows (or its urn:stype: form), so a misspelt one does not compile.
// Checked by test/types/types.test.ts (alone: the augmentation below is this file's); never run.
import { Session, type KnownStype, type MplEnvelope } from 'mpl-sdk';
import { MplServer } from 'mpl-sdk/server';

declare module 'mpl-sdk' {
  interface TypingOptions { knownStypesOnly: true }
}

declare const session: Session;
declare const server: MplServer;
declare const reply: MplEnvelope;
declare const fromConfig: string;

export async function compiles(): Promise<void> {
  await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
  await session.send('urn:stype:org.agent.Heartbeat.v1', { status: 'alive' });
  session.onMessage('org.agent.TaskPlan.v1', (envelope) => console.log(envelope.payload.objective));
  if (reply.is('org.agent.TaskResult.v1')) console.log(reply.payload.status);
  server.on('org.calendar.Event.v1', (envelope) => ({ ...envelope.payload, status: 'confirmed' }));
  server.on('*', () => undefined); // the catch-all stays
  await session.send(fromConfig as KnownStype, {} as never); // a string known only at run time: cast
}

export async function fails(): Promise<void> {
  // @ts-expect-error a misspelt SType
  await session.send('org.calender.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
  // @ts-expect-error an SType the compiler does not know
  await session.send('com.acme.finance.Trade.v2', {});
  // @ts-expect-error a malformed one
  session.onMessage('org.calendar.Event', () => {});
  // @ts-expect-error in a handler's reply too
  server.on('org.calendar.Event.v1', (_envelope, ctx) => ctx.reply('org.agent.Heartbeet.v1', { status: 'alive' }));
  // @ts-expect-error a plain string
  await session.send(fromConfig, {});
}
