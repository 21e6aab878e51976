import { defaultShouldReconnect, type CloseInfo } from './close-policy.ts';
import type { HashLayout } from '../hashing/hash-layout.ts';
import type { NegotiatedCapabilities } from '../protocol/handshake.ts';
import type { Provenance } from '../protocol/types.ts';
import type { BuiltinQomProfileName } from '../protocol/qom.ts';
import type { MplEnvelope } from '../protocol/envelope.ts';
import type { Registry } from '../registry/index.ts';
import type { WebSocketConstructor } from '../platform/runtime.ts';
import { SType } from '../protocol/stype.ts';
import { parseEndpoint } from './endpoint.ts';
import { badOption, checkOptions, isNumber, isObject, ofType, type Rule } from '../platform/option-rules.ts';

/**
 * A value, or a function that gives it (possibly later), called each time it is needed.
 *
 * @example
 * const endpoint: Provider<string> = async () => `wss://agents.example.com/ws?token=${await freshToken()}`;
 */
export type Provider<T> = T | (() => T | Promise<T>);

/**
 * Where an error reported to `onError` came from.
 *
 * @example
 * onError: (error, { source, envelope }) => log.warn({ source, stype: envelope?.stype }, error.message)
 */
export interface ErrorContext {
  /**
   * `handler`: a message handler threw or rejected. `frame`: a frame that is not JSON, too
   * large, or of no known shape. `push`: a pushed envelope failed hash or schema checks.
   * `unhandled`: a pushed envelope no handler wanted, or the buffer before `listen()` overflowed.
   * `late-reply`: a reply arrived after its request had timed out or been aborted.
   * `connection`: the link dropped, a reconnection or its handshake failed.
   */
  source: 'handler' | 'frame' | 'push' | 'unhandled' | 'late-reply' | 'connection';
  /** The envelope concerned, when there is one. */
  envelope?: MplEnvelope;
}

/**
 * How a dropped WebSocket is re-established. Delays are randomised (jitter) so that many
 * clients do not return in step.
 *
 * @example
 * new Session({ endpoint, reconnect: { minDelayMs: 500, maxDelayMs: 30_000, maxRetries: 20 } });
 */
export interface ReconnectOptions {
  /** Turn automatic reconnection off: a drop then closes the session. Default `true`. */
  enabled?: boolean | undefined;
  /** Delay before the first retry, in ms, before jitter. Default 1000. */
  minDelayMs?: number | undefined;
  /** Largest delay between retries, in ms. Default 10000. */
  maxDelayMs?: number | undefined;
  /** Each failed retry multiplies the delay by this. Default 1.5. */
  growFactor?: number | undefined;
  /** Consecutive failed attempts before the session gives up and closes. Default `Infinity`. */
  maxRetries?: number | undefined;
  /**
   * A WebSocket link that stays silent (not one frame) while three requests in a row time
   * out, each sent after the one before had timed out, and for at least this long (ms), is
   * taken for dead and opened again (a network change, a device that slept: the socket
   * looks open for minutes). Default 10000; `Infinity` leaves such a link to its requests'
   * time limits. Set it above the longest a live peer may take to answer anything.
   */
  silentMs?: number | undefined;
  /**
   * Called when the server closes the link with a code: `false` stops reconnecting and
   * closes the session with a `ConnectionError` naming the code and reason. Default
   * {@link defaultShouldReconnect}: stop on 1003, 1008 and 4000–4999 (deliberate refusals),
   * reconnect on anything else. Closes the SDK makes itself are never asked about; a link
   * that failed or dropped without a close frame is asked about code 1006.
   *
   * @example
   * reconnect: { shouldReconnect: ({ code }) => code !== 4003 } // keep going on 1008, stop on 4003 only
   */
  shouldReconnect?: ((info: CloseInfo) => boolean) | undefined;
}

/**
 * Configuration of a {@link Session}. Only `endpoint` is required; the defaults are the
 * seed SDK's (`timeoutMs` 30000, `autoValidate` and `autoHash` on, `stypes` empty).
 *
 * @example
 * const config: SessionConfig = {
 *   endpoint: 'wss://agents.example.com/ws',
 *   stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'],
 *   qomProfile: 'qom-basic',
 *   onError: (error, { source }) => console.warn(source, error),
 * };
 */
