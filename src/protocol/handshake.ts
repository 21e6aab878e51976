import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { isJsonObject, stringOrUndefined as str } from './json.ts';
import { wireErrorParts } from './peer-error.ts';

/**
 * The AI-ALPN protocol version this SDK speaks.
 *
 * @example
 * createHello({ stypes: [] }).version === ALPN_VERSION; // '1.0'
 */
export const ALPN_VERSION = '1.0';

/**
 * The client's opening message: the same object over HTTP (POST body) and WebSocket (first frame).
 *
 * @example
 * const hello: AlpnHello = { type: 'ai-alpn-hello', version: '1.0', stypes: ['org.calendar.Event.v1'], qom_profiles: ['qom-basic'] };
 */
export interface AlpnHello {
  type: 'ai-alpn-hello';
  version: string;
  /** Always present, possibly empty: the reference proxy refuses a hello without it. */
  stypes: string[];
  qom_profiles?: string[];
  [extension: string]: unknown;
}

/**
 * The server's acceptance, as the reference proxy writes it. Other peers name it
 * `ai-alpn-response`, `ai-alpn-hello-ack` or `server_select`, or send no `type`, and put
 * the same information under other names; {@link readHandshakeReply} reads them all.
 *
 * @example
 * const select: AlpnSelect = { type: 'ai-alpn-select', common_stypes: ['org.calendar.Event.v1'], selected_profile: 'qom-basic', extensions: {} };
 */
export interface AlpnSelect {
  type: 'ai-alpn-select' | 'ai-alpn-response' | 'ai-alpn-hello-ack';
  common_stypes: string[];
  selected_profile: string | null;
  extensions?: Record<string, unknown>;
}

/**
 * The server's refusal, as `readHandshakeReply` hands it back whatever form it came in
 * (`ai-alpn-error`, a select with `success: false`, an `E-NEGOTIATION-FAILED` or
 * `E-HANDSHAKE-FAILED` error body, an HTTP 422).
 *
 * @example
 * const refusal: AlpnError = { type: 'ai-alpn-error', reason: 'incompatible', server_stypes: ['org.agent.Heartbeat.v1'] };
 */
export interface AlpnError {
  type: 'ai-alpn-error';
  message?: string;
  reason?: string;
  server_stypes?: string[];
  client_stypes?: string[];
  /** The error code the server gave (`E-NEGOTIATION-FAILED`…), when it gave one. */
  code?: string;
}

/**
 * Something the server dropped or changed from the client's offer, and why.
 *
 * @example
 * for (const d of caps.downgrades ?? []) console.warn(`${d.what ?? 'capability'} ${String(d.requested ?? '')}: ${d.reason}`);
 */
export interface Downgrade {
  /** Why the server downgraded it. */
  reason: string;
  /** What was downgraded: the server's `field`, `capability` or `category` (`stypes`, `ext.provenance.signatures@v1`…). */
  what?: string;
  /** What the client had asked for, when the server said. */
  requested?: unknown;
  /** `warning`, `error`…, when the server said. */
  severity?: string;
  /** The downgrade as the server sent it. */
  raw: Record<string, unknown>;
}

/**
 * A tool the server offers. Peers list tools as names or as `{"id","available"}` objects;
 * both read into this.
 *
 * @example
 * const usable = (caps.tools ?? []).filter((t) => t.available !== false).map((t) => t.id);
 */
export interface ServerTool {
  id: string;
  available?: boolean;
  [extra: string]: unknown;
}

/**
 * What both sides agreed on, and what else the server said in its answer.
 *
 * @example
 * const caps: NegotiatedCapabilities = await session.connect();
 * if (caps.commonStypes.includes('org.calendar.Event.v1')) console.log('calendar events supported, profile', caps.selectedProfile);
 * for (const d of caps.downgrades ?? []) console.warn('server dropped', d.requested, 'because', d.reason);
 */
export interface NegotiatedCapabilities {
  /** STypes both sides support; only these can be sent. Never an SType the client did not offer. */
  commonStypes: string[];
  /** The QoM profile agreed on, or `null` if none. */
  selectedProfile: string | null;
  /** Anything else the server advertised (`extensions`, or `features`; a list of names reads as `{name: true}`). */
  serverExtensions: Record<string, unknown>;
  /** What the server dropped from the offer, with its reasons. */
  downgrades?: Downgrade[];
  /** The session id the server assigned. */
  sessionId?: string;
  /** The server's `server_info` (`{name, version}`), or `{id}` from its `server_id`. */
  serverInfo?: { name?: string; version?: string; id?: string; [extra: string]: unknown };
  /** Tools the server offers. */
  tools?: ServerTool[];
  /** The protocol the server selected (`mcp`, `mcp/1.1`, `mcp-v1`…). */
  protocol?: string;
  /** The MPL version the server speaks (`0.1`, `1.0`…). */
  mplVersion?: string;
  /** Policies the server applies, as it listed them. */
  policies?: unknown[];
}

