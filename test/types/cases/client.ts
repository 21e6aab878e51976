// Type-level cases for Client.call: the tools of ClientTools (declaration merging), the
// payload of the `stype` option, and `call<T, A>` for one call; untyped calls as before.
// Every line must compile, and every line under `@ts-expect-error` must fail to. Checked by
// test/types/types.test.ts; never run.
import { Client, Mode, type CallArgs, type KnownTool, type PayloadOf, type ToolResult } from 'mpl-sdk';

declare module 'mpl-sdk' {
  interface ClientTools {
    'math.add': { args: { a: number; b: number }; result: { sum: number } };
    'calendar.create_event': { args: PayloadOf<'org.calendar.Event.v1'>; result: { event_id: string } };
    'status': { args: { verbose?: boolean }; result: 'up' | 'down' };
    'ping': { result: string }; // args not given: any object
  }
}

declare const client: Client<typeof Mode.Production>;
declare const dev: Client;
declare const toolName: string;
declare const untrusted: Record<string, unknown>;

export async function compiles(): Promise<void> {
  // A tool of ClientTools: its arguments checked, its data typed.
  const { data: added } = await client.call('math.add', { a: 2, b: 3 });
  const sum: number = added.sum;
  const { data: created } = await client.call('calendar.create_event', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
  const eventId: string = created.event_id;
  const { data: status } = await client.call('status'); // all its arguments optional: args may be left out
  const up: 'up' | 'down' = status;
  await client.call('status', { verbose: true }, { timeoutMs: 1000 });
  await client.call('ping', { anything: [1, 2] });
  // An `stype` of StypePayloads: the arguments are its payload.
  await client.call('calendar.create', { title: 'Sync', start: '2024-01-15T10:00:00Z' }, { stype: 'org.calendar.Event.v1' });
  await client.call('calendar.create', { title: 'Sync', start: '2024-01-15T10:00:00Z' }, { stype: 'urn:stype:org.calendar.Event.v1' });
  // An SType the map does not know, or one known at run time only: any object.
  await client.call('trade', { symbol: 'ACME', qty: 3 }, { stype: 'com.acme.finance.Trade.v2' });
  await client.call('trade', untrusted, { stype: toolName });
  // call<T, A> for one call: data is T, args must be A.
  const { data: hits } = await client.call<{ hits: string[] }, { q: string }>('search', { q: 'mpl' });
  const first: string | undefined = hits.hits[0];
  // Untyped, as before: any tool name, any object, data unknown (or the T given).
  const { data: anything } = await client.call('echo', { x: 1 });
  const unknownData: unknown = anything;
  await client.call(toolName);
  await client.call('echo', untrusted, { signal: AbortSignal.timeout(1000) });
  const { data: legacy } = await client.call<{ sum: number }>('other.add', { a: 1, b: 2 });
  const legacySum: number = legacy.sum;
  // call<unknown> opts out of the stype's check (a payload the proxy should block, say).
  await client.call<unknown>('calendar.create', { title: 'no start' }, { stype: 'org.calendar.Event.v1' });
  // Development mode: narrow on valid.
  const r = await dev.call('math.add', { a: 1, b: 2 });
  if (r.valid) { const n: number = r.data.sum; void n; } else void r.error.code;
  // The helper types.
  const tool: KnownTool = 'math.add';
  const args: CallArgs<'math.add'> = { a: 1, b: 2 };
  const event: CallArgs<'calendar.create', 'org.calendar.Event.v1'> = { title: 'Sync', start: '2024-01-15T10:00:00Z' };
  const free: CallArgs<'some.tool'> = { whatever: true };
  const result: ToolResult<'math.add'> = { sum: 3 };
  void sum; void eventId; void up; void first; void unknownData; void legacySum; void tool; void args; void event; void free; void result;
}

export async function fails(): Promise<void> {
  // @ts-expect-error a wrong argument type (b is a number)
  await client.call('math.add', { a: 2, b: '3' });
  // @ts-expect-error a missing argument (b)
  await client.call('math.add', { a: 2 });
  // @ts-expect-error a misspelt argument
  await client.call('math.add', { a: 2, b: 3, c: 4 });
  // @ts-expect-error arguments left out where some are required
  await client.call('math.add');
  // @ts-expect-error the tool's arguments are an SType's payload: a wrong enum value
  await client.call('calendar.create_event', { title: 'Sync', start: '2024-01-15T10:00:00Z', status: 'maybe' });
  const { data } = await client.call('math.add', { a: 2, b: 3 });
  // @ts-expect-error data is the tool's result: sum is a number
  const s: string = data.sum;
  // @ts-expect-error the stype's payload: a misspelt field
  await client.call('calendar.create', { titel: 'Sync', start: '2024-01-15T10:00:00Z' }, { stype: 'org.calendar.Event.v1' });
  // @ts-expect-error the stype's payload: a missing field (start)
  await client.call('calendar.create', { title: 'Sync' }, { stype: 'urn:stype:org.calendar.Event.v1' });
  // @ts-expect-error call<T, A>: the arguments must be A
  await client.call<{ hits: string[] }, { q: string }>('search', { q: 1 });
  // @ts-expect-error arguments are an object, never an array
  await client.call('echo', [1, 2]);
  // @ts-expect-error nor a string
  await client.call('echo', 'text');
  const { data: untyped } = await client.call('echo', {});
  // @ts-expect-error an untyped tool's data is unknown
  void untyped.anything;
  // @ts-expect-error a tool ClientTools does not list is no KnownTool
  const tool: KnownTool = 'other.tool';
  void s; void tool;
}

/** A client's mode comes from its options, never from where it is stored (a development client typed production). */
export function modeFromOptions(): void {
  class Api {
    readonly client: Client<typeof Mode.Production>;
    readonly other: Client<typeof Mode.Production>;
    constructor() {
      // @ts-expect-error no mode given: a development client, which is no Client<'production'>
      this.client = new Client('http://127.0.0.1:9443/mcp', { timeoutMs: 1000 });
      this.other = new Client('http://127.0.0.1:9443/mcp', { mode: Mode.Production, timeoutMs: 1000 });
    }
  }
  // @ts-expect-error no options at all: the same
  const bare: Client<'production'> = new Client('http://127.0.0.1:9443/mcp');
  const development: Client<'development'> = new Client('http://127.0.0.1:9443/mcp');
  const either: Client = new Client('http://127.0.0.1:9443/mcp');
  const chosen = (mode: Mode): Client => new Client('http://127.0.0.1:9443/mcp', { mode });
  void Api; void bare; void development; void either; void chosen;
}

/** Untyped tools take any object: an interface's, a class instance's (no index signature needed). */
export async function anyObjectArgs(): Promise<void> {
  interface SearchArgs { q: string; limit?: number }
  class Query { constructor(readonly q: string) {} }
  const args: SearchArgs = { q: 'mpl' };
  await dev.call('search', args);
  await dev.call<{ hits: string[] }>('search', args);
  await dev.call('search', new Query('mpl'));
}
