import ReconnectingWebSocket, { CloseEvent as PartysocketClose } from 'partysocket/ws';
import { ConnectionError } from '../errors/connection-error.ts';
import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { isHandshakeMessage, type AlpnHello } from '../protocol/handshake.ts';
import { loadWebSocket, type WebSocketConstructor } from '../platform/runtime.ts';
import { isErrorLike, plainServerHint, tidyTlsText } from '../platform/failure-text.ts';
import { reconnectDelay } from './backoff.ts';
import { defaultShouldReconnect, type CloseInfo } from './close-policy.ts';
import { MAX_DELAY_MS } from './deadline.ts';
import { TimeoutError } from '../errors/timeout-error.ts';
import type { ReconnectOptions } from './config.ts';
import { looksLikeEnvelope } from '../protocol/peer-reply.ts';
import type { InboundMessage, OutboundRequest, TransportEvents } from './transport.ts';

/**
 * Options of {@link WebSocketTransport}. Every field but `WebSocket` and `shouldReconnect` is
 * required: a `Session` fills them from its config.
 *
 * @example
 * const options: WebSocketTransportOptions = {
 *   url: async () => `ws://127.0.0.1:8080/ws?token=${await freshToken()}`, endpoint: 'ws://127.0.0.1:8080/ws',
 *   reconnect: { enabled: true, minDelayMs: 1000, maxDelayMs: 10_000, growFactor: 1.5, maxRetries: Infinity },
 *   openTimeoutMs: 10_000, maxFrameBytes: 16 * 1024 * 1024,
 * };
 * const transport = new WebSocketTransport(options);
 */
export interface WebSocketTransportOptions {
  /** Gives the URL to connect to; called before every connection. */
  url: () => string | Promise<string>;
  /** The URL as shown in errors (no query: tokens live there). */
  endpoint: string;
  WebSocket?: WebSocketConstructor | undefined;
  /**
   * Backoff and limits; `shouldReconnect` defaults to {@link defaultShouldReconnect}. Spelt out
   * (not `Settled<ReconnectOptions>`): these options are documented, and that helper is not.
   */
  reconnect: { enabled: boolean; minDelayMs: number; maxDelayMs: number; growFactor: number; maxRetries: number } & Pick<ReconnectOptions, 'shouldReconnect'>;
  /** Limit for opening one socket, in ms. */
  openTimeoutMs: number;
  /** Largest frame accepted, in characters (text) or bytes (binary). */
  maxFrameBytes: number;
}

/** The limit of each step of a reconnection: `timeoutMs`, or 30 s with none (a step that hangs ends, and the next attempt comes). */
const attemptMs = (timeoutMs: number): number => (Number.isFinite(timeoutMs) ? Math.min(timeoutMs, MAX_DELAY_MS) : 3e4);

const OPEN = 1;
const CLOSED = 3;
/** How long close() waits for the server's answer to its close frame before cutting the TCP link. */
export const CLOSE_GRACE_MS = 1000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The code behind the public `WebSocketTransport` (lazy-websocket-transport.ts, which
 * documents it), loaded with its first `start` together with partysocket.
 * @internal
 */
export class WebSocketLink {
  readonly #options: WebSocketTransportOptions;
  readonly #events: TransportEvents;
  #socket: ReconnectingWebSocket | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Sockets this link gave up on (`reconnect`), until they are closed. */
  readonly #givenUp = new Set<Promise<void>>();
  #linkOpen = false;
  /** Reconnection attempts since the last completed handshake (the first connection is not one). */
  #attempt = 0;
  #everOpened = false;
  #lastError: unknown;
  #dropScheduled = false;
  /** How the server closed the current link; unset for closes the SDK makes itself. */
  #lastClose: CloseInfo | undefined;
  /** True while the SDK closes a link itself (partysocket dispatches that close synchronously). */
  #ownClose = false;
  /** Ends the backoff wait before a reconnection (close() calls it). */
  #cancelSleep: (() => void) | undefined;
  /** Ends the wait for a reconnection's endpoint and query functions (close()). */
  #cancelUrlWait: (() => void) | undefined;
  /** The options partysocket was given, which it reads again at every connection. */
  #socketOptions: { connectionTimeout: number } & Record<string, unknown> | undefined;
  #starting: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  #handshake: { resolve: (reply: unknown) => void; reject: (error: unknown) => void } | undefined;
  /** The Node socket under a `ws` link, held corked until the current turn of the event loop ends. */
  #corked: Corkable | undefined;
  /** Frames sent on this link less frames read, never below 0: when none is unanswered, the next frame leaves at once (see `#cork`). */
  #unanswered = 0;

