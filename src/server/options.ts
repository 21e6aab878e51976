import { MplError, type AlpnSelect, type BuiltinQomProfileName, type HashLayout, type Registry } from './sdk.ts';

/**
 * Resource limits of an MPL server. Every field has a safe default; a frame or body over
 * `maxFrameBytes` closes the socket with 1009 (HTTP: 413), a session past `maxSessions`
 * is closed with 1013, and past `maxInFlight` unanswered frames, or `maxHellos`
 * handshakes, with 1008 (quiet for `helloTimeoutMs` with no handshake: 1001); a peer that does not read, with more than `maxBufferedBytes`
 * waiting to go to it, is cut off. HTTP requests past `maxConcurrentRequests` wait in a queue of
 * `maxQueuedRequests`; past that they are answered 503 `E-OVERLOADED` with `Retry-After`.
 *
 * @example
 * new MplServer({ limits: { maxFrameBytes: 64 * 1024, handlerTimeoutMs: 2_000 } });
 */
export interface ServerLimits {
  /** Largest WebSocket frame or HTTP body, in bytes. Default 1 MiB. */
  maxFrameBytes: number;
  /** Open WebSocket sessions at once. Default 1000. */
  maxSessions: number;
  /** Frames of one session read but not yet answered. Default 256. */
  maxInFlight: number;
  /** Handshakes one WebSocket session may make. Default 16. */
  maxHellos: number;
  /**
   * Time a WebSocket session may stay quiet before its AI-ALPN handshake: with no
   * handshake and no frame from the peer for this long (and none of its frames still being
   * answered) it is closed with 1001, as an idle connection. Before a handshake a session
   * can get nothing but answers, so a silent one only holds a `maxSessions` place; a
   * client that sends envelopes without a hello and waits longer than this between them
   * reconnects. `Infinity`: never. Default 30 000 ms. In a Durable Object no timer is set
   * (it would keep the object awake): such a session is closed when a newcomer needs its place.
   */
  helloTimeoutMs: number;
  /**
   * Node: how often each WebSocket peer is pinged. A peer that has answered neither the
   * last ping nor sent anything since is cut off: it went away without closing (a half-open
   * connection), and would hold its `maxSessions` place for good. Every WebSocket client
   * answers pings by itself, so a live but quiet peer stays. `Infinity`: never. Default
   * 30 000 ms. Deno (its `idleTimeout`, 30 s) and Bun (120 s) do this themselves; on
   * workerd the platform does.
   */
  pingIntervalMs: number;
  /**
   * Bytes of frames waiting to go to a WebSocket peer that does not read them (past what
   * the system's buffers hold); past it the connection is cut, rather than the server's
   * memory growing with every frame the peer sends. Default 16 MiB. Node and Deno (Bun:
   * its own `backpressureLimit`, 16 MB by default; workerd does not say).
   */
  maxBufferedBytes: number;
  /** Time a handler has to answer before the request gets `E-TIMEOUT`. Default 10 000 ms. */
  handlerTimeoutMs: number;
  /** Time an HTTP request has to deliver its whole body before it is answered 408 `E-TIMEOUT`. Default 10 000 ms. */
  bodyTimeoutMs: number;
  /**
   * HTTP requests answered at once; the next ones wait their turn. A POST's body is read
   * before its turn (unless the server has `routes`, which may stream bodies), so uploads
   * still arriving hold no turn. Default 64.
   */
  maxConcurrentRequests: number;
  /**
   * HTTP requests admitted beyond those in a turn: waiting for one, or their bodies still
   * arriving; one more is answered 503 `E-OVERLOADED`. The bodies read ahead of their turn
   * hold at most `maxConcurrentRequests × maxFrameBytes` in all (by their Content-Length;
   * past that a body waits for its turn to be read). Default 256.
   */
  maxQueuedRequests: number;
}

/**
 * The default limits.
 *
 * @example
 * new MplServer({ limits: { maxFrameBytes: DEFAULT_LIMITS.maxFrameBytes / 4 } });
 */
export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxFrameBytes: 1024 * 1024,
  maxSessions: 1000,
  maxInFlight: 256,
  maxHellos: 16,
  helloTimeoutMs: 30_000,
  pingIntervalMs: 30_000,
  maxBufferedBytes: 16 * 1024 * 1024,
  handlerTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  maxConcurrentRequests: 64,
  maxQueuedRequests: 256,
});

/**
 * The limits a server is given: any of them, each a number or `undefined` (the default).
 *
 * @example
 * const limits: GivenLimits = { maxSessions: 1000, handlerTimeoutMs: process.env.SLOW ? 60_000 : undefined };
 * new MplServer({ limits });
 */
export type GivenLimits = { [K in keyof ServerLimits]?: ServerLimits[K] | undefined };

