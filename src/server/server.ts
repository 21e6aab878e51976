import { checkPayload, loadCore, type Core } from './core.ts';
import { ANY, type Handler } from './handler.ts';
import { HttpEndpoint, type Routes, type Upstream } from './http.ts';
import type { HttpIn } from './http-in.ts';
import { checkServerOptions, resolveLimits, type ServerLimits, type ServerOptions } from './options.ts';
import { graceOf, settledWithin } from './grace.ts';
import { PeerSession, type SessionSnapshot } from './peer-session.ts';
import { pushEnvelope } from './push.ts';
import { ErrorCode, MplError, SType, type MplEnvelope, type PayloadOf, type StypeId } from './sdk.ts';
import { CloseCode, type ServerSocket } from './socket.ts';
import { json, toResponse, type HttpAnswer } from './wire.ts';

/**
 * Options of {@link MplServer}: {@link ServerOptions} plus the upstream that answers
 * whatever is not MPL.
 *
 * @example
 * new MplServer({ mode: 'strict', upstream: (request, body) => Response.json({ got: body.json }) });
 */
export interface MplServerOptions extends ServerOptions {
  /**
   * Answers a POST whose body is neither a hello nor an envelope (JSON-RPC, bare JSON after
   * its X-MPL-SType check), as the proxy's upstream does. Without one, such a body is
   * refused with `E-INVALID-ENVELOPE`.
   */
  upstream?: Upstream;
  /** Routes of the application's own, asked before the server's (static files, an admin API…). */
  routes?: Routes;
}

/**
 * An MPL endpoint on web standards: `fetch(request)` answers HTTP (the AI-ALPN hello,
 * envelopes, `/health`, `/capabilities`) and `accept(socket)` runs a WebSocket session;
 * the adapters in `mpl-sdk/server` (Deno, Bun, workerd) and `mpl-sdk/server/node` plug it
 * into each runtime. Envelopes are checked as the reference proxy checks them (schema,
 * semantic hash; strict mode blocks) and handed to the handler of their SType.
 *
 * @example
 * const server = new MplServer({ mode: 'strict' });
 * server.on('org.calendar.Event.v1', (envelope) => ({ ...envelope.payload, status: 'confirmed' }));
 * Deno.serve(denoHandler(server));
 */
export class MplServer {
  readonly #options: MplServerOptions;
  readonly #handlers = new Map<string, Handler>();
  readonly #sessions = new Set<PeerSession>();
  /** `shutdown()` was called: no new session is taken. */
  #shuttingDown = false;
  readonly #onHandshake = new Set<(session: PeerSession) => unknown>();
  #loading: Promise<Core> | undefined;
  #core: Core | undefined;
  /** The limits, resolved once when the server is made. */
  readonly #limits: ServerLimits;
  #http: HttpEndpoint | undefined;

  /**
   * @throws MplError `E-INVALID-ARGUMENT` naming the option: one the server does not know,
   *   a value of the wrong kind, a limit that is not a positive number.
   */
  constructor(options: MplServerOptions = {}) {
    options ??= {}; // null from plain JavaScript: no options
    checkServerOptions(options);
    this.#limits = resolveLimits(options.limits); // limits that do not hold throw here
    this.#options = options;
  }

  /**
   * Handles the envelopes of one SType (`*`: of every SType without a handler of its own);
   * replaces an earlier handler of it. The handler's return value is the reply (see {@link Handler}).
   *
   * @example
   * server.on('org.agent.Heartbeat.v1', (_envelope, ctx) => ctx.reply('org.agent.Heartbeat.v1', { status: 'alive' }));
   */
  on<S extends StypeId | typeof ANY>(stype: S, handler: NoInfer<Handler<S>>): this {
    const key = stype === ANY ? ANY : SType.parse(stype).id;
    needsFunction(handler, `on(${JSON.stringify(key)})`, 'a handler');
    this.#handlers.set(key, handler as Handler);
    return this;
  }

  /**
   * Runs `listener` after each WebSocket handshake, once the select is sent; returns a
   * function that removes it. A listener that throws or rejects is reported to `onError`.
   *
   * @example
   * server.onHandshake((session) => session.push('org.agent.Heartbeat.v1', { status: 'alive' }));
   */
  onHandshake(listener: (session: PeerSession) => unknown): () => void {
    needsFunction(listener, 'onHandshake()', 'a listener');
    this.#onHandshake.add(listener);
    return () => this.#onHandshake.delete(listener);
  }