export interface SessionConfig {
  /**
   * `ws://`, `wss://` (WebSocket) or `http://`, `https://` (HTTP). A function is called
   * before every WebSocket connection (and once for HTTP), e.g. to put a fresh token in the query.
   */
  endpoint: Provider<string>;
  /** STypes this client speaks, offered in the AI-ALPN hello. Only the common ones can be sent. Default `[]`. */
  stypes?: readonly string[] | undefined;
  /** QoM profile to ask for, and to hold replies' `qom_report` to. */
  qomProfile?: BuiltinQomProfileName | (string & {}) | undefined;
  /** A directory of schemas (Node, Deno, Bun). Default: the registry embedded in the SDK. */
  registryPath?: string | undefined;
  /** A registry object (embedded, directory or HTTP); wins over `registryPath`. */
  registry?: Registry | undefined;
  /**
   * Limit for the handshake and for each `send()` (queued time included), in ms; `Infinity` for none. Default 30000.
   * Each step of a WebSocket reconnection (the endpoint and query functions, the socket's
   * opening, the handshake) has this limit too, or 30 s with `Infinity`: a step that hangs
   * is given up, and the next attempt follows.
   */
  timeoutMs?: number | undefined;
  /**
   * Validate payloads (outgoing, replies, pushed) against their schemas. Default `true`.
   * While on, sending an SType the registry has no schema for throws `UnknownStypeError`
   * (naming where the registry looked); replies and pushes without a schema stay unchecked.
   */
  autoValidate?: boolean | undefined;
  /** Put a semantic hash on outgoing envelopes. Default `true`. Incoming hashes are always verified. */
  autoHash?: boolean | undefined;
  /**
   * The number layout of the hashes this session writes: `'current'` (default, the
   * reference as built today: `1e+20`) or `'legacy'` (`1e20`, for a strict peer built with
   * serde_json ≤ 1.0.146). Incoming hashes are accepted in either layout.
   */
  hashLayout?: HashLayout | undefined;
  /** Extra query parameters for the WebSocket URL, evaluated before every connection (browsers cannot send WebSocket headers). */
  query?: Provider<Record<string, string>> | undefined;
  /** HTTP request headers (e.g. `Authorization`), evaluated before every request. */
  headers?: Provider<Record<string, string>> | undefined;
  /** A WebSocket constructor to use instead of the default: the runtime's, or on Node the `ws` package. */
  WebSocket?: WebSocketConstructor | undefined;
  /**
   * A `fetch` to use for HTTP instead of the global one, called as `fetch(url, init)`: a
   * wrapper must pass both arguments on, e.g. `(input, init) => fetch(input, init)`. The
   * session's time limits hold even for one that ignores `init.signal`.
   */
  fetch?: typeof globalThis.fetch | undefined;
  /** Automatic reconnection of WebSocket sessions; `false` turns it off (`{ enabled: false }`), `true` is the defaults. */
  reconnect?: ReconnectOptions | boolean | undefined;
  /** Most `send()` calls that may wait for a (re)connection at once. Default 10000. */
  maxQueued?: number | undefined;
  /** Most pushed envelopes kept between `connect()` and `listen()`. Default 1000. */
  maxBuffered?: number | undefined;
  /**
   * Largest incoming frame accepted: characters of a text frame, bytes of a binary one.
   * Default 16 MiB. A larger frame is not read. While requests wait on a WebSocket it is
   * taken as the oldest one's reply, as any frame that names none is (the peer replies in
   * order), and fails it with `E-INVALID-ENVELOPE`; otherwise it is reported to `onError`.
   */
  maxFrameBytes?: number | undefined;
  /**
   * Receives everything that goes wrong outside a call's own promise: handler errors,
   * malformed frames, rejected pushes, dropped links. Default: `console.error` with the error,
   * but for the link's own news (source `connection`: a drop, each reconnection attempt that
   * failed), which gets one `console.warn` line, its message: a server away for an hour is
   * not hundreds of stack traces. If it throws (or, async, rejects), that goes to `console.error`.
   */
  onError?: ((error: Error, context: ErrorContext) => void) | undefined;
  /**
   * Called after every successful re-connection and handshake, with the new capabilities.
   * What it throws (or, async, rejects with) goes to `onError` (source `'handler'`).
   */
  onReconnect?: ((capabilities: NegotiatedCapabilities) => void) | undefined;
}

/**
 * Per-call options of {@link Session.send}.
 *
 * @example
 * await session.send('org.calendar.Event.v1', event, { validate: false, timeoutMs: 5000, signal: AbortSignal.timeout(8000) });
 */
export interface SendOptions {
  /**
   * Validate the payload (and the reply's) for this call; `undefined` uses `autoValidate`.
   * When on, an SType without a schema in the registry throws `UnknownStypeError`.
   */
  validate?: boolean | undefined;
  /** Hash the payload for this call; `undefined` uses `autoHash`. */
  computeHash?: boolean | undefined;
  /** Time limit of this call in ms, queued time included; `Infinity` for none. Default the session's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Cancels the call; it rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Provenance for the envelope (`intent` is required on the wire). */
  provenance?: Provenance | undefined;
  /** SType of the arguments, for tool calls. */
  argsStype?: string | undefined;
  /** Feature flags for the envelope. */
  features?: readonly string[] | undefined;
}