/** The limits in force: the defaults, with the given ones; each must be a positive number. */
export function resolveLimits(given: GivenLimits = {}): ServerLimits {
  // A limit given as undefined keeps its default, as every other option does.
  const limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
  for (const [name, value] of Object.entries(limits)) {
    if (!Object.hasOwn(DEFAULT_LIMITS, name)) {
      throw new MplError('E-INVALID-ARGUMENT', `limits.${name} is no limit of the server (it has ${Object.keys(DEFAULT_LIMITS).join(', ')})`, { details: { limit: name, value } });
    }
    if (typeof value !== 'number' || !(value > 0)) {
      throw new MplError('E-INVALID-ARGUMENT', `limits.${name} must be a positive number, got ${JSON.stringify(value)}`, { details: { limit: name, value } });
    }
  }
  return limits;
}

/** The values each option that names a behaviour may take. */
const CHOICES: Record<string, readonly unknown[]> = {
  mode: ['strict', 'production', 'development'],
  replies: ['envelope', 'proxy'],
  qomReports: ['when-asked', 'always', 'never'],
  handshakeReplyType: ['ai-alpn-select', 'ai-alpn-response', 'ai-alpn-hello-ack'],
  onIncompatible: ['empty', 'error'],
  unknownFrames: ['error', 'passthrough'],
  binaryFrames: ['close', 'echo'],
  hashLayout: ['current', 'legacy', 'either'],
  schemaDetails: ['proxy', 'pointer'],
};
const STRINGS = ['requiredProfile', 'name', 'version'];
const FUNCTIONS = ['onInbound', 'onError', 'upstream', 'routes'];
const OTHERS = ['registry', 'stypes', 'extensions', 'cors', 'limits'];

/**
 * Checks a server's options when it is made, as the Session and the Client check theirs:
 * `E-INVALID-ARGUMENT` naming the option for a name the server does not know (a misspelt
 * `mode` would turn strict checking off without a word) or a value of the wrong kind.
 * `undefined` is the default everywhere.
 */
export function checkServerOptions(options: object): void {
  const refuse = (option: string, why: string, value: unknown): never => {
    throw new MplError('E-INVALID-ARGUMENT', `MplServer option ${option} ${why}`, { details: { option, value: describe(value) } });
  };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MplError('E-INVALID-ARGUMENT', `MplServer options must be an object, got ${describe(options)}`, { details: { option: 'options' } });
  }
  const known = [...Object.keys(CHOICES), ...STRINGS, ...FUNCTIONS, ...OTHERS];
  for (const [option, value] of Object.entries(options)) {
    if (!known.includes(option)) refuse(option, `is not one (the options are ${known.join(', ')})`, value);
    if (value === undefined) continue;
    const choices = CHOICES[option];
    if (choices && !choices.includes(value)) refuse(option, `must be ${choices.map((c) => JSON.stringify(c)).join(', ').replace(/, ([^,]*)$/, ' or $1')}, got ${describe(value)}`, value);
    if (STRINGS.includes(option) && typeof value !== 'string') refuse(option, `must be a string, got ${describe(value)}`, value);
    if (FUNCTIONS.includes(option) && typeof value !== 'function') refuse(option, `must be a function, got ${describe(value)}`, value);
  }
  const { stypes, extensions, cors, limits, registry } = options as ServerOptions;
  if (stypes !== undefined && (!Array.isArray(stypes) || stypes.some((s) => typeof s !== 'string'))) refuse('stypes', `must be an array of SType ids, got ${describe(stypes)}`, stypes);
  if (extensions !== undefined && (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions))) refuse('extensions', `must be an object, got ${describe(extensions)}`, extensions);
  if (cors !== undefined && typeof cors !== 'boolean' && (!Array.isArray(cors) || cors.some((o) => typeof o !== 'string'))) refuse('cors', `must be true, false or a list of origins, got ${describe(cors)}`, cors);
  if (limits !== undefined && (typeof limits !== 'object' || limits === null || Array.isArray(limits))) refuse('limits', `must be an object, got ${describe(limits)}`, limits);
  if (registry !== undefined && (typeof registry !== 'object' || registry === null || typeof (registry as { getSchema?: unknown }).getSchema !== 'function')) {
    refuse('registry', `must be a Registry (embeddedRegistry(), directoryRegistry(…), httpRegistry(…) or one of your own), got ${describe(registry)}`, registry);
  }
}

const describe = (value: unknown): string => (value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'an array' : typeof value);

/**
 * One message the server received, reported to `onInbound` after it was answered.
 *
 * @example
 * new MplServer({ onInbound: (m) => { if (!m.valid) console.warn(m.kind, m.errors); } });
 */
