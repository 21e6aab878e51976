// Type-level cases for mpl-sdk/server handlers (dist/server.d.ts, as users get it): the
// envelope's payload is typed from its SType, ctx.reply checks the reply's payload against
// its own SType. Every line must compile; every line under `@ts-expect-error` must not.
// Checked by test/types/types.test.ts; never run.
import { MplServer, Reply, type HandledStype } from 'mpl-sdk/server';

declare const server: MplServer;

export function compiles(): void {
  server.on('org.calendar.Event.v1', (envelope, ctx) => {
    const title: string = envelope.payload.title;
    const minutes: number | undefined = envelope.payload.duration_minutes;
    void title; void minutes;
    return ctx.reply('org.calendar.Event.v1', { ...envelope.payload, status: 'confirmed' });
  });
  server.on('org.agent.TaskResult.v1', (_envelope, ctx) => ctx.reply('org.agent.Heartbeat.v1', { status: 'alive' }));
  // An SType the map does not know, and the catch-all: the payload is unknown.
  server.on('com.acme.finance.Trade.v2', (envelope) => envelope.payload);
  server.on('*', (envelope, ctx) => ctx.reply(envelope.stype, envelope.payload));
  // The envelope's stype is the handler's SType id (the server matches ids exactly), with or without the URN prefix.
  server.on('org.calendar.Event.v1', (envelope) => {
    const id: 'org.calendar.Event.v1' = envelope.stype;
    void id;
  });
  server.on('urn:stype:org.calendar.Event.v1', (envelope) => {
    const id: 'org.calendar.Event.v1' = envelope.stype;
    const title: string = envelope.payload.title;
    void id; void title;
  });
  server.on('com.acme.finance.Trade.v2', (envelope) => {
    const id: 'com.acme.finance.Trade.v2' = envelope.stype;
    void id;
  });
  const typed: HandledStype<'*'> = 'any.thing.At.v9';
  void typed;
  // A handler returns a payload of its SType (literal members kept), a reply, or nothing; sync or async.
  server.on('org.calendar.Event.v1', (envelope) => ({ ...envelope.payload, status: 'confirmed' }));
  server.on('org.calendar.Event.v1', async (envelope) => {
    await Promise.resolve();
    return { ...envelope.payload, status: 'tentative' };
  });
  server.on('org.agent.Heartbeat.v1', () => undefined);
  server.on('org.agent.Heartbeat.v1', () => {});
  server.on('com.acme.finance.Trade.v2', () => ({ anything: [1, 2] }));
  // Pushes and broadcasts: their payloads typed from the SType too.
  server.onHandshake(async (session) => {
    const pushed = await session.push('org.agent.Heartbeat.v1', { status: 'alive' });
    const status: string = pushed.payload.status;
    void status;
  });
  void server.broadcast('org.agent.TaskPlan.v1', { id: 'p-1', title: 'Review', objective: 'Book it' });
  void server.broadcast('com.acme.finance.Trade.v2', { anything: true });
}

export function fails(): void {
  // @ts-expect-error: only ctx.reply makes a Reply (its payload checked against its SType); the constructor is private
  server.on('org.calendar.Event.v1', () => new Reply('org.agent.TaskResult.v1', { plan_id: 'p', status: 'nonsense' }));
  // @ts-expect-error: an object shaped like a Reply is no Reply (only ctx.reply makes one): here it is neither that nor an Event
  server.on('org.calendar.Event.v1', () => ({ stype: 'org.agent.TaskResult.v1', payload: { plan_id: 'p', status: 'completed' } }));
  // @ts-expect-error: a handler's returned payload is its SType's: no `titel`
  server.on('org.calendar.Event.v1', () => ({ titel: 'Sync', start: '2024-01-15T10:00:00Z' }));
  // @ts-expect-error: nor a status the Event does not have, async or not
  server.on('org.calendar.Event.v1', async (envelope) => ({ ...envelope.payload, status: 'maybe' }));
  server.onHandshake(async (session) => {
    // @ts-expect-error: `sleeping` is no heartbeat status
    await session.push('org.agent.Heartbeat.v1', { status: 'sleeping' });
  });
  // @ts-expect-error: a TaskPlan needs an objective
  void server.broadcast('org.agent.TaskPlan.v1', { id: 'p-1', title: 'Review' });
  server.on('org.calendar.Event.v1', (envelope) => {
    // @ts-expect-error: the Event has no `titel`
    void envelope.payload.titel;
  });
  server.on('org.agent.TaskResult.v1', (_envelope, ctx) => {
    // @ts-expect-error: `sleeping` is no heartbeat status
    return ctx.reply('org.agent.Heartbeat.v1', { status: 'sleeping' });
  });
  server.on('org.calendar.Event.v1', (_envelope, ctx) => {
    // @ts-expect-error: an Event needs its `start`
    return ctx.reply('org.calendar.Event.v1', { title: 'no start' });
  });
  server.on('com.acme.Thing.v1', (envelope) => {
    // @ts-expect-error: an SType the map does not know has an unknown payload
    void envelope.payload.anything;
  });
  server.on('org.calendar.Event.v1', (envelope) => {
    // @ts-expect-error: an Event handler's envelope is an Event, never a Heartbeat (the test is always false)
    if (envelope.stype === 'org.agent.Heartbeat.v1') return undefined;
    // @ts-expect-error: nor does its id carry the URN prefix
    const urn: 'urn:stype:org.calendar.Event.v1' = envelope.stype;
    void urn;
    return undefined;
  });
}