/**
 * Options of {@link Session.listen}.
 *
 * @example
 * const stop = new AbortController();
 * const listening = session.listen({ signal: stop.signal });
 * stop.abort(); // listening resolves; the session stays connected
 */
export interface ListenOptions {
  /** Stops listening (the promise resolves); pushed envelopes are buffered again. */
  signal?: AbortSignal | undefined;
}

/**
 * Options of {@link Session.connect}.
 *
 * @example
 * await session.connect({ signal: AbortSignal.timeout(3000) });
 */
export interface ConnectOptions {
  /**
   * Cancels this call: it rejects with the signal's reason. Calls made while one attempt
   * runs share it; the attempt stops once every one of them has cancelled (a call with no
   * signal keeps it going).
   */
  signal?: AbortSignal | undefined;
}

/**
 * A handler for pushed envelopes of one SType.
 *
 * @example
 * const onPlan: MessageHandler<{ id: string }> = async (envelope) => console.log(envelope.payload.id);
 * session.onMessage('org.agent.TaskPlan.v1', onPlan);
 */
export type MessageHandler<T = unknown> = (envelope: MplEnvelope<T>) => unknown; // a promise it returns is awaited (its rejection reported); any other value is ignored

/**
 * Counts of what a session is holding, for diagnostics and leak tests.
 *
 * @example
 * const { pending, queued, timers } = session.stats; // all 0 once every send() has settled
 */
export interface SessionStats {
  /** Requests on the wire, waiting for their reply. */
  pending: number;
  /** Requests waiting in the outbox for a (re)connection. */
  queued: number;
  /** Running time limits (one per unfinished `send()`, `connect()` or handshake after a reconnection). */
  timers: number;
  /** Pushed envelopes waiting for `listen()`. */
  buffered: number;
  /** Requests that timed out on an ordered link: their late reply will be recognised and discarded. */
  expired: number;
  /** Successful reconnections so far. */
  reconnections: number;
}

/** Options with every member given: neither optional nor `undefined` (what the defaults fill in). */
export type Settled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/** The config with its defaults applied. */
export interface ResolvedConfig {
  endpoint: Provider<string>;
  stypes: string[];
  qomProfile: string | undefined;
  timeoutMs: number;
  autoValidate: boolean;
  autoHash: boolean;
  reconnect: Settled<ReconnectOptions>;
  maxQueued: number;
  maxBuffered: number;
  maxFrameBytes: number;
  onError: (error: Error, context: ErrorContext) => void;
}

/**
 * Applies the defaults, after checking what JavaScript callers (no compiler to catch it)
 * can get wrong: each option given has the type and range documented above, or the
 * constructor throws `MplError` `E-INVALID-ARGUMENT` naming it. (Unchecked, a string
 * `stypes` was offered character by character and `timeoutMs: NaN` timed every call out.)
 */
export function resolveConfig(config: SessionConfig): ResolvedConfig {
  checkConfig(config);
  const reconnect: ReconnectOptions = typeof config.reconnect === 'boolean' ? { enabled: config.reconnect } : config.reconnect ?? {};
  return {
    endpoint: config.endpoint,
    stypes: [...(config.stypes ?? [])],
    qomProfile: config.qomProfile,
    timeoutMs: config.timeoutMs ?? 30_000,
    autoValidate: config.autoValidate ?? true,
    autoHash: config.autoHash ?? true,
    reconnect: {
      enabled: reconnect.enabled ?? true,
      minDelayMs: reconnect.minDelayMs ?? 1000,
      maxDelayMs: reconnect.maxDelayMs ?? 10_000,
      growFactor: reconnect.growFactor ?? 1.5,
      maxRetries: reconnect.maxRetries ?? Number.POSITIVE_INFINITY,
      silentMs: reconnect.silentMs ?? 10_000,
      shouldReconnect: reconnect.shouldReconnect ?? defaultShouldReconnect,
    },
    maxQueued: config.maxQueued ?? 10_000,
    maxBuffered: config.maxBuffered ?? 1000,
    maxFrameBytes: config.maxFrameBytes ?? 16 * 1024 * 1024,
    onError: config.onError ?? ((error, { source }) => (source === 'connection' ? console.warn(`[mpl-sdk] connection: ${error.message}`) : console.error(`[mpl-sdk] ${source}:`, error))),
  };
}

