import type { MplError } from '../errors/mpl-error.ts';
import type { HashLayout } from '../hashing/hash-layout.ts';
import type { PayloadOf, StypeId } from '../protocol/payloads.ts';
import type { BuiltinQomProfileName, QomProfile } from '../protocol/qom.ts';
import type { Registry } from '../registry/index.ts';
import type { Mode } from './mode.ts';

/**
 * The options argument of `new Client(endpoint, options)`: a production client names its
 * mode, so that a client made without one (a development client, whose failures come back
 * in the result) is never typed `Client<'production'>` from where it is stored.
 *
 * @example
 * const client: Client<typeof Mode.Production> = new Client(url, { mode: Mode.Production });
 */
export type ClientArgs<M extends Mode> = [M] extends [typeof Mode.Production]
  ? [options: ClientOptions<M> & { mode: M }]
  : [options?: ClientOptions<M>];

/**
 * Options of `new Client(endpoint, options)`.
 *
 * @example
 * const client = new Client('http://127.0.0.1:9443/mcp', {
 *   mode: Mode.Production, timeoutMs: 10_000, headers: { Authorization: `Bearer ${token}` },
 *   retry: { limit: 3, post: true }, registry: embeddedRegistry(), profile: 'qom-strict-argcheck',
 *   hashLayout: 'legacy', // a proxy built with an older serde_json
 * });
 */
export interface ClientOptions<M extends Mode = Mode> {
  /**
   * `Mode.Development` (default): failures come back in the result (`valid: false`,
   * `error`). `Mode.Production`: failures throw the matching `MplError`.
   */
  mode?: M | undefined;
  /** Time limit of each HTTP attempt, in milliseconds. Default 30000. */
  timeoutMs?: number | undefined;
  /**
   * Headers sent with every request (an `Authorization` header, for instance). One that
   * `fetch` would refuse makes the first request reject with `E-INVALID-ARGUMENT`, naming
   * the header but not its value.
   */
  headers?: Record<string, string> | undefined;
  /**
   * The `fetch` to use instead of the global one. It is called as `fetch(url, init)` (a
   * request that retries goes through ky, which calls it with a `Request`): a wrapper must
   * pass both arguments on, e.g. `(input, init) => fetch(input, init)`. The time limits hold
   * even for one that ignores `init.signal`.
   */
  fetch?: typeof fetch | undefined;
  /**
   * Retries after a network failure or a 408/429/5xx answer, with backoff (0.3 s, 0.6 s…),
   * or after the wait the answer's `Retry-After` asks for; one that asks for longer than
   * `timeoutMs` is not waited for: that answer is the result (`details.retryAfter`).
   * GETs (`health`, `capabilities`) retry `limit` times (default 2). POSTs (`call`, `send`)
   * are never retried unless `post: true`, because a tool call may not be safe to repeat.
   * `0` turns retries off.
   */
  retry?: number | { limit?: number; post?: boolean } | undefined;
  /** Where `send` finds schemas to validate against. Default: the SDK's embedded registry. */
  registry?: Registry | undefined;
  /**
   * A QoM profile to hold `send` replies to: a reply carrying a `qom_report` that fails it
   * is a `QomBreachError`; a reply without a report is not a breach. A name is looked up
   * at the first `send` (which loads QoM evaluation then): the registry's profile file of
   * that name, else the built-in one (an unknown name makes `send` throw before anything is
   * sent). A `QomProfile` object comes from `mpl-sdk/qom`. Sent as the envelope's `profile`.
   */
  profile?: BuiltinQomProfileName | (string & {}) | QomProfile | undefined;
  /**
   * The number layout of the hashes `send` writes: `'current'` (default, the reference as
   * built today: `1e+20`) or `'legacy'` (`1e20`, for a strict proxy built with
   * serde_json ≤ 1.0.146). Reply hashes are accepted in either layout.
   */
  hashLayout?: HashLayout | undefined;
}

/**
 * Per-request options shared by `call`, `send`, `health` and `capabilities`.
 *
 * @example
 * const stop = new AbortController();
 * const health = await client.health({ timeoutMs: 2000, retry: 0, signal: stop.signal });
 */
export interface ClientRequestOptions {
  /** Cancels the request; the promise then rejects with the signal's reason (in both modes). */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this request. */
  timeoutMs?: number | undefined;
  /** Retries of this request after a network failure or a 408/429/5xx (overrides the client's choice for POSTs). */
  retry?: number | undefined;
}

/**
 * Options of `client.call(tool, args, options)`.
 *
 * @example
 * const r = await client.call('calendar.create_event', { title: 'Sync', start: '2024-01-15T10:00:00Z' },
 *   { stype: 'org.calendar.Event.v1', timeoutMs: 5000, retry: 1 });
 */