export interface InboundRecord {
  transport: 'ws' | 'http';
  /**
   * `error`: a WebSocket frame that is a peer's MPL error (any of the forms peers write);
   * `reply`: an envelope that answers one of the session's pushes. Neither gets an answer.
   */
  kind: 'hello' | 'envelope' | 'reply' | 'bare-json' | 'error' | 'text' | 'binary';
  /** The request path (HTTP) or the path the socket was opened on (WebSocket). */
  path: string;
  /** The message as it came: parsed JSON, the text, or the byte length of a binary frame. */
  wire: unknown;
  /** Passed every check that applies to its kind. */
  valid: boolean;
  /** The `sem_hash` matched the payload; `undefined` when none was sent. */
  hashOk: boolean | undefined;
  /** What failed, as the server reported it. */
  errors: string[];
  /** Refused (strict mode, or unreadable). */
  blocked: boolean;
}

/**
 * How an MPL server behaves. Every field is optional.
 *
 * @example
 * // Like the reference proxy in strict mode, answering with its id-less frames:
 * const server = new MplServer({ mode: 'strict', replies: 'proxy' });
 * // A web agent with open CORS and a QoM report on every reply:
 * const agent = new MplServer({ cors: true, qomReports: 'always', requiredProfile: 'qom-basic' });
 */
export interface ServerOptions {
  /** Where schemas and QoM profiles come from; default the SDK's embedded registry. */
  registry?: Registry | undefined;
  /** The STypes it serves; default every SType of the registry. */
  stypes?: readonly string[] | undefined;
  /**
   * `strict` blocks invalid envelopes and hash mismatches with the proxy's error shapes;
   * `development` (default, like the proxy's) hands them on and reports what failed.
   * `production` is the proxy's name for `strict`.
   */
  mode?: 'strict' | 'production' | 'development' | undefined;
  /**
   * `envelope` (default): a reply is an MPL envelope naming its request (`in_reply_to`),
   * hashed, with its profile. `proxy`: exactly the reference proxy's frames, id-less
   * `{"type":"mpl-response",…}` over WebSocket and the bare reply payload over HTTP.
   */
  replies?: 'envelope' | 'proxy' | undefined;
  /** `when-asked` (default): a `qom_report` when a profile applies to the request; `always`; `never`. */
  qomReports?: 'when-asked' | 'always' | 'never' | undefined;
  /** The profile selected when the client offers none the server knows; default none (`null`). */
  requiredProfile?: BuiltinQomProfileName | (string & {}) | undefined;
  /** The `type` of the handshake reply; default `ai-alpn-select`, as the proxy. */
  handshakeReplyType?: AlpnSelect['type'] | undefined;
  /** No common SType: `empty` (default, as the proxy) selects nothing; `error` answers `ai-alpn-error`. */
  onIncompatible?: 'empty' | 'error' | undefined;
  /** Extensions advertised in the handshake reply; default `{}`. */
  extensions?: Record<string, unknown> | undefined;
  /**
   * CORS for browsers on other origins: off by default, like the proxy. `true` allows any
   * origin; a list allows those origins. The `X-MPL-*` headers are exposed.
   */
  cors?: boolean | readonly string[] | undefined;
  /**
   * A WebSocket text frame that is neither a hello nor an envelope: `error` (default) answers
   * `E-INVALID-ENVELOPE`, except a peer's own MPL error, which is recorded (`onInbound`, kind
   * `error`) and not answered; `passthrough` answers every such frame
   * `{"type":"passthrough","message":…}` like the proxy.
   */
  unknownFrames?: 'error' | 'passthrough' | undefined;
  /** A binary frame: `close` (default) closes with 1003; `echo` sends it back like the proxy. */
  binaryFrames?: 'close' | 'echo' | undefined;
  /** The agent named in the provenance of replies and pushes; default `mpl-sdk-server`. */
  name?: string | undefined;
  /**
   * The layouts of the reference's canonical form a request's `sem_hash` may be in: `either`
   * (default; peers built before and after serde_json 1.0.147 are both honest) or one of them,
   * as one build of the proxy checks only its own.
   */
  hashLayout?: HashLayout | 'either' | undefined;
  /**
   * How a schema issue is written in an error's `details`: `proxy` (default), as the
   * reference proxy does, `Schema error at /start: …`; `pointer`, the bare `/start: …`
   * some peers (and SDK clients before they read the proxy's form) expect.
   */
  schemaDetails?: 'proxy' | 'pointer' | undefined;
  /** The `version` of `/health` and `/capabilities`; default the reference proxy's, `0.1.2`. */
  version?: string | undefined;
  /** Resource limits; each one defaults to {@link DEFAULT_LIMITS}. */
  limits?: GivenLimits | undefined;
  /** Every message received, once answered (for logs, audits and tests). */
  onInbound?: ((record: InboundRecord) => void) | undefined;
  /** A handler failure or a socket error; default `console.error`. Never sent to the peer. */
  onError?: ((error: unknown, context: { stype?: string; transport: 'ws' | 'http' }) => void) | undefined;
}