/** The reply types that mean "accepted". */
export const SELECT_TYPES: ReadonlySet<string> = new Set(['ai-alpn-select', 'ai-alpn-response', 'ai-alpn-hello-ack', 'server_select']);

/**
 * Builds the hello frame.
 *
 * @example
 * socket.send(JSON.stringify(createHello({ stypes: ['org.calendar.Event.v1'], qomProfiles: ['qom-basic'] })));
 */
export function createHello(offer: { stypes: readonly string[]; qomProfiles?: readonly string[] }): AlpnHello {
  const hello: AlpnHello = { type: 'ai-alpn-hello', version: ALPN_VERSION, stypes: [...offer.stypes] };
  if (offer.qomProfiles && offer.qomProfiles.length) hello.qom_profiles = [...offer.qomProfiles];
  return hello;
}

/**
 * True when `value` looks like any AI-ALPN message (`type` starting with `ai-alpn-`, or `server_select`).
 *
 * @example
 * isHandshakeMessage({ type: 'ai-alpn-select', common_stypes: [] }); // true
 * isHandshakeMessage({ type: 'mpl-response' });                     // false
 */
export function isHandshakeMessage(value: unknown): value is { type: string } {
  return isJsonObject(value) && typeof value['type'] === 'string' && (value['type'].startsWith('ai-alpn-') || value['type'] === 'server_select');
}

type Obj = Record<string, unknown>;
const stringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const first = (...values: unknown[]): unknown => values.find((v) => v !== undefined);
const invalidReply = (problem: string, value: unknown): MplError => new MplError(ErrorCode.InvalidEnvelope, `AI-ALPN reply: ${problem}`, { details: { received: value } });

/** The members under which an acceptance carries its STypes. */
const ACCEPT_MEMBERS = ['common_stypes', 'selected', 'selected_stypes', 'stypes'];

/** A refusal in any of its forms, read into an `AlpnError`; `undefined` when `r` is no refusal. */
function refusalOf(r: Obj): AlpnError | undefined {
  const error = wireErrorParts(r);
  const isRefusal = r['type'] === 'ai-alpn-error' || r['success'] === false || error !== undefined;
  if (!isRefusal) return undefined;
  const code = error?.code;
  const body = isJsonObject(r['error']) ? { ...r, ...r['error'] } : r;
  const details = isJsonObject(body['details']) ? body['details'] : {};
  const refusal: AlpnError = { type: 'ai-alpn-error' };
  const message = str(body['message']) ?? (typeof r['error'] === 'string' && code === undefined ? r['error'] : undefined);
  const reason = str(details['reason']) ?? str(body['reason']);
  const serverStypes = first(details['server_stypes'], body['server_stypes']);
  const clientStypes = first(details['client_stypes'], body['client_stypes']);
  if (message !== undefined) refusal.message = message;
  if (reason !== undefined) refusal.reason = reason;
  if (typeof code === 'string') refusal.code = code;
  if (stringArray(serverStypes)) refusal.server_stypes = serverStypes;
  if (stringArray(clientStypes)) refusal.client_stypes = clientStypes;
  return refusal;
}

function downgradesOf(value: unknown): Downgrade[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(isJsonObject).map((raw) => {
    const d: Downgrade = { reason: str(raw['reason']) ?? 'no reason given', raw };
    const what = str(raw['field']) ?? str(raw['capability']) ?? str(raw['category']);
    if (what !== undefined) d.what = what;
    if (raw['requested'] !== undefined) d.requested = raw['requested'];
    if (typeof raw['severity'] === 'string') d.severity = raw['severity'];
    return d;
  });
}

function toolsOf(value: unknown): ServerTool[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((t): ServerTool[] => {
    if (typeof t === 'string') return [{ id: t }];
    if (isJsonObject(t) && typeof (t['id'] ?? t['name']) === 'string') return [{ ...t, id: String(t['id'] ?? t['name']) }];
    return [];
  });
}