export interface CallOptions<S extends StypeId = StypeId> extends ClientRequestOptions {
  /**
   * The SType of the arguments, sent as `X-MPL-SType` (as upstream's SDKs send it). An SType
   * of {@link StypePayloads} types the arguments as its payload. The reference proxy reads
   * the header as the SType of the whole JSON-RPC body: in its strict mode it refuses such a
   * call, in its transparent mode `qomPassed` comes back false (see the README).
   */
  stype?: S | undefined;
}

/**
 * The tools `client.call` knows the types of: empty in the SDK, yours by declaration
 * merging. An entry's `args` is what `call` must be given, its `result` the type of the
 * result's `data` (as the server sends it: not checked at run time). A tool not listed
 * takes any object and gives `unknown`.
 *
 * @example
 * declare module 'mpl-sdk' {
 *   interface ClientTools {
 *     'math.add': { args: { a: number; b: number }; result: { sum: number } };
 *     'calendar.create_event': { args: PayloadOf<'org.calendar.Event.v1'>; result: { id: string } };
 *   }
 * }
 * const { data } = await client.call('math.add', { a: 2, b: 3 }); // data: { sum: number }
 * await client.call('math.add', { a: 2, b: '3' });                // compile error: '3' is no number
 */
export interface ClientTools {}

/**
 * The tool names listed in {@link ClientTools}.
 *
 * @example
 * const tool: KnownTool = 'math.add'; // once ClientTools lists it
 */
export type KnownTool = keyof ClientTools & string;

/** A type argument the caller did not give (`call`'s defaults; never a real type). */
export interface NotGiven {
  readonly 'mpl-sdk: not given': never;
}

/** Untyped tool arguments: any JSON object (what JSON-RPC sends as `arguments`). */
type JsonObject = Record<string, unknown> | (object & { readonly length?: never }); // any object (a literal, an interface's, a class instance), not an array

/**
 * What `client.call(tool, args, { stype })` takes as `args`: the `args` of `tool` in
 * {@link ClientTools}, else the payload type of the `stype` option (an SType of
 * {@link StypePayloads} whose payload is an object), else any object.
 *
 * @example
 * type Event = CallArgs<'calendar.create_event', 'org.calendar.Event.v1'>; // OrgCalendarEventV1
 * type Any = CallArgs<'some.tool'>;                                        // Record<string, unknown>
 */
export type CallArgs<Tool extends string, S extends string = string> = Tool extends KnownTool
  ? ClientTools[Tool] extends { args: infer A } ? A : JsonObject
  : string extends S ? JsonObject : ObjectPayload<PayloadOf<S>>;
type ObjectPayload<P> = P extends readonly unknown[] ? JsonObject : P extends object ? P : JsonObject;

/**
 * The type of `data` in the result of `client.call(tool)`: the `result` of `tool` in
 * {@link ClientTools}, else `unknown`.
 *
 * @example
 * type Sum = ToolResult<'math.add'>; // { sum: number } once ClientTools lists it
 */
export type ToolResult<Tool extends string> = Tool extends KnownTool
  ? ClientTools[Tool] extends { result: infer R } ? R : unknown
  : unknown;

/**
 * The rest of `call`'s parameters: the arguments (optional where an empty object fits
 * them) and the options. `A` and `T` given by the caller win over what `tool` and `S` say.
 */
export type CallRest<A, Tool extends string, S extends StypeId> = CallArgsOf<A, Tool, S> extends infer Args
  ? {} extends Args ? [args?: Args, options?: CallOptions<S>] : [args: Args, options?: CallOptions<S>]
  : never;
type CallArgsOf<A, Tool extends string, S extends StypeId> = A extends NotGiven ? CallArgs<Tool, S> : A;

/** The type of `data`: `T` if the caller gave it, else {@link ToolResult}. */
export type CallData<T, Tool extends string> = T extends NotGiven ? ToolResult<Tool> : T;

/**
 * Options of `client.send(stype, payload, options)`.
 *
 * @example
 * // Skip local validation (the proxy still checks it) and give up after 3 s.
 * await client.send('org.calendar.Event.v1', event, { validate: false, signal: AbortSignal.timeout(3000) });
 */
export interface ClientSendOptions extends ClientRequestOptions {
  /**
   * Validate against the registry's schema before sending. Default true: an SType the
   * registry has no schema for is then an `UnknownStypeError` naming where it looked.
   */
  validate?: boolean | undefined;
}