  constructor(options: WebSocketTransportOptions, events: TransportEvents) {
    this.#options = options;
    this.#events = events;
  }

  async start(signal: AbortSignal): Promise<void> {
    let WS: WebSocketConstructor;
    try {
      WS = await loadWebSocket(this.#options.WebSocket);
    } catch (cause) {
      throw new ConnectionError((cause as Error).message, { endpoint: this.#options.endpoint, cause });
    }
    if (this.#closed) throw this.#closedError('before it was open');
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      // The caller's reason first: close() rejects a start still waiting with its own error.
      const onAbort = (): void => { reject(signal.reason); void this.close(); };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#starting = {
        resolve: () => { signal.removeEventListener('abort', onAbort); resolve(); },
        reject: (error) => { signal.removeEventListener('abort', onAbort); reject(error); },
      };
      const socket = new ReconnectingWebSocket(() => this.#nextUrl(), undefined, this.#socketOptions = {
        WebSocket: WS,
        // partysocket's own backoff has no jitter and a timer close() cannot cancel: ours runs in #nextUrl.
        minReconnectionDelay: 0,
        maxReconnectionDelay: 0,
        // The first connection's opening has timeoutMs (Infinity: none, the caller's signal rules); #handleOpen limits the reconnections'.
        connectionTimeout: Math.min(this.#options.openTimeoutMs, MAX_DELAY_MS),
        // Never let partysocket queue frames: they would go out before the hello.
        maxEnqueuedMessages: 0,
      });
      socket.binaryType = 'arraybuffer';
      // partysocket calls `onX(event)` and then dispatches a clone of the event. workerd's
      // dispatchEvent calls `onX` a second time, so open is listened to with
      // addEventListener (once everywhere). Close and error use the properties: their
      // clones are mangled in browsers and workerd, and a second call is absorbed by
      // #scheduleDrop. Messages skip partysocket's copy and re-dispatch (see #listenDirectly).
      socket.addEventListener('open', this.#onOpen);
      this.#listenDirectly(socket);
      socket.onclose = (event) => {
        // A close partysocket makes up when a socket errs (or does not open in time) says
        // code 1000, a normal closure; no close frame came: 1006, as a browser says it.
        if (!this.#ownClose) this.#lastClose ??= event instanceof PartysocketClose ? { code: 1006, reason: '' } : closeInfo(event);
        this.#scheduleDrop();
      };
      socket.onerror = (event) => {
        this.#lastError ??= (event as { error?: unknown }).error ?? new Error((event as { message?: string }).message ?? 'WebSocket error');
        this.#scheduleDrop();
      };
      this.#socket = socket;
    });
  }

  handshake(hello: AlpnHello, signal: AbortSignal): Promise<unknown> {
    if (!this.#linkOpen || !this.#socket) return Promise.reject(new ConnectionError(`WebSocket to ${this.#options.endpoint} is not open`, { endpoint: this.#options.endpoint }));
    if (signal.aborted) return Promise.reject(signal.reason);
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => { signal.removeEventListener('abort', onAbort); clearTimeout(timer); };
      const onAbort = (): void => { this.#handshake = undefined; clearTimeout(timer); reject(signal.reason); };
      signal.addEventListener('abort', onAbort, { once: true });
      const handshake = this.#handshake = {
        resolve: (reply: unknown) => { done(); resolve(reply); },
        reject: (error: unknown) => { done(); reject(error); },
      };
      // A reconnection's handshake ends even with no timeoutMs (the session's own limit): no answer in 30 s, and the link is opened again.
      if (this.#attempt > 0 && !Number.isFinite(this.#options.openTimeoutMs)) {
        const ms = attemptMs(this.#options.openTimeoutMs);
        timer = setTimeout(() => {
          if (this.#handshake === handshake) this.#handshake = undefined;
          handshake.reject(new TimeoutError('reconnect handshake', ms));
          this.reconnect('no AI-ALPN answer');
        }, ms);
      }
      socket.send(JSON.stringify(hello));
    });
  }

  send(text: string, _request: OutboundRequest): boolean {
    const socket = this.#socket;
    if (!this.#linkOpen || !socket || socket.readyState !== OPEN) return false;
    if (this.#unanswered++ !== 0 && this.#corked === undefined) this.#cork(socket);
    return socket.send(text);
  }

  /**
   * Frames are read from the socket partysocket wraps, once, as that socket's own event:
   * partysocket adds its `_handleMessage` to every socket it opens (and removes it with the
   * socket), and that handler calls `onmessage`, then builds a copy of the event and
   * dispatches it, which costs more than reading the frame (Node's `MessageEvent` and
   * `EventTarget` above all). Taking its place keeps partysocket's reconnection and the
   * frames' order; a partysocket without that member is listened to the usual way.
   */
  #listenDirectly(socket: ReconnectingWebSocket): void {
    const internals = socket as unknown as { _handleMessage?: unknown };
    if (typeof internals._handleMessage === 'function') internals._handleMessage = this.#onMessage;
    else socket.addEventListener('message', this.#onMessage);
  }

  /**
   * Frames sent together leave in one write: under the `ws` package (Node) every frame is
   * otherwise its own system call, the largest single cost of a busy session. A frame sent
   * while others wait for their answers corks the socket, which is uncorked with
   * `process.nextTick`, run once the current callback and every promise job it started are
   * done: the replies that arrived in one read, and the sends they lead to, go out in one
   * write, and nothing waits for a later turn of the event loop. A frame sent when every
   * frame sent before was answered (as far as the count of frames read tells: a session
   * with one request at a time) leaves at once: there is nothing to gather it with, and the
   * peer gets it a few microseconds sooner. The bytes on the wire are the same frames.
   * Sockets that are not `ws`'s (browsers, Deno, Bun, workerd, Node 22's undici) are left
   * alone.
   */
  #cork(socket: ReconnectingWebSocket): void {
    const tcp = (wrapped(socket) as { _socket?: unknown } | undefined)?._socket;
    const nextTick = (globalThis as { process?: { nextTick?: (callback: () => void) => void } }).process?.nextTick;
    if (!isCorkable(tcp) || typeof nextTick !== 'function') return;
    tcp.cork();
    this.#corked = tcp;
    nextTick(this.#uncork);
  }

  readonly #uncork = (): void => {
    const tcp = this.#corked;
    this.#corked = undefined;
    tcp?.uncork();
  };

  /**
   * The server accepted the hello: reconnections start from the shortest wait again. (Any
   * answer at all is not enough: a server that answers every hello with something else
   * than AI-ALPN must meet a growing backoff, and `maxRetries`.)
   */
  accepted(): void {
    this.#attempt = 0;
  }

  /** Drops the current link and opens a new one (after the usual backoff); `reason` says why (default: the handshake failed). */
  reconnect(reason = 'handshake failed'): void {
    if (this.#closed || !this.#socket) return;
    this.#lastError ??= new Error(reason === 'handshake failed' ? 'handshake did not complete' : reason);
    // The socket given up: partysocket closes it and forgets it. On a link gone silent its close
    // frame is never answered, and `ws` would keep it (and a 30 s timer): it is watched here,
    // terminated after the grace period, and close() waits for it.
    const old = wrapped(this.#socket);
    this.#ownClose = true;
    try {
      this.#socket.reconnect(4000, reason);
    } finally {
      this.#ownClose = false;
    }
    if (old !== undefined) {
      const done = closedOrTerminated(old, CLOSE_GRACE_MS);
      this.#givenUp.add(done);
      void done.then(() => this.#givenUp.delete(done));
    }
  }

  /** Closes the link; every call resolves once it is closed (nothing of it left: no socket, no timer). */
  close(): Promise<void> {
    return (this.#closing ??= this.#close());
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#linkOpen = false;
    this.#cancelSleep?.();
    this.#cancelUrlWait?.();
    this.#uncork();
    const socket = this.#socket;
    const raw = wrapped(socket); // the one to watch after close()
    if (socket) {
      socket.removeEventListener('open', this.#onOpen);
      socket.removeEventListener('message', this.#onMessage);
      // Listened to directly, the socket keeps the handler if partysocket does not remove it (a link already closing).
      (raw as { removeEventListener?: (type: string, listener: unknown) => void } | undefined)?.removeEventListener?.('message', this.#onMessage);
      socket.onclose = socket.onerror = null;
      socket.close(1000, 'session closed');
    }
    this.#handshake?.reject(this.#closedError('during the handshake'));
    this.#handshake = undefined;
    this.#starting?.reject(this.#closedError('before it was open'));
    this.#starting = undefined;
    // partysocket may be waiting out its reconnection delay (0 ms: the backoff is this
    // transport's) on a timer that its close() does not clear: let it fire (the attempt then
    // finds the transport closed), so that nothing is left behind (Deno's test sanitizer).
    if ((socket as { _connectLock?: unknown } | undefined)?._connectLock === true) await new Promise((resolve) => setTimeout(resolve, 0));
    await Promise.all([closedOrTerminated(raw, CLOSE_GRACE_MS), ...this.#givenUp]);
  }

  #closedError(when: string): ConnectionError {
    return new ConnectionError(`Session closed ${when}`, { endpoint: this.#options.endpoint });
  }

  async #nextUrl(): Promise<string> {
    // partysocket may ask for the next URL after close() (its reconnection started first): no sleep then.
    if (this.#closed) throw new Error('closed');
    if (this.#everOpened) {
      // Every reconnection waits, the first one too: clients dropped together must not return together.
      const delay = reconnectDelay(++this.#attempt, this.#options.reconnect);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { this.#cancelSleep = undefined; resolve(); }, delay);
        this.#cancelSleep = () => { clearTimeout(timer); this.#cancelSleep = undefined; reject(new Error('closed')); };
      });
    }
    if (this.#closed) throw new Error('closed');
    // A reconnection's endpoint and query functions (a token fetch, say) are given up when they hang, as an opening
    // socket is, and called again by the next attempt; close() ends the wait. (The first connection's have the caller's limit.)
    const ms = attemptMs(this.#options.openTimeoutMs);
    let stopWaiting = (): void => {};
    try {
      return await Promise.race([
        this.#options.url(),
        ...(this.#everOpened ? [new Promise<never>((_, reject) => {
          const timer = setTimeout(() => reject(new TimeoutError('reconnect (endpoint and query)', ms)), ms);
          stopWaiting = this.#cancelUrlWait = () => { clearTimeout(timer); reject(new Error('closed')); };
        })] : []),
      ]);
    } catch (error) {
      this.#lastError = error;
      throw error;
    } finally {
      stopWaiting();
      this.#cancelUrlWait = undefined;
    }
  }

  readonly #onOpen = (): void => this.#handleOpen();
  readonly #onMessage = (event: MessageEvent): void => {
    if (this.#unanswered !== 0) this.#unanswered--;
    if (!this.#closed) this.#handleData(event.data);
  };

  #handleOpen(): void {
    this.#linkOpen = true;
    this.#unanswered = 0; // what the last link left unanswered will never be
    this.#everOpened = true;
    // Each reconnection's opening ends, even with no timeoutMs (partysocket reads its options at every connection).
    if (this.#socketOptions) this.#socketOptions.connectionTimeout = attemptMs(this.#options.openTimeoutMs);
    this.#lastError = undefined;
    if (this.#starting) {
      const starting = this.#starting;
      this.#starting = undefined;
      starting.resolve();
    } else {
      this.#events.onopen?.();
    }
  }

  // partysocket reports a failure as close-then-error (or error alone when no socket was made):
  // one drop is handled once, after both have been seen.
  #scheduleDrop(): void {
    if (this.#dropScheduled || this.#closed) return;
    this.#dropScheduled = true;
    queueMicrotask(() => this.#handleDrop());
  }

  #handleDrop(): void {
    this.#dropScheduled = false;
    if (this.#closed) return;
    const { endpoint, reconnect } = this.#options;
    const cause = this.#lastError;
    this.#lastError = undefined;
    const close = this.#lastClose;
    this.#lastClose = undefined;
    const wasOpen = this.#linkOpen;
    this.#linkOpen = false;
    const refused = close !== undefined && !this.#shouldReconnect(close);
    const withCode = close ? ` with code ${close.code}${close.reason ? ` "${close.reason}"` : ''}` : '';
    const closeDetail = refused ? withCode : '';
    const said = isErrorLike(cause) && cause.message ? tidyTlsText(cause.message) : '';
    const detail = `${closeDetail}${said ? ` (${said})${plainServerHint(endpoint, said)}` : ''}`;
    const closedWith = close && !refused && close.code !== 1005 && close.code !== 1006 ? withCode : '';
    this.#handshake?.reject(new ConnectionError(`WebSocket to ${endpoint} closed during the handshake${closedWith}${detail}`, {
      endpoint, cause, ...(close ? { details: { closeCode: close.code, closeReason: close.reason } } : {}),
    }));
    this.#handshake = undefined;
    if (this.#starting) {
      const starting = this.#starting;
      this.#starting = undefined;
      // Rejected once closed, so that a caller who gives up on it finds nothing left running.
      const error = new ConnectionError(`Could not open a WebSocket to ${endpoint}${detail}`, { endpoint, cause });
      const fail = (): void => starting.reject(error);
      void this.close().then(fail, fail);
      return;
    }
    const retries = this.#attempt;
    // The server's close code and reason go with every account of the drop (1005, 1006: none was given).
    const closeDetails = close ? { details: { closeCode: close.code, closeReason: close.reason } } : {};
    if (refused) {
      void this.close();
      this.#events.onclose?.({ reconnecting: false, error: new ConnectionError(`WebSocket to ${endpoint} was closed by the server${closeDetail}; not reconnecting (reconnect.shouldReconnect)`, { endpoint, cause, details: { closeCode: close.code, closeReason: close.reason } }) });
    } else if (!reconnect.enabled || retries >= reconnect.maxRetries) {
      void this.close();
      const why = reconnect.enabled ? `gave up after ${retries} reconnection attempts` : 'reconnection is disabled';
      this.#events.onclose?.({ reconnecting: false, error: new ConnectionError(`WebSocket to ${endpoint} closed${closedWith}; ${why}${detail}`, { endpoint, cause, ...closeDetails }) });
    } else if (wasOpen) {
      this.#events.onclose?.({ reconnecting: true, error: new ConnectionError(`WebSocket to ${endpoint} dropped${closedWith}${detail}; reconnecting`, { endpoint, cause, ...closeDetails }) });
    } else {
      this.#events.onerror?.(new ConnectionError(`Reconnection attempt ${retries} to ${endpoint} failed${closedWith}${detail}`, { endpoint, cause, ...closeDetails }));
    }
  }

  /** Asks the reconnection rule; a rule that throws is reported and the link reconnects as usual. */
  #shouldReconnect(close: CloseInfo): boolean {
    try {
      return (this.#options.reconnect.shouldReconnect ?? defaultShouldReconnect)(close);
    } catch (cause) {
      this.#events.onerror?.(new MplError(ErrorCode.InvalidArgument, `reconnect.shouldReconnect threw for close code ${close.code}: ${(cause as Error)?.message ?? String(cause)}`, { cause, details: { endpoint: this.#options.endpoint } }));
      return true;
    }
  }

  #handleData(data: unknown): void {
    if (typeof data === 'string') return this.#handleText(data, 'text');
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (bytes.byteLength > this.#options.maxFrameBytes) return this.#reportTooLarge(bytes.byteLength, 'binary');
      let text: string;
      try {
        text = utf8.decode(bytes);
      } catch (cause) {
        return this.#reportFrame(`a binary frame of ${bytes.byteLength} bytes is not UTF-8 text, so not an MPL message`, cause);
      }
      return this.#handleText(text, 'binary');
    }
    if (typeof Blob !== 'undefined' && data instanceof Blob) {
      void data.arrayBuffer().then((buffer) => this.#handleData(buffer), (cause: unknown) => this.#reportFrame('a binary frame could not be read', cause));
      return;
    }
    this.#reportFrame(`a frame of unknown kind (${typeof data}) arrived`);
  }

  #handleText(text: string, kind: 'text' | 'binary'): void {
    if (text.length > this.#options.maxFrameBytes) return this.#reportTooLarge(text.length, kind);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (cause) {
      return this.#reportFrame(`a ${kind} frame is not JSON`, cause, text);
    }
    // During a handshake, anything but a pushed envelope is the server's answer to the hello.
    if (this.#handshake && (isHandshakeMessage(data) || !looksLikeEnvelope(data))) {
      this.#handshake.resolve(data);
      this.#handshake = undefined;
      return;
    }
    this.#events.onmessage?.({ data });
  }

  #reportTooLarge(size: number, kind: string): void {
    this.#reportFrame(`a ${kind} frame of ${size} bytes exceeds maxFrameBytes (${this.#options.maxFrameBytes}); discarded unread`);
  }

  /**
   * A frame that arrived but cannot be read: during a handshake it is the (unreadable)
   * answer to the hello; afterwards it goes to the session, which gives it to the oldest
   * waiting request (an id-less peer meant it as that reply) or reports it.
   */
  #reportFrame(problem: string, cause?: unknown, text?: string): void {
    const details: Record<string, unknown> = { endpoint: this.#options.endpoint };
    if (text !== undefined) details['frame'] = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    const error = new MplError(ErrorCode.InvalidEnvelope, `Malformed frame from ${this.#options.endpoint}: ${problem}`, { details, cause });
    if (this.#handshake) {
      this.#handshake.resolve(details['frame'] ?? problem);
      this.#handshake = undefined;
      return;
    }
    this.#events.onmessage?.({ data: undefined, unreadable: error });
  }
}

function closeInfo(event: unknown): CloseInfo {
  const { code, reason } = (event ?? {}) as { code?: unknown; reason?: unknown };
  return { code: typeof code === 'number' ? code : 1005, reason: typeof reason === 'string' ? reason : '' };
}

/** The part of a Node socket (`net.Socket`) that gathers writes into one. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

const isCorkable = (socket: unknown): socket is Corkable =>
  typeof socket === 'object' && socket !== null
  && typeof (socket as { cork?: unknown }).cork === 'function'
  && typeof (socket as { uncork?: unknown }).uncork === 'function';

/** The part of the `ws` package's socket that lets a close be cut short. */
interface TerminableSocket {
  readyState: number;
  terminate(): void;
  addEventListener(type: 'close', listener: () => void): void;
  removeEventListener(type: 'close', listener: () => void): void;
}

/** The socket partysocket wraps (its private `_ws`: test/session/partysocket-internals.test.ts holds it). */
const wrapped = (socket: ReconnectingWebSocket | undefined): unknown => (socket as unknown as { _ws?: unknown } | undefined)?._ws;

const isTerminable = (socket: unknown): socket is TerminableSocket =>
  typeof socket === 'object' && socket !== null
  && typeof (socket as { terminate?: unknown }).terminate === 'function'
  && typeof (socket as { addEventListener?: unknown }).addEventListener === 'function';

/**
 * Waits until a closing socket is closed, so that `close()` leaves nothing behind (Deno's
 * test sanitizer counts a WebSocket still closing as a leak). A `ws` socket is terminated
 * after `graceMs` when the server never answers the close frame (else `ws` keeps the TCP
 * link and its own 30 s timer alive); any other (browsers', Deno's, Bun's, undici's) has
 * no such call, and is waited for `graceMs` at most.
 */
async function closedOrTerminated(socket: unknown, graceMs: number): Promise<void> {
  const closing = socket as { readyState?: unknown; addEventListener?: unknown; removeEventListener?: unknown } | null | undefined;
  if (typeof closing?.addEventListener !== 'function' || typeof closing.removeEventListener !== 'function' || closing.readyState === CLOSED) return;
  const target = closing as EventTarget;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      target.removeEventListener('close', done);
      resolve();
    };
    // After terminate() the 'close' event follows at once; the second period only bounds the wait.
    let timer = setTimeout(() => {
      if (!isTerminable(socket)) return done();
      socket.terminate();
      timer = setTimeout(done, graceMs);
    }, graceMs);
    target.addEventListener('close', done);
  });
}