function extensionsOf(value: unknown): Record<string, unknown> | undefined {
  if (isJsonObject(value)) return value;
  if (stringArray(value)) return Object.fromEntries(value.map((name) => [name, true]));
  return undefined;
}

/** An acceptance in any of its forms, read into capabilities (the STypes as the server listed them). */
function acceptanceOf(r: Obj): NegotiatedCapabilities {
  const selected = isJsonObject(r['selected']) ? r['selected'] : {};
  const stypes = first(r['common_stypes'], selected['stypes'], r['selected_stypes'], r['stypes']) ?? [];
  if (!stringArray(stypes)) throw invalidReply('the common STypes must be an array of strings', r);
  const profile = first(r['selected_profile'], r['qom_profile'], r['profile'], selected['profile'], selected['qom_profile']) ?? null;
  if (profile !== null && typeof profile !== 'string') throw invalidReply('the selected profile must be a string or null', r);
  const rawExtensions = first(r['extensions'], r['features'], selected['extensions'], selected['features']);
  const extensions = rawExtensions === undefined ? {} : extensionsOf(rawExtensions);
  if (extensions === undefined) throw invalidReply('extensions must be an object (or features a list of names)', r);
  const caps: NegotiatedCapabilities = { commonStypes: stypes, selectedProfile: profile, serverExtensions: extensions };
  const downgrades = downgradesOf(r['downgrades']);
  if (downgrades !== undefined) caps.downgrades = downgrades;
  const sessionId = str(r['session_id']);
  if (sessionId !== undefined) caps.sessionId = sessionId;
  const info = isJsonObject(r['server_info']) ? { ...r['server_info'] } : undefined;
  const serverId = str(r['server_id']);
  if (info !== undefined || serverId !== undefined) caps.serverInfo = { ...info, ...(serverId === undefined ? {} : { id: serverId }) };
  const tools = toolsOf(first(selected['tools'], r['tools']));
  if (tools !== undefined) caps.tools = tools;
  const protocol = str(first(selected['protocol'], r['protocol']));
  if (protocol !== undefined) caps.protocol = protocol;
  const mplVersion = str(first(selected['mpl_version'], r['mpl_version']));
  if (mplVersion !== undefined) caps.mplVersion = mplVersion;
  const policies = first(selected['policies'], r['policies']);
  if (Array.isArray(policies)) caps.policies = policies;
  return caps;
}

/**
 * Reads a server's handshake reply in any form MPL peers use. Accepting: `type`
 * `ai-alpn-select`, `ai-alpn-response`, `ai-alpn-hello-ack`, `server_select` or none;
 * common STypes under `common_stypes`, `stypes`, `selected.stypes` or `selected_stypes`;
 * the profile under `selected_profile`, `qom_profile`, `profile` or `selected.profile`;
 * extensions under `extensions` or `features`; and downgrades, session id, server info,
 * tools, protocol. Refusing: `ai-alpn-error`, `success: false`, or an MPL error body
 * (`E-NEGOTIATION-FAILED`, `E-HANDSHAKE-FAILED`…), returned as `{ ok: false, error }`.
 * Throws `E-INVALID-ENVELOPE` for anything that is not a handshake reply. The STypes are
 * the server's list; `Session` keeps only those the client offered.
 *
 * @example
 * const reply = readHandshakeReply(JSON.parse(frame));
 * if (reply.ok) console.log(reply.capabilities.commonStypes); else console.log(reply.error.reason);
 */
export function readHandshakeReply(value: unknown): { ok: true; capabilities: NegotiatedCapabilities } | { ok: false; error: AlpnError } {
  if (!isJsonObject(value)) throw invalidReply(`expected an object (ai-alpn-select), got ${JSON.stringify(value)?.slice(0, 100)}`, value);
  const refusal = refusalOf(value);
  if (refusal) return { ok: false, error: refusal };
  const type = value['type'];
  if (type !== undefined && !SELECT_TYPES.has(type as string)) {
    throw new MplError(ErrorCode.InvalidEnvelope, `Unexpected AI-ALPN message type ${JSON.stringify(type)}`, { details: { received: value } });
  }
  if (type === undefined && value['success'] !== true && !ACCEPT_MEMBERS.some((k) => k in value)) {
    throw invalidReply('expected an AI-ALPN reply (ai-alpn-select), got something else', value);
  }
  return { ok: true, capabilities: acceptanceOf(value) };
}
