import { ConnectionError } from '../errors/connection-error.ts';
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { NegotiationError } from '../errors/negotiation-error.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import { UnknownStypeError } from '../errors/unknown-stype-error.ts';
import { MplEnvelope, newEnvelopeId, ownWireText, timestampNow } from '../protocol/envelope.ts';
import { isHandshakeMessage, type NegotiatedCapabilities } from '../protocol/handshake.ts';
import type { PayloadOf, StypeId } from '../protocol/payloads.ts';
import { SType } from '../protocol/stype.ts';
import { checkSendOptions, checkSignal, resolveConfig, type ConnectOptions, type ErrorContext, type ListenOptions, type MessageHandler, type ResolvedConfig, type SendOptions, type SessionConfig, type SessionStats } from './config.ts';
import { EnvelopeChecks } from './checks.ts';
import { abortPromise, DeadlineTimer, type Deadline } from './deadline.ts';
import { callHook, Dispatcher } from './dispatcher.ts';
import { parseEndpoint, provide, redact, withQuery } from './endpoint.ts';
import { HttpTransport } from './http-transport.ts';
import { helloFor, idOf, isUnreadableAnswer, negotiate, type Offer } from './negotiate.ts';
import { loadNearMatch, withServerStypes } from './server-stypes.ts';
import { Outbox } from './outbox.ts';
import { MAX_EXPIRED, PendingRequests } from './pending-requests.ts';
import { looksLikeEnvelope, readPeerReply, replyMarkers } from '../protocol/peer-reply.ts';
import type { InboundMessage, OutboundRequest, Transport } from './transport.ts';
import { WebSocketTransport } from './lazy-websocket-transport.ts';
import { keepName } from '../platform/class-name.ts';
import { whenAborted } from '../platform/abort-listeners.ts';

// `await using session = …` needs Symbol.asyncDispose. Declared here as lib
// esnext.disposable and @types/node declare it, so that projects with neither (a browser
// project on lib es2023) can read the package's declarations.
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

const NO_OPTIONS: SendOptions = Object.freeze({});
/** Requests in a row that may time out on a WebSocket link with nothing read before it is taken for dead (after `reconnect.silentMs`). */
const SILENT_TIMEOUTS = 3;

/** What a settled request holds in place of its promise's functions. */
const SETTLED = (): void => {};

/**
 * One `send()` from the moment it is ready to go until it settles (its reply read and
 * checked, or its failure); also what the transport is handed with it.
 */
class Request implements OutboundRequest {
  readonly id: string;
  readonly stype: string;
  /** The envelope's wire text; `''` once settled. */
  text: string;
  readonly deadline: Deadline;
  /** Whether the reply's payload is validated (as the request's was). */
  readonly validate: boolean;
  /** The call's promise's functions; `SETTLED` once settled. */
  resolve: (envelope: MplEnvelope) => void;
  reject: (error: unknown) => void;
  /** When this request went on the wire, on the session's link clock (`Session.#clock`); -1 until then. */
  sentAt = -1;

  constructor(id: string, stype: string, text: string, deadline: Deadline, validate: boolean, resolve: (envelope: MplEnvelope) => void, reject: (error: unknown) => void) {
    this.id = id;
    this.stype = stype;
    this.text = text;
    this.deadline = deadline;
    this.validate = validate;
    this.resolve = resolve;
    this.reject = reject;
  }

  /** Made only if the transport asks for it (HTTP does, WebSocket does not). */
  get signal(): AbortSignal {
    return this.deadline.signal;
  }

  /**
   * Marks it settled and lets go of what only a waiting request needs: its text and its
   * promise's functions (the promise holds the reply that settled it). A settled request
   * stays reachable for a while from dead objects of V8's old generation, which a scavenge
   * takes as live until the next full collection: the backing tables a `Map` whose entries
   * come and go (`PendingRequests`') has replaced each point to the next one and still hold
   * the entries they had, so once one of them is old, every later table and entry survives
   * the scavenges and is promoted. Whatever a settled request held went with it: at 64 in
   * flight 2.4 MB of every 11 MB allocated was promoted, 0.5 MB once let go of.
   */
  settle(): void {
    this.text = '';
    this.resolve = this.reject = SETTLED;
  }
}

/** A connection attempt and its callers (see `Session.#connecting`). */
interface ConnectAttempt {
  readonly result: Promise<NegotiatedCapabilities>;
  readonly stop: AbortController;
  /** Callers waiting with a signal of their own. */
  cancellable: number;
  /** Whether a caller waits with no signal (then the attempt never stops for a signal). */
  uncancellable: boolean;
}

/**
 * An MPL session: AI-ALPN negotiation, then typed, validated, hashed envelopes over
 * WebSocket (`ws:`/`wss:`, with automatic reconnection and pushed messages) or HTTP
 * (`http:`/`https:`). The TypeScript form of the seed SDK's `Session`.
 *
 * @example
 * const session = new Session({
 *   endpoint: 'ws://localhost:8080/ws',
 *   stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1'],
 *   qomProfile: 'qom-basic',
 * });
 * const caps = await session.connect();
 * const reply = await session.send('org.calendar.Event.v1', {
 *   title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60,
 * });
 * console.log(reply.stype, reply.getPayload(), reply.semHash);
 * session.onMessage('org.agent.TaskPlan.v1', async (envelope) => console.log(envelope.getPayload()));
 * await session.listen(); // until close()
 *
 * @example
 * // The seed's `async with`: connects now, closes at the end of the block.
 * await using session = await Session.open({ endpoint: 'http://localhost:8080/mcp', stypes: ['org.calendar.Event.v1'] });
 */