/** Throws `E-INVALID-ARGUMENT` naming the Session's option at `where` (`config.timeoutMs`). */
const badConfig = (where: string, expected: string, value: unknown): never => badOption('Session', where, expected, value);

const count = (least: number): Rule => [`a whole number ≥ ${least} (or Infinity)`, (value) => isNumber(value) && value >= least && (Number.isInteger(value) || value === Number.POSITIVE_INFINITY)];
const finite = (expected: string, least: number): Rule => [expected, (value) => isNumber(value) && value >= least && Number.isFinite(value)];
const BOOLEAN = ofType('boolean');
const FUNCTION = ofType('function');
const OBJECT: Rule = ['an object', isObject];
const PROVIDER: Rule = ['an object or a function giving one', (value) => isObject(value) || typeof value === 'function'];
const TIME_LIMIT: Rule = ['a number of milliseconds above 0 (Infinity for no limit)', (value) => isNumber(value) && value > 0];
/** An `AbortSignal`, or anything with its `aborted` and `addEventListener` (a polyfill's). @internal */
export function isSignal(value: unknown): boolean {
  const signal = value as { aborted?: unknown; addEventListener?: unknown } | null;
  return typeof signal === 'object' && signal !== null && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function';
}
const SIGNAL: Rule = ['an AbortSignal', isSignal];

/** Every option of the config (`endpoint` is checked first, `hashLayout` where it is read), each with its rule. */
const ANY: Rule = ['anything', () => true];
const CONFIG: Record<string, Rule> = {
  endpoint: ANY, hashLayout: ANY,
  stypes: ['an array of SType strings', (value) => Array.isArray(value) && value.every((stype) => typeof stype === 'string')],
  qomProfile: ofType('string'), registryPath: ofType('string'), registry: OBJECT, query: PROVIDER, headers: PROVIDER, timeoutMs: TIME_LIMIT, autoValidate: BOOLEAN, autoHash: BOOLEAN,
  WebSocket: FUNCTION, fetch: FUNCTION, onError: FUNCTION, onReconnect: FUNCTION,
  maxQueued: count(0), maxBuffered: count(0), maxFrameBytes: count(1),
  reconnect: ['an object or a boolean', (value) => typeof value === 'boolean' || isObject(value)],
};
const RECONNECT: Record<string, Rule> = {
  enabled: BOOLEAN, shouldReconnect: FUNCTION, maxRetries: count(0), silentMs: TIME_LIMIT,
  minDelayMs: finite('a finite number of milliseconds ≥ 0', 0), maxDelayMs: finite('a finite number of milliseconds ≥ 0', 0),
  growFactor: finite('a finite number ≥ 1', 1),
};
const SEND: Record<string, Rule> = {
  timeoutMs: TIME_LIMIT, validate: BOOLEAN, computeHash: BOOLEAN, signal: SIGNAL,
  provenance: OBJECT, argsStype: ofType('string'), features: ['an array of strings', (value) => Array.isArray(value) && value.every((f) => typeof f === 'string')],
};

function checkConfig(config: SessionConfig): void {
  if (typeof config !== 'object' || config === null) badConfig('config', 'an object with at least an endpoint', config);
  // Names first: `{ url: … }` is a misspelt endpoint, and says so, rather than "no endpoint".
  checkOptions('Session', config, CONFIG, 'config.');
  if (typeof config.endpoint !== 'string' && typeof config.endpoint !== 'function') badConfig('config.endpoint', 'a URL string or a function giving one', config.endpoint);
  if (typeof config.endpoint === 'string') parseEndpoint(config.endpoint); // an ftp:// one was refused only by connect()
  config.stypes?.forEach((stype, i) => {
    try {
      SType.parse(stype);
    } catch (error) {
      badConfig(`config.stypes[${i}]`, `an SType (${(error as Error).message})`, stype);
    }
  });
  if (typeof config.reconnect === 'object') checkOptions('Session', config.reconnect, RECONNECT, 'config.reconnect.');
}

/** `send()`'s options, each as documented. @internal */
export function checkSendOptions(options: SendOptions): void {
  if (typeof options !== 'object' || options === null) badConfig('send() options', 'an object', options);
  checkOptions('Session', options, SEND, 'send() ');
}

/** The `signal` of `connect()` or `listen()` (`where`): an `AbortSignal`, or anything with its `aborted` and `addEventListener`. @internal */
export function checkSignal(signal: unknown, where: string): void {
  if (signal !== undefined && !SIGNAL[1](signal)) badConfig(`${where} signal`, SIGNAL[0], signal);
}