  /**
   * Loads the registry's STypes and profiles; rejects (e.g. `E-UNKNOWN-STYPE` for an SType
   * without a schema) when the server cannot start. `fetch` calls it itself; adapters call
   * it before they accept a socket.
   *
   * @example
   * await server.ready();
   */
  async ready(): Promise<void> {
    await this.#load();
  }

  #load(): Promise<Core> {
    this.#loading ??= loadCore(this.#options, this.#handlers, this.#limits).then((core) => {
      this.#core = core;
      this.#http = new HttpEndpoint(core, this.#options.cors ?? false, this.#options.routes, this.#options.upstream);
      return core;
    });
    return this.#loading;
  }

  /** The loaded core; throws when `ready()` has not resolved yet. */
  #ready(): Core {
    if (!this.#core) throw new MplError('E-INVALID-ARGUMENT', 'The server is not ready: await server.ready() first');
    return this.#core;
  }

  /**
   * Answers one HTTP request (bound: `export default { fetch: server.fetch }` works). Never
   * rejects; an upgrade request gets 426 (the runtime adapter upgrades it).
   *
   * @example
   * const response = await server.fetch(new Request('http://localhost/health'));
   */
  readonly fetch = async (request: Request): Promise<Response> => {
    const http = await this.#endpoint();
    return http instanceof HttpEndpoint ? http.fetch(request) : toResponse(http);
  };

  /**
   * @internal `fetch` for an adapter that reads its runtime's requests itself and writes the
   * answer (the Node adapter): the same answers, with a Response only where `routes` or
   * the upstream gave one. Never rejects.
   */
  async answer(request: HttpIn): Promise<HttpAnswer> {
    const http = await this.#endpoint();
    return http instanceof HttpEndpoint ? http.answer(request) : http;
  }

  /**
   * @internal For an adapter's own failures (writing an answer): to `onError`, as the
   * server's are; to the console while the server has not started.
   */
  reportError(error: unknown, context: { transport: 'ws' | 'http' }): void {
    if (this.#core) this.#core.reportError(error, context);
    else console.error('mpl-sdk/server:', error);
  }

  /** The HTTP side once the server has started; when it cannot start, the answer to every request. */
  async #endpoint(): Promise<HttpEndpoint | HttpAnswer> {
    try {
      await this.#load();
    } catch (error) {
      return notStarted(error);
    }
    return this.#http!;
  }

  /**
   * Adapters: runs a session on an open WebSocket opened at `path` (with what it had
   * negotiated, when `restored` after a hibernation). Undefined when the server is full
   * (`limits.maxSessions`): the socket is then closed with 1013.
   *
   * @example
   * const session = server.accept({ send: (d) => ws.send(d), close: (c, r) => ws.close(c, r) }, '/ws');
   * ws.onmessage = (event) => session?.receive(event.data);
   * ws.onclose = () => session?.closed();
   */
  accept(socket: ServerSocket, path = '/', restored?: SessionSnapshot): PeerSession | undefined {
    const core = this.#ready();
    if (this.#shuttingDown) {
      try {
        socket.close(CloseCode.GoingAway, 'server shutting down');
      } catch (error) {
        core.reportError(error, { transport: 'ws' });
      }
      return undefined;
    }
    if (!this.roomForOne()) {
      try {
        socket.close(CloseCode.TryAgainLater, `more than ${core.limits.maxSessions} sessions`);
      } catch (error) {
        core.reportError(error, { transport: 'ws' });
      }
      return undefined;
    }
    const session = new PeerSession(core, socket, path, {
      onHandshake: (s) => this.#handshaken(s),
      onClose: (s) => this.#sessions.delete(s),
    }, restored);
    this.#sessions.add(session);
    return session;
  }

  #handshaken(session: PeerSession): void {
    for (const listener of this.#onHandshake) {
      Promise.resolve().then(() => listener(session)).catch((error: unknown) => this.#core?.reportError(error, { transport: 'ws' }));
    }
  }

  /** The open WebSocket sessions. */
  get sessions(): ReadonlySet<PeerSession> {
    return this.#sessions;
  }

  /**
   * @internal True when one more session fits: when the server is full, the sessions that
   * made no handshake and have been quiet past `limits.helloTimeoutMs` are closed first to
   * make room, without waiting for their timers. Adapters that must decide before `accept`
   * call this instead of `isFull`.
   */
  roomForOne(): boolean {
    if (!this.isFull) return true;
    for (const session of this.#sessions) session.closeIfQuiet();
    return !this.isFull;
  }

  /** True when a new session would be refused (`limits.maxSessions` reached; after `ready()`). */
  get isFull(): boolean {
    return this.#sessions.size >= this.#ready().limits.maxSessions;
  }

  /** The STypes served (after `ready()`). */
  get stypes(): readonly string[] {
    return this.#ready().stypes;
  }

  /** @internal The limits in force, known before the server starts, for an adapter that must know one then (Bun's frame size). */
  get limitsAsMade(): Readonly<ServerLimits> {
    return this.#limits;
  }

  /** The resource limits in force (after `ready()`). */
  get limits(): Readonly<ServerLimits> {
    return this.#ready().limits;
  }

  /** Whether the server blocks what fails its checks (after `ready()`). */
  get strict(): boolean {
    return this.#ready().strict;
  }

  /**
   * Pushes a hashed envelope to every handshaken session that negotiated its SType.
   * Resolves with the envelope and how many sessions it went to; rejects with an
   * `MplError` when the SType is not served or the payload is not valid under its schema.
   *
   * @example
   * const { sent } = await server.broadcast('org.agent.Heartbeat.v1', { status: 'alive' });
   */
  async broadcast<S extends StypeId>(stype: S, payload: NoInfer<PayloadOf<S>>): Promise<{ envelope: MplEnvelope<PayloadOf<S>>; sent: number }> {
    const envelope = await pushEnvelope(await this.#load(), stype, payload);
    let sent = 0;
    for (const session of this.#sessions) {
      if (session.handshaken && session.commonStypes.includes(envelope.stype) && session.deliver(envelope)) sent += 1;
    }
    return { envelope: envelope as MplEnvelope<PayloadOf<S>>, sent };
  }

  /**
   * Validates a payload as `stype` against the server's schemas, as it checks an envelope.
   *
   * @example
   * const { valid, errors } = await server.check('org.calendar.Event.v1', { title: 'Sync' });
   */
  async check(stype: string, payload: unknown): Promise<{ valid: boolean; errors: string[]; code: string }> {
    return checkPayload(await this.#load(), stype, payload);
  }

  /**
   * Closes every session (1001 going away by default), at once: answers still being worked
   * out are lost. {@link drain} first lets them go out.
   *
   * @example
   * server.close();
   */
  close(code: number = CloseCode.GoingAway, reason = 'server shutting down'): void {
    for (const session of [...this.#sessions]) session.close(code, reason);
  }

  /**
   * Shuts the sessions down gracefully, in any runtime: takes no new session from now on (an
   * upgrade is closed with 1001), lets every session's answers in flight go out ({@link drain}),
   * then closes them all (1001). Stop the runtime's own server after it, which lets HTTP
   * requests in flight finish: Deno's `await httpServer.shutdown()`, Bun's `await
   * bunServer.stop()` (which would otherwise wait for every WebSocket client to leave). The
   * Node adapter's `close()` does all of it.
   *
   * @example
   * Deno.addSignalListener('SIGTERM', async () => { await server.shutdown(); await http.shutdown(); });
   */
  async shutdown(graceMs?: number): Promise<void> {
    await this.drain(graceMs);
    this.close();
  }

  /**
   * Resolves once every WebSocket session has answered every frame it had read when this
   * was called, or after `graceMs` (default `limits.handlerTimeoutMs`, by when every handler
   * has been answered, if only with `E-TIMEOUT`; at most 30 s): a shutdown awaits it before
   * `close()`, so that no request being handled loses its answer. The adapters' own
   * `close()` do. It starts the shutdown, for good: from then on no new session is taken
   * (an upgrade is closed with 1001), and envelopes go to no handler: each is answered at
   * once with `E-OVERLOADED` (`details.shutting_down`), so that a peer that keeps sending
   * neither holds the shutdown for its whole grace nor loses a request to the close.
   *
   * @example
   * await server.drain();
   * server.close();
   */
  async drain(graceMs?: number): Promise<void> {
    this.#shuttingDown = true;
    if (this.#sessions.size === 0) return;
    await settledWithin(Promise.all([...this.#sessions].map((session) => session.drain())), graceOf(this.#ready().limits, graceMs));
  }
}

/** The answer to every request of a server that could not start. */
function notStarted(error: unknown): HttpAnswer {
  return json(503, { error: ErrorCode.Internal, message: `The MPL server could not start: ${(error as Error).message}` });
}

/** Throws `E-INVALID-ARGUMENT` at registration for what is not a function (not at the first request, as a `TypeError`). */
function needsFunction(value: unknown, where: string, what: string): void {
  if (typeof value !== 'function') {
    throw new MplError('E-INVALID-ARGUMENT', `MplServer ${where} needs ${what} function, got ${value === null ? 'null' : typeof value}`, { details: { where } });
  }
}