export class Session {
  readonly #options: SessionConfig;
  readonly #config: ResolvedConfig;
  readonly #pending = new PendingRequests<Request>();
  readonly #deadlines = new DeadlineTimer();
  readonly #outbox: Outbox<Request>;
  readonly #dispatcher: Dispatcher;
  #state: State = 'idle';
  #transport: Transport | undefined;
  #endpoint = '';
  #capabilities: NegotiatedCapabilities | undefined;
  /**
   * The connection attempt under way, shared by every `connect()` made meanwhile: it stops
   * (its signal aborts) only once every caller that gave a signal has aborted, and none
   * came without one.
   */
  #connecting: ConnectAttempt | undefined;
  #closing: Promise<void> | undefined;
  #timers = 0;
  #reconnections = 0;
  /**
   * The liveness of a link (see `#timedOutOnWire`): a clock that ticks at every request
   * written and every frame read, the tick of the last frame read, the tick at which the
   * last silent timeout counted, and how many counted in a row.
   */
  #clock = 0;
  #lastFrameAt = 0;
  #lastSilentAt = 0;
  #silentTimeouts = 0;
  /** When the first request of the silent count went on the wire (`performance.now()`). */
  #silentSince = 0;
  /** What the last account of a connection problem said (for a send that times out unsent). */
  #lastDrop: string | undefined;
  #inbound: Promise<void> = Promise.resolve();
  #common: { caps: NegotiatedCapabilities; ids: Set<string> } | undefined;
  readonly #checks: EnvelopeChecks;
  /**
   * Called once when the session closes: one per `listen()` running (so also their count); a
   * `listen()` that ends first takes itself out.
   */
  readonly #closeWaiters = new Set<() => void>();
  /**
   * Local work raced by `#withDeadline` (a URL or headers provider, checks still loading),
   * each given up when the session closes: no `connect()` or `send()` waits on it past `close()`.
   */
  readonly #giveUpOnClose = new Set<() => void>();
  /** `connect()` calls made while the session reconnects, settled by the next accepted handshake or the close. */
  readonly #reopenWaiters = new Set<{ resolve(caps: NegotiatedCapabilities): void; reject(error: unknown): void }>();

  /** Creates a session; nothing happens on the network until {@link Session.connect}. */
  constructor(config: SessionConfig) {
    this.#options = config;
    this.#config = resolveConfig(config);
    this.#outbox = new Outbox(this.#config.maxQueued);
    this.#dispatcher = new Dispatcher({ maxBuffered: this.#config.maxBuffered, onError: (error, context) => this.#report(error, context) });
    this.#checks = new EnvelopeChecks(config, (error) => this.#report(error, { source: 'connection' }));
  }

