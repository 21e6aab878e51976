// Type-level cases for the STypes the SDK ships typed (its embedded registry): every line
// must compile, and every line under `@ts-expect-error` must fail to (tsc reports an
// unused `@ts-expect-error`). Checked by test/types/types.test.ts; never run.
import { Client, MplEnvelope, Session, type KnownStype, type PayloadOf } from 'mpl-sdk';

declare const session: Session;
declare const client: Client;
declare const untrusted: unknown;
declare const someStype: string;
const asConst = { title: 'Sync', start: '2024-01-15T10:00:00Z', attendees: ['ada@example.com'] } as const;

export async function compiles(): Promise<void> {
  // A known SType: the payload is its type, optional fields optional.
  await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
  await session.send('org.calendar.Event.v1', { title: 'Review', start: '2024-03-01T14:00:00Z', attendees: ['a@example.com', { email: 'b@example.com', status: 'accepted' }], recurrence: { frequency: 'weekly' } });
  await session.send('urn:stype:org.agent.Heartbeat.v1', { status: 'alive' });
  await client.send('org.agent.TaskResult.v1', { plan_id: 'p1', status: 'completed', output: { summary: 'done' } });
  // A payload built before it is sent: `satisfies` keeps its literal members (as the README says).
  const built = { title: 'Sync', start: '2024-01-15T10:00:00Z', status: 'confirmed', attendees: ['ada@example.com'] } satisfies PayloadOf<'org.calendar.Event.v1'>;
  await session.send('org.calendar.Event.v1', built);
  // An SType the map does not know, or a string known only at run time: anything goes.
  await session.send('com.acme.finance.Trade.v2', { symbol: 'ACME', qty: 3 });
  await session.send(someStype, 42);
  await client.send('com.acme.finance.Trade.v2', [1, 2, 3]);
  // The explicit escape hatch for untrusted JSON: checked at run time only.
  await session.send<string>('org.calendar.Event.v1', untrusted);

  // Handlers get the typed envelope.
  session.onMessage('org.agent.TaskPlan.v1', (envelope) => {
    const id: string = envelope.payload.id;
    const objective: string = envelope.getPayload().objective;
    void id; void objective;
  });
  session.onMessage('com.acme.Thing.v1', (envelope) => {
    const payload: unknown = envelope.payload;
    void payload;
  });

  // Replies: narrowed by SType (checked at run time), or cast (unchecked).
  const reply = await session.send('org.agent.TaskPlan.v1', { id: 'p1', title: 'Plan', objective: 'Do it' });
  if (reply.is('org.agent.TaskResult.v1')) {
    const status: 'completed' | 'failed' | 'partial' | 'cancelled' | 'in_progress' = reply.payload.status;
    void status;
  }
  const event = reply.getPayload('org.calendar.Event.v1');
  const title: string = event.title;
  const legacy: number = reply.getPayload<{ n: number }>().n;
  const typedReply = await session.send<'org.agent.Heartbeat.v1', { ok: boolean }>('org.agent.Heartbeat.v1', { status: 'busy' });
  const ok: boolean = typedReply.payload.ok;
  void title; void legacy; void ok;

  // The map's helpers.
  const known: KnownStype = 'org.communication.Message.v1';
  const heartbeat: PayloadOf<'org.agent.Heartbeat.v1'> = { status: 'alive' };
  const other: PayloadOf<'com.acme.Thing.v1'> = Symbol('anything');
  const created = MplEnvelope.create('org.agent.Heartbeat.v1', heartbeat);
  void known; void other; void created;
}

export async function fails(): Promise<void> {
  // @ts-expect-error a misspelt field (the schema is closed: additionalProperties false)
  await session.send('org.calendar.Event.v1', { titel: 'Sync', start: '2024-01-15T10:00:00Z' });
  // @ts-expect-error a missing required field (start)
  await session.send('org.calendar.Event.v1', { title: 'Sync' });
  // @ts-expect-error a wrong enum value
  await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z', status: 'maybe' });
  // @ts-expect-error a wrong type (duration_minutes is an integer)
  await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z', duration_minutes: '30' });
  // @ts-expect-error `as const` makes an array readonly, which the (mutable) payload types refuse: the README says so
  await session.send('org.calendar.Event.v1', asConst);
  // @ts-expect-error a wrong enum value nested in an array item
  await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z', attendees: [{ email: 'a@example.com', status: 'maybe' }] });
  // @ts-expect-error Client.send checks too
  await client.send('org.agent.TaskResult.v1', { plan_id: 'p1', status: 'done' });
  // @ts-expect-error a urn:stype: prefix changes nothing
  await session.send('urn:stype:org.agent.Heartbeat.v1', { status: 'sleeping' });
  // @ts-expect-error untrusted JSON needs the explicit <string> escape hatch
  await session.send('org.calendar.Event.v1', untrusted);

  session.onMessage('org.agent.TaskPlan.v1', (envelope) => {
    // @ts-expect-error the handler's payload is the TaskPlan type: its title is a string
    const title: number = envelope.payload.title;
    void title;
  });
  session.onMessage('com.acme.Thing.v1', (envelope) => {
    // @ts-expect-error an SType the map does not know: the payload is unknown
    void envelope.payload.anything;
  });

  const reply = await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
  // @ts-expect-error the reply's SType is the server's choice: unknown until asked for
  void reply.payload.status;
  // @ts-expect-error getPayload(stype) gives that SType's type: title is a string
  const n: number = reply.getPayload('org.calendar.Event.v1').title;
  void n;
}