/**
 * What every result carries, success or failure.
 *
 * @example
 * const r = await client.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
 * console.log(r.status, r.stype, r.semHash, r.profile); // 200 'org.calendar.Event.v1' 'b3:…' undefined
 * if (!r.qomPassed) console.warn('QoM failed:', r.mplHeaders['x-mpl-qom-result'], r.raw);
 */
export interface CallMeta {
  /** The SType of the reply: `X-MPL-SType`, or the reply envelope's, or (for `send`) the one sent. */
  stype: string | undefined;
  /** `X-MPL-QoM-Result: pass` (or the reply's QoM report passed); `true` when nobody reported. Always `false` for a call that failed (`valid: false`, an `error`). */
  qomPassed: boolean;
  /** The reply's semantic hash (`X-MPL-Sem-Hash` or the envelope's `sem_hash`). */
  semHash: string | undefined;
  /** `X-MPL-Profile`, or the reply envelope's profile. */
  profile: string | undefined;
  /** The HTTP status; 0 when no answer came (network failure, timeout). */
  status: number;
  /** Every `X-MPL-*` response header, names in lower case. */
  mplHeaders: Record<string, string>;
  /** The reply body as received: parsed JSON, or text, or `undefined` when empty or none. */
  raw: unknown;
}

/**
 * A call that succeeded: `data` is the tool's result or the reply payload.
 *
 * @example
 * const r = await client.call<{ sum: number }>('math.add', { a: 2, b: 3 });
 * if (r.valid) console.log(r.data.sum, r.semHash); // r is a CallSuccess<{ sum: number }> here
 */
export interface CallSuccess<T> extends CallMeta {
  valid: true;
  data: T;
  error?: undefined;
}

/**
 * A call that failed, in development mode. `error` is the `MplError` production mode would
 * have thrown: `SchemaFidelityError` for a proxy block, `ConnectionError`, `TimeoutError`,
 * an `MplError` with code `E-JSON-RPC` (JSON-RPC error, its code in `details.jsonRpcCode`),
 * `E-TOOL-ERROR` (the tool answered `isError: true`) or `E-HTTP-STATUS` (any other non-2xx).
 *
 * @example
 * const r = await client.call('calendar.create_event', untrustedArgs as never, { stype: 'org.calendar.Event.v1' }); // blocked by the proxy when invalid
 * if (!r.valid && r.error instanceof SchemaFidelityError) console.error(r.error.validationErrors);
 * else if (!r.valid) console.error(r.error.code, r.error.details); // e.g. 'E-JSON-RPC' { jsonRpcCode: -32602, … }
 */
export interface CallFailure extends CallMeta {
  valid: false;
  data: undefined;
  error: MplError;
}

/**
 * The result of `call` or `send`. Narrow on `valid`; in production mode it is always a
 * `CallSuccess` (failures throw).
 *
 * @example
 * const r = await client.call<{ sum: number }>('math.add', { a: 1, b: 2 });
 * if (r.valid) console.log(r.data.sum); else console.error(r.error.code, r.error.details);
 */
export type CallResult<T = unknown> = CallSuccess<T> | CallFailure;

/**
 * What `call`/`send` resolve to in mode `M`: a `CallSuccess` in production (failures
 * throw), a `CallResult` to check in development.
 *
 * @example
 * const r: ResultIn<typeof Mode.Production, { sum: number }> = await prod.call('math.add', { a: 1, b: 2 });
 */
export type ResultIn<M extends Mode, T> = M extends 'production' ? CallSuccess<T> : CallResult<T>;

/**
 * `GET /health`: `{"status":"healthy","version":"0.1.2"}` from the reference proxy.
 *
 * @example
 * const health = await client.health();
 * if (health.status !== 'healthy') console.warn(`proxy ${health.version ?? '?'} is ${health.status}`);
 */
export interface ProxyHealth {
  status: string;
  version?: string;
  [extra: string]: unknown;
}

/**
 * `GET /capabilities` of an MPL proxy, camelCased.
 *
 * @example
 * const caps = await client.capabilities();
 * console.log(caps.mplVersion, caps.mode, caps.profiles); // '1.0' 'development' ['qom-basic', …]
 * if (caps.capabilities['schema_validation'] && caps.stypes.includes('org.calendar.Event.v1')) await client.send('org.calendar.Event.v1', event);
 */
export interface ProxyCapabilities {
  version: string | undefined;
  mplVersion: string | undefined;
  /** Feature flags (`schema_validation`, `qom_reports`…), as the server names them. */
  capabilities: Record<string, boolean>;
  stypes: string[];
  profiles: string[];
  /** The proxy's mode (`transparent`, `development`, `production`…), if it said. */
  mode: string | undefined;
  /** The body as received. */
  raw: Record<string, unknown>;
}