  /**
   * Creates a session and connects it: the seed's `async with Session(config)`. Pair it
   * with `await using` to close it when the block ends.
   *
   * @example
   * await using session = await Session.open({ endpoint: 'ws://localhost:8080/ws', stypes: ['org.agent.Heartbeat.v1'] });
   * await session.send('org.agent.Heartbeat.v1', { status: 'alive' });
   */
  static async open(config: SessionConfig, options: ConnectOptions = {}): Promise<Session> {
    const session = new Session(config);
    try {
      await session.connect(options);
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** True while the link is up and its handshake completed. */
  get isConnected(): boolean {
    return this.#state === 'open';
  }

  /** What the last handshake agreed on; `undefined` before the first `connect()` completes. */
  get capabilities(): NegotiatedCapabilities | undefined {
    return this.#capabilities;
  }

  /** Counts of what the session holds (pending replies, queued sends, timers…), for diagnostics. */
  get stats(): SessionStats {
    return {
      pending: this.#pending.size,
      queued: this.#outbox.size,
      timers: this.#timers,
      buffered: this.#dispatcher.buffered,
      expired: this.#pending.expired,
      reconnections: this.#reconnections,
    };
  }

  /**
   * Opens the transport named by the endpoint's scheme and runs the AI-ALPN handshake.
   * Meanwhile it starts loading what the first send checks with (the validator engine and
   * the embedded registry when `autoValidate` is on, the hasher when `autoHash` is), so
   * that send waits for none of them one after another. Rejects with `NegotiationError`
   * when the server refuses or shares none of the offered STypes, and with `ConnectionError` when it cannot be reached or does not complete the
   * handshake within `timeoutMs` (then `cause` is a `TimeoutError`). Calling it again
   * while connected returns the current capabilities; while the session reconnects, it
   * waits (up to `timeoutMs`) for the new link's handshake and returns its capabilities
   * (giving up there does not stop the reconnection).
   *
   * @example
   * const caps = await session.connect({ signal: AbortSignal.timeout(5000) });
   * if (caps.commonStypes.includes('org.calendar.Event.v1')) console.log('calendar supported');
   */
  connect(options: ConnectOptions = {}): Promise<NegotiatedCapabilities> {
    options ??= {}; // null from plain JavaScript: no options
    try {
      checkSignal(options.signal, 'connect()'); // also when connected already: a wrong argument is wrong every time
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#isClosed()) return Promise.reject(this.#closedError('connect()'));
    if (this.#state === 'reconnecting') return this.#reopened(options);
    if (this.#capabilities && this.#state !== 'idle') return Promise.resolve(this.#capabilities);
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    if (!this.#connecting) {
      const stop = new AbortController();
      const attempt: ConnectAttempt = {
        result: this.#connect({ ...options, signal: stop.signal }).finally(() => { if (this.#connecting === attempt) this.#connecting = undefined; }),
        stop, cancellable: 0, uncancellable: false,
      };
      this.#connecting = attempt;
    }
    return this.#joinConnect(this.#connecting, options.signal);
  }

  /** One caller's wait on the shared attempt: its own signal rejects its own call at once. */
  #joinConnect(attempt: ConnectAttempt, signal: AbortSignal | undefined): Promise<NegotiatedCapabilities> {
    if (!signal) {
      attempt.uncancellable = true;
      return attempt.result;
    }
    attempt.cancellable += 1;
    return new Promise<NegotiatedCapabilities>((resolve, reject) => {
      const forget = whenAborted(signal, () => {
        attempt.cancellable -= 1;
        if (attempt.cancellable !== 0 || attempt.uncancellable) return reject(signal.reason); // the others still wait
        // The last to give up stops the attempt, and hears once it has wound down (its timers, its link).
        attempt.stop.abort(signal.reason);
        attempt.result.then(() => reject(signal.reason), () => reject(signal.reason));
      });
      attempt.result.then(resolve, reject).finally(forget);
    });
  }

  /**
   * Sends a payload of a negotiated SType and resolves with the reply envelope.
   * Before sending: refuses STypes that were not negotiated (`UnknownStypeError`),
   * validates (`SchemaFidelityError`; `UnknownStypeError` when the registry has no schema
   * for it) and hashes as configured. The reply is checked the
   * same way: its `sem_hash` (`HashMismatchError`), its schema, its QoM report against
   * the negotiated profile (`QomBreachError`). A wrapped reply is unwrapped first. Server
   * errors, in any form and with any HTTP status, become the `MplError` their code names;
   * `timeoutMs` gives `TimeoutError`; a link that drops while the request is on the wire
   * gives `ConnectionError` (it may or may not have been processed). While a WebSocket
   * session reconnects, calls wait in the outbox, their time limit running.
   *
   * The payload's type comes from {@link StypePayloads}: for an SType it lists, a
   * misspelt, missing or mistyped field does not compile; any other SType takes `unknown`.
   * The reply's SType is the server's choice: read it with `reply.getPayload(stype)` or
   * `reply.is(stype)` (checked), or name its payload type as `R` (unchecked).
   *
   * @example
   * const reply = await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
   * if (reply.is('org.calendar.Event.v1')) console.log(reply.payload.title);
   * await session.send('com.acme.finance.Trade.v2', raw, { validate: false, computeHash: true, timeoutMs: 5000 }); // unknown SType: payload unknown
   */
  send<S extends StypeId, R = unknown>(stype: S, payload: PayloadOf<S>, options: SendOptions = NO_OPTIONS): Promise<MplEnvelope<R>> {
    options ??= NO_OPTIONS;
    let deadline: Deadline | undefined;
    try {
      const caps = this.#usableCapabilities('send()');
      const key = SType.parse(stype).id;
      if (!this.#isCommon(key)) return this.#notNegotiated(key, caps.commonStypes);
      const validate = options.validate ?? this.#config.autoValidate;
      if (options !== NO_OPTIONS) checkSendOptions(options);
      deadline = this.#deadline(`send ${key}`, options.timeoutMs ?? this.#config.timeoutMs, options.signal);
      if (deadline.aborted) throw deadline.reason;
      // Once schemas and hasher are loaded the checks are synchronous: no race with the deadline is needed then.
      const id = newEnvelopeId();
      const text = this.#prepare(id, key, payload, options, validate);
      const sent = typeof text === 'string' ? this.#request(id, text, key, validate, deadline) : this.#requestLater(id, text, key, validate, deadline);
      return sent as Promise<MplEnvelope<R>>;
    } catch (error) {
      if (deadline) this.#clearDeadline(deadline);
      return Promise.reject(error);
    }
  }

  /**
   * Registers a handler for pushed envelopes of one SType (several per SType are fine).
   * Returns the function that unregisters it. Handlers run once `listen()` is called;
   * their errors go to `config.onError`. The handler's envelope is typed from
   * {@link StypePayloads} (`unknown` payload for an SType it does not list); with
   * `autoValidate` (the default) its payload has also passed the schema at run time.
   *
   * @example
   * const off = session.onMessage('org.agent.TaskPlan.v1', async (envelope) => {
   *   const plan = envelope.payload; // OrgAgentTaskPlanV1
   *   await session.send('org.agent.TaskResult.v1', { plan_id: plan.id, status: 'completed' });
   * });
   * off(); // later
   */
  onMessage<S extends StypeId>(stype: S, handler: MessageHandler<PayloadOf<S>>): () => void {
    return this.#dispatcher.on(stype, handler as MessageHandler);
  }

  /**
   * Dispatches pushed envelopes to their handlers (first those that arrived since
   * `connect()`), across reconnections, until the session closes or `signal` aborts; then
   * resolves. WebSocket sessions only (`ConnectionError` over HTTP, as in the seed).
   *
   * @example
   * const stop = new AbortController();
   * process.on('SIGINT', () => stop.abort());
   * await session.listen({ signal: stop.signal });
   */
  async listen(options: ListenOptions = {}): Promise<void> {
    options ??= {};
    if (this.#isClosed()) return;
    this.#usableCapabilities('listen()');
    if (this.#transport?.kind !== 'websocket') {
      throw new ConnectionError(`listen() needs a WebSocket session; ${this.#endpoint} is HTTP, which cannot push messages`, { endpoint: this.#endpoint });
    }
    const { signal } = options;
    checkSignal(signal, 'listen()');
    if (signal?.aborted) return;
    this.#dispatcher.start();
    let forget = (): void => {};
    let stop = (): void => {};
    try {
      await new Promise<void>((resolve) => {
        // A handler of a message buffered before listen(), run by start() above, may have closed the session.
        if (this.#isClosed()) return resolve();
        stop = resolve;
        this.#closeWaiters.add(resolve);
        if (signal) forget = whenAborted(signal, resolve);
      });
    } finally {
      forget();
      this.#closeWaiters.delete(stop);
      if (this.#closeWaiters.size === 0 && !this.#isClosed()) this.#dispatcher.stop();
    }
  }

  /**
   * Closes the session: stops reconnecting, closes the link, rejects every pending and
   * queued `send()` with `ConnectionError` (also one whose payload or reply is still being
   * checked) and a `connect()` under way, resolves `listen()`. Safe to call many times.
   *
   * @example
   * try { await session.send('org.calendar.Event.v1', event); } finally { await session.close(); }
   */
  close(): Promise<void> {
    return (this.#closing ??= this.#shutdown(undefined));
  }

  /** `await using session = …` closes the session at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ── connecting ───────────────────────────────────────────────────────────────

  async #connect(options: ConnectOptions): Promise<NegotiatedCapabilities> {
    this.#state = 'connecting';
    this.#checks.prefetch(this.#config.autoValidate, this.#config.autoHash);
    const deadline = this.#deadline('connect', this.#config.timeoutMs, options.signal);
    let transport: Transport | undefined;
    try {
      const first = await this.#withDeadline(this.#resolveUrl(), deadline, () => this.#closedError('connect()'));
      if (this.#isClosed()) throw this.#closedError('connect()');
      this.#endpoint = redact(first);
      transport = this.#transport = this.#createTransport(first);
      await transport.start(deadline.signal);
      const caps = negotiate(await transport.handshake(helloFor(this.#offer), deadline.signal), this.#offer);
      if (this.#isClosed()) throw this.#closedError('connect()');
      transport.accepted?.();
      this.#capabilities = caps;
      this.#state = 'open';
      this.#checkProfile(caps);
      return caps;
    } catch (error) {
      if (!this.#isClosed()) {
        this.#state = 'idle';
        this.#transport = undefined;
        await transport?.close();
      }
      if (error instanceof NegotiationError && !this.#isClosed()) throw await this.#withServerStypes(error, options.signal);
      throw this.#connectError(error, deadline);
    } finally {
      this.#clearDeadline(deadline);
    }
  }

  /** `connect()` while the session reconnects: the next accepted handshake's capabilities, within the call's time limit. */
  async #reopened(options: ConnectOptions): Promise<NegotiatedCapabilities> {
    const deadline = this.#deadline('connect', this.#config.timeoutMs, options.signal);
    let waiter: { resolve(caps: NegotiatedCapabilities): void; reject(error: unknown): void } | undefined;
    try {
      const reopened = new Promise<NegotiatedCapabilities>((resolve, reject) => this.#reopenWaiters.add((waiter = { resolve, reject })));
      return await this.#withDeadline(reopened, deadline); // the close rejects the waiter itself, with its reason
    } catch (error) {
      throw this.#connectError(error, deadline);
    } finally {
      this.#reopenWaiters.delete(waiter!);
      this.#clearDeadline(deadline);
    }
  }

  /**
   * Fills a no-common-STypes error's `serverStypes` from `/capabilities` when the server did
   * not list them. A courtesy, bounded as a whole (the headers provider too) and given up
   * when the session closes or `signal` aborts: the error comes back as it is then.
   */
  async #withServerStypes(error: NegotiationError, signal?: AbortSignal): Promise<NegotiationError> {
    const given = this.#options.headers;
    const deadline = this.#deadline('the /capabilities lookup', Number.POSITIVE_INFINITY, signal);
    try {
      const lookup = withServerStypes(error, {
        endpoint: this.#endpoint, timeoutMs: this.#config.timeoutMs, fetch: this.#options.fetch, signal: deadline.signal,
        headers: given === undefined ? undefined : () => provide(given),
      });
      return await this.#withDeadline(lookup, deadline, () => error);
    } catch {
      return error;
    } finally {
      this.#clearDeadline(deadline);
    }
  }

  get #offer(): Offer {
    return { stypes: this.#config.stypes, qomProfile: this.#config.qomProfile };
  }

  async #resolveUrl(): Promise<string> {
    const url = await provide(this.#config.endpoint);
    if (typeof url !== 'string') throw new MplError(ErrorCode.InvalidArgument, `config.endpoint gave ${typeof url}, not a URL string`);
    return url;
  }

  #createTransport(first: string): Transport {
    const { url, kind } = parseEndpoint(first);
    let transport: Transport;
    if (kind === 'websocket') {
      let pending: string | undefined = first;
      transport = new WebSocketTransport({
        // The URL already resolved for the first connection is used once; later ones call the provider again.
        url: async () => {
          const raw = pending ?? (await this.#resolveUrl());
          pending = undefined;
          return withQuery(raw, this.#options.query === undefined ? undefined : await provide(this.#options.query));
        },
        endpoint: this.#endpoint,
        WebSocket: this.#options.WebSocket,
        reconnect: this.#config.reconnect,
        openTimeoutMs: this.#config.timeoutMs,
        maxFrameBytes: this.#config.maxFrameBytes,
      });
      transport.onopen = () => void this.#rehandshake();
      transport.onclose = (info) => this.#handleDrop(info);
    } else {
      transport = new HttpTransport({
        url: url.href,
        endpoint: this.#endpoint,
        headers: async () => (this.#options.headers === undefined ? {} : await provide(this.#options.headers)),
        fetch: this.#options.fetch,
        maxFrameBytes: this.#config.maxFrameBytes,
      });
    }
    transport.onmessage = (message) => this.#handleInbound(message);
    transport.onerror = (error, requestId) => this.#handleTransportError(error, requestId);
    return transport;
  }

  #connectError(error: unknown, deadline: Deadline): unknown {
    if (this.#isClosed()) return error instanceof ConnectionError || error instanceof NegotiationError ? error : this.#closedError('connect()', error);
    if (error instanceof TimeoutError && deadline.signal.reason === error) {
      return new ConnectionError(`No AI-ALPN handshake from ${this.#endpoint} within ${error.timeoutMs} ms`, { endpoint: this.#endpoint, cause: error });
    }
    if (error instanceof MplError || deadline.signal.reason === error) return error;
    return new ConnectionError(`Could not connect to ${this.#endpoint || 'the endpoint'}: ${(error as Error)?.message ?? String(error)}`, { endpoint: this.#endpoint, cause: error });
  }

  /** A WebSocket link came back: handshake again, then let the outbox go. */
  async #rehandshake(): Promise<void> {
    const transport = this.#transport;
    if (!transport || this.#isClosed()) return;
    // With no timeoutMs (Infinity) the transport still ends a reconnection's handshake (30 s), and opens the link again.
    const deadline = this.#deadline('reconnect handshake', this.#config.timeoutMs);
    let caps: NegotiatedCapabilities;
    try {
      caps = negotiate(await transport.handshake(helloFor(this.#offer), deadline.signal), this.#offer);
    } catch (error) {
      if (this.#isClosed() || this.#transport !== transport) return;
      if (error instanceof NegotiationError && !isUnreadableAnswer(error)) {
        const refused = await this.#withServerStypes(error);
        if (this.#isClosed() || this.#transport !== transport) return;
        this.#report(refused, { source: 'connection' });
        void (this.#closing ??= this.#shutdown(refused));
        return;
      }
      // No answer in time, or one that is not AI-ALPN: nothing was refused, so the link is
      // dropped and opened again after the backoff (which keeps growing: see accepted()).
      // Any other failure here is the link's own drop, which reconnects by itself.
      const tryAgain = deadline.signal.reason === error || error instanceof NegotiationError;
      this.#report(new ConnectionError(`Handshake after reconnecting to ${this.#endpoint} failed: ${(error as Error).message}`, { endpoint: this.#endpoint, cause: error }), { source: 'connection' });
      if (tryAgain) transport.reconnect?.();
      return;
    } finally {
      this.#clearDeadline(deadline);
    }
    if (this.#isClosed()) return;
    transport.accepted?.();
    this.#capabilities = caps;
    this.#state = 'open';
    this.#reconnections++;
    this.#lastDrop = undefined;
    this.#checkProfile(caps);
    for (const waiter of this.#reopenWaiters) waiter.resolve(caps);
    this.#reopenWaiters.clear();
    this.#flushOutbox();
    callHook(() => this.#options.onReconnect?.(caps), (error) => this.#report(error, { source: 'handler' }));
  }

  /**
   * A request on the wire gave up (its time limit, or the caller's signal). Its place is
   * kept on an ordered link (past `MAX_EXPIRED` the link is out of step). And a WebSocket
   * link is taken for dead when `SILENT_TIMEOUTS` requests in a row timed out with nothing
   * at all read since each was sent, each sent after the one before had timed out (a burst
   * that times out together is one window of silence, not several), and nothing came for
   * `reconnect.silentMs` either (a peer busy with a long request, in order, is not dead): a network change, a device that slept, a NAT that forgot the flow
   * leave a WebSocket open on this side for minutes, and nothing but a reply says so
   * (browsers hide the pings a server sends). Any frame (a reply, even a late one, a push)
   * starts the count again. Only where the link is opened again: with reconnection off, a
   * silent link is left to its time limits.
   */
  #timedOutOnWire(request: Request, reason: unknown): void {
    const transport = this.#transport;
    if (this.#pending.expire(request, transport?.ordered ?? false)) return this.#outOfStep();
    const { enabled, maxRetries, silentMs } = this.#config.reconnect;
    if (!(reason instanceof TimeoutError) || !transport?.reconnect || !enabled || maxRetries < 1) return;
    if (request.sentAt < this.#lastFrameAt || request.sentAt < this.#lastSilentAt) return; // heard from since, or in the same window
    this.#lastSilentAt = ++this.#clock;
    if (this.#silentTimeouts++ === 0) this.#silentSince = performance.now() - reason.timeoutMs;
    if (this.#silentTimeouts < SILENT_TIMEOUTS || !(performance.now() - this.#silentSince >= silentMs)) return;
    this.#silentTimeouts = 0;
    this.#report(new ConnectionError(`${this.#endpoint} went silent: nothing came while ${SILENT_TIMEOUTS} requests in a row timed out; reconnecting`, { endpoint: this.#endpoint, details: { silentTimeouts: SILENT_TIMEOUTS } }), { source: 'connection' });
    transport.reconnect('the link went silent');
  }

  /**
   * More requests timed out on an ordered link than places are kept for their late replies:
   * the replies can no longer be matched by order, so the link is dropped (its requests fail
   * as maybe processed) and, as configured, opened again.
   */
  #outOfStep(): void {
    const why = `more than ${MAX_EXPIRED} requests timed out with no reply on a link whose replies are matched by their order`;
    this.#report(new ConnectionError(`${this.#endpoint}: ${why}; the link is dropped so that no reply goes to the wrong request`, { endpoint: this.#endpoint, details: { expired: this.#pending.expired } }), { source: 'connection' });
    this.#transport?.reconnect?.('replies out of step');
  }

  #handleDrop(info: { reconnecting: boolean; error?: MplError }): void {
    // While connect() runs, its own promise reports the failure.
    if (this.#state !== 'open' && this.#state !== 'reconnecting') return;
    const cause = info.error;
    this.#state = 'reconnecting';
    this.#silentTimeouts = 0;
    for (const request of this.#pending.takeAll()) {
      this.#fail(request, new ConnectionError(
        `The connection to ${this.#endpoint} dropped while ${request.stype} request ${request.id} awaited its reply: it may or may not have been processed by the server`,
        { endpoint: this.#endpoint, cause, details: { requestId: request.id, stype: request.stype, maybeProcessed: true } },
      ));
    }
    if (cause) {
      this.#lastDrop = cause.message;
      this.#report(cause, { source: 'connection' });
    }
    if (!info.reconnecting) void (this.#closing ??= this.#shutdown(cause));
  }

  // ── sending ──────────────────────────────────────────────────────────────────

  #usableCapabilities(operation: string): NegotiatedCapabilities {
    if (this.#isClosed()) throw this.#closedError(operation);
    if (!this.#capabilities || this.#state === 'idle' || this.#state === 'connecting') {
      const advice = this.#state === 'connecting' ? 'connect() has not finished yet: await it (or use Session.open) before' : 'call connect() first, and await it, before';
      throw new ConnectionError(`${operation} needs a connected session: ${advice} ${operation}`, this.#endpoint ? { endpoint: this.#endpoint } : {});
    }
    return this.#capabilities;
  }

  /** Validates, hashes and serializes; returns the wire text of envelope `id`. */
  #prepare(id: string, stype: string, payload: unknown, options: SendOptions, validate: boolean): string | Promise<string> {
    // With validation on, an SType without a schema is an error: a silent pass would hide a wrong registry.
    const validated = validate ? this.#checks.validate(stype, payload, true) : undefined;
    if (validated) return validated.then(() => this.#hashAndSerialize(id, stype, payload, options));
    return this.#hashAndSerialize(id, stype, payload, options);
  }

  #hashAndSerialize(id: string, stype: string, payload: unknown, options: SendOptions): string | Promise<string> {
    if (!(options.computeHash ?? this.#config.autoHash)) return this.#serialize(id, stype, payload, options, undefined);
    const semHash = this.#checks.hash(payload);
    return typeof semHash === 'string' ? this.#serialize(id, stype, payload, options, semHash) : semHash.then((hash) => this.#serialize(id, stype, payload, options, hash));
  }

  #serialize(id: string, stype: string, payload: unknown, options: SendOptions, semHash: string | undefined): string {
    const profile = this.#capabilities?.selectedProfile;
    // The common case (no caller-given provenance, argsStype or features): every field is the SDK's own
    // (the hash too: the session's hasher made it), written directly.
    if (!options.provenance && !options.argsStype && !options.features) {
      const text = ownWireText(id, stype, payload, profile || undefined, semHash, timestampNow());
      if (text !== undefined) return text;
    }
    const envelope = MplEnvelope.create(stype, payload, {
      id,
      ...(profile ? { profile } : {}),
      ...(semHash !== undefined ? { semHash } : {}),
      ...(options.provenance ? { provenance: options.provenance } : {}),
      ...(options.argsStype ? { argsStype: options.argsStype } : {}),
      ...(options.features ? { features: [...options.features] } : {}),
    });
    try {
      return JSON.stringify(envelope);
    } catch (cause) {
      throw new MplError(ErrorCode.InvalidArgument, `The ${stype} payload cannot be serialized as JSON: ${(cause as Error).message}`, { cause, details: { stype } });
    }
  }

  /** Sends once validation and hashing (still loading) are done, if the deadline lets them finish. */
  async #requestLater(id: string, text: Promise<string>, stype: string, validate: boolean, deadline: Deadline): Promise<MplEnvelope> {
    let ready: string;
    try {
      ready = await this.#withDeadline(text, deadline, () => new ConnectionError(`Session closed while the ${stype} payload of request ${id} was being checked (it was not sent)`, { endpoint: this.#endpoint, details: { requestId: id, stype } }));
    } catch (error) {
      this.#clearDeadline(deadline);
      throw error;
    }
    return this.#request(id, ready, stype, validate, deadline);
  }

  /**
   * Puts the request on the wire (or in the outbox); resolves with the reply, read and
   * checked (`#answer`). The deadline is cleared when it settles.
   */
  #request(id: string, text: string, stype: string, validate: boolean, deadline: Deadline): Promise<MplEnvelope> {
    return new Promise<MplEnvelope>((resolve, reject) => {
      const request = new Request(id, stype, text, deadline, validate, resolve, reject);
      if (deadline.aborted) return this.#fail(request, deadline.reason);
      if (this.#isClosed()) return this.#fail(request, this.#closedError('send()'));
      // Let go of when the request settles: its deadline is cleared then, and never aborts.
      deadline.onAbort(() => {
        let reason = deadline.reason;
        if (!this.#outbox.delete(request)) this.#timedOutOnWire(request, reason);
        else if (reason instanceof TimeoutError) {
          const message = `${reason.message} without being sent: the session was reconnecting to ${this.#endpoint}${this.#lastDrop ? ` (${this.#lastDrop})` : ''}`;
          reason = new TimeoutError(reason.operation, reason.timeoutMs, { message, details: { requestId: request.id, sent: false } });
        }
        this.#fail(request, reason);
      });
      if (this.#state === 'open' && this.#write(request)) return;
      try {
        this.#outbox.push(request, this.#endpoint);
      } catch (error) {
        this.#fail(request, error);
      }
    });
  }

  /** Settles a request with its reply: read (error replies in any form, unwrapping), then checked (hash, schema, QoM). */
  #answer(request: Request, message: InboundMessage): void {
    let envelope: MplEnvelope;
    let checked: Promise<void> | undefined;
    try {
      if (message.unreadable) throw message.unreadable;
      const read = readPeerReply(message.data, { request, status: message.status, headers: message.headers, endpoint: this.#endpoint, operation: `send ${request.stype}` },
        // The peer answered: an HTTP status without an MPL error is E-HTTP-STATUS (as the Client says it), not a ConnectionError.
        (status, body) => new MplError(ErrorCode.HttpStatus, `${this.#endpoint} answered HTTP ${status} to ${request.stype} request ${request.id}`, { details: { status, body, endpoint: this.#endpoint, requestId: request.id } }));
      if (!read.ok) throw read.error;
      envelope = read.envelope;
      checked = this.#checks.checkReply(envelope, request.validate && read.declaredStype, this.#capabilities?.selectedProfile);
    } catch (error) {
      return this.#fail(request, error);
    }
    if (checked === undefined) return this.#fulfil(request, envelope);
    const closed = (): ConnectionError => new ConnectionError(`Session closed while the reply to ${request.stype} request ${request.id} was being checked (the request was processed)`, { endpoint: this.#endpoint, details: { requestId: request.id, stype: request.stype } });
    this.#withDeadline(checked, request.deadline, closed).then(() => this.#fulfil(request, envelope), (error: unknown) => this.#fail(request, error));
  }

  #fulfil(request: Request, envelope: MplEnvelope): void {
    const { resolve } = request;
    if (this.#settle(request)) resolve(envelope);
  }

  #fail(request: Request, error: unknown): void {
    const { reject } = request;
    if (this.#settle(request)) reject(error);
  }

  /** Marks a request settled (see `Request.settle`) and clears its deadline; false if it already was. */
  #settle(request: Request): boolean {
    if (request.resolve === SETTLED) return false;
    request.settle();
    this.#clearDeadline(request.deadline);
    return true;
  }

  /** Sends one request; false if the link was not open (the caller queues it). */
  #write(request: Request): boolean {
    if (!this.#transport?.send(request.text, request)) return false;
    request.sentAt = ++this.#clock;
    this.#pending.add(request);
    return true;
  }

  /**
   * Rejects a send of `stype`, which the handshake did not negotiate: one the session never
   * offered (add it to `config.stypes`), or one the server did not take; with the negotiated
   * SType it is a slip away from, if any. Its words load on demand with that check (a load
   * that fails leaves the error's own, shorter words).
   */
  async #notNegotiated(stype: string, common: readonly string[]): Promise<never> {
    const offered = this.#config.stypes.some((s) => idOf(s) === stype);
    const details = { commonStypes: common, offered };
    throw await loadNearMatch().then(({ notNegotiated }) => notNegotiated(stype, common, common.map(idOf), this.#endpoint, details),
      () => new UnknownStypeError(stype, 'the STypes negotiated with the server', { details }));
  }

  /** Whether an SType (normalized) was negotiated; the normalized list is kept per handshake. */
  #isCommon(stype: string): boolean {
    const caps = this.#capabilities;
    if (!caps) return false;
    if (this.#common?.caps !== caps) {
      this.#common = { caps, ids: new Set(caps.commonStypes.flatMap((s) => SType.tryParse(s)?.id ?? [])) };
    }
    return this.#common.ids.has(stype);
  }

  #flushOutbox(): void {
    const queued = this.#outbox.drain();
    for (let i = 0; i < queued.length; i++) {
      const request = queued[i]!;
      if (!this.#isCommon(request.stype)) {
        this.#fail(request, new UnknownStypeError(request.stype, 'the STypes negotiated with the server', { message: `${request.stype} is no longer supported by ${this.#endpoint} after reconnecting; the request was not sent` }));
      } else if (!this.#write(request)) {
        for (const rest of queued.slice(i)) this.#outbox.push(rest);
        return;
      }
    }
  }

  // ── receiving ────────────────────────────────────────────────────────────────

  /** Matches a frame to the request it answers (see `PendingRequests` for the rule), or takes it as a push. */
  #handleInbound(message: InboundMessage): void {
    if (this.#isClosed()) return;
    this.#lastFrameAt = ++this.#clock;
    this.#silentTimeouts = 0;
    const { data, unreadable } = message;
    const match = this.#pending.take(unreadable ? undefined : data, message.requestId);
    if (match instanceof Request) return this.#answer(match, message);
    if (match) {
      const { requestId } = match;
      return this.#report(new MplError(ErrorCode.Timeout, `A reply to request ${requestId} arrived after that request had timed out or been cancelled; discarded`, { details: { requestId, reply: unreadable ? unreadable.details : data } }), { source: 'late-reply' });
    }
    if (unreadable) return this.#report(unreadable, { source: 'frame' });
    if (looksLikeEnvelope(data)) return this.#acceptPush(data);
    const named = replyMarkers(data);
    const problem = isHandshakeMessage(data) ? 'an AI-ALPN message arrived outside a handshake'
      : named.length > 0 ? `a reply to ${named.join(', ')} arrived, but no request was waiting under that id`
        : 'a frame that is not an envelope arrived while no request was waiting';
    this.#report(new MplError(ErrorCode.InvalidEnvelope, `Unexpected frame from ${this.#endpoint}: ${problem}`, { details: { frame: data } }), { source: 'frame' });
  }

  #handleTransportError(error: MplError, requestId?: string): void {
    if (this.#isClosed()) return; // what the transport reports while closing was already said to the callers
    if (requestId !== undefined) {
      const match = this.#pending.take(undefined, requestId);
      if (match instanceof Request) return this.#fail(match, error);
    }
    const dropped = error instanceof ConnectionError; // a reconnection attempt that failed, a link's error
    if (dropped) this.#lastDrop = error.message;
    this.#report(error, { source: dropped ? 'connection' : 'frame' });
  }

  /** Pushed envelopes are checked (hash, schema) in arrival order, then dispatched or buffered. */
  #acceptPush(data: Record<string, unknown>): void {
    let envelope: MplEnvelope;
    try {
      envelope = MplEnvelope.fromWire(data);
    } catch (error) {
      return this.#report(error as Error, { source: 'frame' });
    }
    // A push that fails its checks is said, not delivered; the next one still is (the chain goes on).
    this.#inbound = this.#inbound.then(async () => {
      await this.#checks.verifyHash(envelope);
      if (this.#config.autoValidate) await this.#checks.validate(envelope.stype, envelope.payload, false);
      if (!this.#isClosed()) this.#dispatcher.deliver(envelope);
    }).catch((error: unknown) => this.#report(error instanceof Error ? error : new Error(String(error)), { source: 'push', envelope }));
  }

  // ── helpers ──────────────────────────────────────────────────────────────────

  // A method, not a field comparison: the state changes across awaits, which TypeScript's narrowing ignores.
  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** Says so (`onError`) when the server did not select the QoM profile asked for: a misspelt name would otherwise go unseen. */
  #checkProfile(caps: NegotiatedCapabilities): void {
    const asked = this.#config.qomProfile;
    if (asked === undefined || caps.selectedProfile === asked) return;
    const selected = caps.selectedProfile ?? 'none (a name it does not know: is it spelt as the server\'s registry spells it?)';
    this.#report(new MplError(ErrorCode.ProfileNotSelected, `${this.#endpoint} did not select the QoM profile ${JSON.stringify(asked)} the session asked for; it selected ${selected}. Replies are held to what was selected`, {
      details: { asked, selected: caps.selectedProfile, endpoint: this.#endpoint },
    }), { source: 'connection' });
  }

  #report(error: Error, context: ErrorContext): void {
    callHook(() => this.#config.onError(error, context), (hookError) => console.error('[mpl-sdk] onError threw while reporting', error, hookError));
  }

  #deadline(operation: string, timeoutMs: number, signal?: AbortSignal): Deadline {
    this.#timers++;
    return this.#deadlines.deadline(operation, timeoutMs, signal);
  }

  #clearDeadline(deadline: Deadline): void {
    this.#timers--;
    deadline.clear();
  }

  /**
   * Races local work (validation, hashing, a URL provider) against the call's deadline and,
   * given `onClose`, the session's close, which gives it up with `onClose()`.
   */
  async #withDeadline<T>(work: Promise<T>, deadline: Deadline, onClose?: () => unknown): Promise<T> {
    const abort = abortPromise(deadline);
    let giveUp: (() => void) | undefined;
    const racing: Array<Promise<T>> = [work, abort.promise];
    if (onClose) {
      racing.push(new Promise<never>((_, reject) => {
        giveUp = () => reject(onClose());
        if (this.#isClosed()) giveUp();
        else this.#giveUpOnClose.add(giveUp);
      }));
    }
    try {
      return await Promise.race(racing);
    } finally {
      abort.dispose();
      if (giveUp) this.#giveUpOnClose.delete(giveUp);
    }
  }

  #closedError(operation: string, cause?: unknown): ConnectionError {
    return new ConnectionError(`Session is closed (${operation})`, { ...(this.#endpoint ? { endpoint: this.#endpoint } : {}), ...(cause === undefined ? {} : { cause }) });
  }

  async #shutdown(reason: MplError | undefined): Promise<void> {
    this.#state = 'closed';
    const transport = this.#transport;
    const rejection = (request: Request, where: string): ConnectionError => new ConnectionError(
      `Session closed while ${request.stype} request ${request.id} ${where}${reason ? `: ${reason.message}` : ''}`,
      { endpoint: this.#endpoint, ...(reason ? { cause: reason } : {}), details: { requestId: request.id, stype: request.stype } },
    );
    for (const request of this.#pending.takeAll()) this.#fail(request, rejection(request, 'awaited its reply (it may or may not have been processed)'));
    for (const request of this.#outbox.drain()) this.#fail(request, rejection(request, 'was waiting to be sent (it was not sent)'));
    this.#dispatcher.clear();
    this.#deadlines.close();
    // What ended the session (a refused handshake's NegotiationError, giving up's ConnectionError), as a first connect() would get it.
    for (const waiter of this.#reopenWaiters) waiter.reject(reason ?? this.#closedError('connect()'));
    this.#reopenWaiters.clear();
    // Then the rest of the local work waited on (after the waiters above, whose own reason comes first).
    for (const giveUp of this.#giveUpOnClose) giveUp();
    this.#giveUpOnClose.clear();
    for (const stop of this.#closeWaiters) stop();
    this.#closeWaiters.clear();
    await transport?.close();
  }
}
keepName(Session, 'Session');
