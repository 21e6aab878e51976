import type { MplEnvelope, PayloadOf, StypeId } from './sdk.ts';
import type { PeerSession } from './peer-session.ts';

/** The key of the handler for every SType without one of its own. */
export const ANY = '*';

/** Set by Reply's static block, the one place its constructor is reachable. */
let make: (stype: string, payload: unknown) => Reply;

/**
 * A reply under an SType other than the request's, made by `ctx.reply(stype, payload)`
 * (the only way: its payload is then checked against its SType's type; a handler may
 * test a result with `instanceof Reply`).
 *
 * @example
 * server.on('org.agent.TaskResult.v1', (_envelope, ctx) => ctx.reply('org.agent.Heartbeat.v1', { status: 'alive' }));
 */
export class Reply {
  /** Makes the type nominal: only `ctx.reply` makes a Reply, an object of the same shape is a payload. */
  private declare readonly made: 'by ctx.reply';
  /** Private: `new Reply(stype, payload)` would pass a payload its SType's type does not check; `ctx.reply` checks it. */
  private constructor(readonly stype: string, readonly payload: unknown) {}
  static {
    make = (stype, payload) => new Reply(stype, payload);
  }
}

/** A Reply, for the server's own use (`ctx.reply`, and a handler's plain result). @internal */
export const makeReply = (stype: string, payload: unknown): Reply => make(stype, payload);

/**
 * What a handler is given beside the envelope.
 *
 * @example
 * server.on('org.calendar.Event.v1', async (envelope, ctx) => {
 *   if (!ctx.validation.valid) return ctx.reply('org.agent.TaskResult.v1', { plan_id: envelope.id, status: 'failed' });
 *   await ctx.session?.push('org.agent.Heartbeat.v1', { status: 'busy' });
 *   return { ...envelope.payload, status: 'confirmed' };
 * });
 */
export interface HandlerContext {
  /** The WebSocket session the envelope came on; undefined over HTTP. */
  readonly session: PeerSession | undefined;
  readonly transport: 'ws' | 'http';
  /**
   * The HTTP request that carried the envelope (its headers: authorization…), its body the
   * envelope's text (which the server has read: this is a copy that can read it again);
   * undefined over WebSocket.
   */
  readonly request: Request | undefined;
  /** The QoM profile that applies: the envelope's own, else the one negotiated. */
  readonly profile: string | undefined;
  /** What the server's checks found. Only development mode hands an invalid envelope to a handler. */
  readonly validation: { readonly valid: boolean; readonly errors: readonly string[] };
  /**
   * Aborted when the handler runs past its time limit (`limits.handlerTimeoutMs`; the
   * reason an `E-TIMEOUT` MplError), or when its peer goes before the answer: the HTTP
   * client went away, or the WebSocket session closed (an `E-CONNECTION-FAILED` one).
   * Pass it on (`fetch(url, { signal: ctx.signal })`) so work nobody waits for stops.
   */
  readonly signal: AbortSignal;
  /** A reply under `stype`, its payload typed from `StypePayloads`. */
  reply<R extends StypeId>(stype: R, payload: NoInfer<PayloadOf<R>>): Reply;
}

/**
 * Answers the envelopes of one SType, its payload typed from `StypePayloads` (`unknown`
 * for an SType the map does not know). Returns the reply: a payload under the request's
 * SType, `ctx.reply(stype, payload)` (its payload checked by the compiler against its
 * SType), or `undefined` to answer with the request's own payload, as the proxy does.
 * Strict mode checks every reply against its schema before it goes out. A thrown
 * `MplError` goes back to the peer with its code; any other throw is answered
 * `E-INTERNAL` without its message.
 *
 * @example
 * const handler: Handler<'org.calendar.Event.v1'> = (envelope, ctx) => ctx.reply('org.calendar.Event.v1', { ...envelope.payload, status: 'confirmed' });
 */
// \`Promise\` beside \`PromiseLike\`: an async handler's wrong payload is then reported as such,
// without the compiler's chain of incompatible \`then\` signatures before it.
export type Handler<S extends string = string> = (envelope: MplEnvelope<PayloadOf<S>> & { readonly stype: HandledStype<S> }, ctx: HandlerContext) => HandlerResult<S> | Promise<HandlerResult<S>> | PromiseLike<HandlerResult<S>>;

/**
 * The `stype` of the envelopes a {@link Handler} of `S` is given: the SType's id (`S` without a
 * `urn:stype:` prefix: the server matches ids exactly); any for the catch-all `*`.
 *
 * @example
 * type Id = HandledStype<'urn:stype:org.calendar.Event.v1'>; // 'org.calendar.Event.v1'
 */
export type HandledStype<S extends string> = S extends '*' ? string : S extends `urn:stype:${infer Id}` ? Id : S;

/**
 * What a {@link Handler} of `S` returns (or resolves with): a payload of `S` (checked by the
 * compiler for an SType it types), a `ctx.reply(…)`, or nothing (the request's own payload).
 *
 * @example
 * const answer: HandlerResult<'org.agent.Heartbeat.v1'> = { status: 'alive' };
 */
export type HandlerResult<S extends string = string> = PayloadOf<S> | Reply | undefined | void;
