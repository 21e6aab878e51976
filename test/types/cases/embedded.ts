// Type-level cases for the STypes the SDK ships typed (its embedded registry): every line
// must compile, and every line under `@ts-expect-error` must fail to (tsc reports an
// unused `@ts-expect-error`). Checked by test/types/types.test.ts; never run.
import { Client, ErrorCode, MplEnvelope, MplError, Session, type KnownStype, type PayloadOf, type WebSocketConstructor, type WebSocketLike } from 'mpl-sdk';

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

/** What a user writes that the SDK takes at run time: the types take it too (the types review's findings). */
export async function takesWhatRunsToo(options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; profile?: string | undefined }): Promise<void> {
  // A handler that returns something (an expression-bodied arrow): the value is ignored, a promise awaited.
  const received: MplEnvelope<unknown>[] = [];
  session.onMessage('org.agent.Heartbeat.v1', (envelope) => received.push(envelope));
  session.onMessage('org.agent.TaskPlan.v1', (envelope) => session.send('org.agent.TaskResult.v1', { plan_id: envelope.payload.id, status: 'completed' }));
  // A list of STypes shared as a constant (readonly), as the server's own `stypes` takes it.
  const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'] as const;
  const shared = new Session({ endpoint: 'ws://127.0.0.1:8080/ws', stypes: STYPES });
  await shared.send('org.agent.Heartbeat.v1', { status: 'alive' }, { features: ['mpl.batch'] as const });
  // A caller's optional values passed on as they are (undefined: the default), under exactOptionalPropertyTypes.
  const forwarded = new Session({ endpoint: 'ws://127.0.0.1:8080/ws', timeoutMs: options.timeoutMs, qomProfile: options.profile, reconnect: { maxRetries: undefined } });
  await forwarded.connect({ signal: options.signal });
  await forwarded.send('org.agent.Heartbeat.v1', { status: 'alive' }, { signal: options.signal, timeoutMs: options.timeoutMs });
  await forwarded.listen({ signal: options.signal });
  await new Client('http://127.0.0.1:9443/mcp', { timeoutMs: options.timeoutMs }).health({ signal: options.signal });
}

/** MplEnvelope.create checks a known SType's payload as send() does; another SType's is what it is. */
export function envelopesOfKnownStypes(): void {
  const event = MplEnvelope.create('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
  const title: string = event.payload.title;
  // @ts-expect-error a misspelt field (and no start)
  MplEnvelope.create('org.calendar.Event.v1', { titel: 'Sync' });
  // @ts-expect-error a value outside the enum
  MplEnvelope.create('org.agent.Heartbeat.v1', { status: 'sleeping' });
  const other = MplEnvelope.create('com.acme.finance.Trade.v2', { symbol: 'ACME', qty: 3 });
  const qty: number = other.payload.qty;
  const loose = MplEnvelope.create(someStype, [1, 2]);
  void title; void qty; void loose;
}

/** An error's code: the codes the SDK knows are offered (and compared as such), a peer's unknown one is still a string. */
export function errorCodes(error: MplError): void {
  const known: boolean = error.code === 'E-SCHEMA-FIDELITY' || error.code === ErrorCode.Timeout;
  const theirs: string = error.code; // E-PROXY-ERROR, a peer's own
  void known; void theirs;
}

/** The Session's `WebSocket` option takes a WebSocket class as the runtime declares it, without a cast; anything else does not compile. */
export function webSocketOption(): void {
  const viaGlobal = new Session({ endpoint: 'wss://mpl.example/ws', stypes: ['org.calendar.Event.v1'], WebSocket });
  const ctor: WebSocketConstructor = WebSocket;
  const socket: WebSocketLike = new WebSocket('wss://mpl.example/ws');
  // @ts-expect-error an instance, not the class
  new Session({ endpoint: 'wss://mpl.example/ws', WebSocket: socket });
  // @ts-expect-error a function that is no constructor
  new Session({ endpoint: 'wss://mpl.example/ws', WebSocket: (url: string) => new WebSocket(url) });
  // @ts-expect-error a class that is no WebSocket
  new Session({ endpoint: 'wss://mpl.example/ws', WebSocket: class { constructor(readonly url: string) {} } });
  void [viaGlobal, ctor];
}
