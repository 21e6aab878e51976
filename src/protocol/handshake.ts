import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';

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
 * The server's acceptance. Peers name it `ai-alpn-select`, `ai-alpn-response` or `ai-alpn-hello-ack`.
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
 * The server's refusal.
 *
 * @example
 * const refusal: AlpnError = { type: 'ai-alpn-error', reason: 'incompatible', server_stypes: ['org.agent.Heartbeat.v1'] };
 */
export interface AlpnError {
  type: 'ai-alpn-error';
  message?: string;
  reason?: string;
  server_stypes?: string[];
}

/**
 * What both sides agreed on.
 *
 * @example
 * const caps: NegotiatedCapabilities = await session.connect();
 * if (caps.commonStypes.includes('org.calendar.Event.v1')) console.log('calendar events supported, profile', caps.selectedProfile);
 */
export interface NegotiatedCapabilities {
  /** STypes both sides support; only these can be sent. */
  commonStypes: string[];
  /** The QoM profile agreed on, or `null` if none. */
  selectedProfile: string | null;
  /** Anything else the server advertised (batching, streaming…). */
  serverExtensions: Record<string, unknown>;
}

/** The reply types that mean "accepted". */
export const SELECT_TYPES: ReadonlySet<string> = new Set(['ai-alpn-select', 'ai-alpn-response', 'ai-alpn-hello-ack']);

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
 * True when `value` looks like any AI-ALPN message (`type` starting with `ai-alpn-`).
 *
 * @example
 * isHandshakeMessage({ type: 'ai-alpn-select', common_stypes: [] }); // true
 * isHandshakeMessage({ type: 'mpl-response' });                     // false
 */
export function isHandshakeMessage(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
    && (value as { type: string }).type.startsWith('ai-alpn-');
}

const stringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Reads a server's handshake reply. Returns the negotiated capabilities for any of the
 * three accepting variants, `{ error }` for `ai-alpn-error`; throws `E-INVALID-ENVELOPE`
 * for anything that is not a handshake reply.
 *
 * @example
 * const reply = readHandshakeReply(JSON.parse(frame));
 * if (reply.ok) console.log(reply.capabilities.commonStypes); else console.log(reply.error.reason);
 */
export function readHandshakeReply(value: unknown): { ok: true; capabilities: NegotiatedCapabilities } | { ok: false; error: AlpnError } {
  if (!isHandshakeMessage(value)) {
    throw new MplError(ErrorCode.InvalidEnvelope, 'Expected an AI-ALPN reply (ai-alpn-select), got something else', { details: { received: value } });
  }
  if (value.type === 'ai-alpn-error') {
    const e = value as Record<string, unknown>;
    const error: AlpnError = { type: 'ai-alpn-error' };
    if (typeof e['message'] === 'string') error.message = e['message'];
    if (typeof e['reason'] === 'string') error.reason = e['reason'];
    if (stringArray(e['server_stypes'])) error.server_stypes = e['server_stypes'];
    return { ok: false, error };
  }
  if (!SELECT_TYPES.has(value.type)) {
    throw new MplError(ErrorCode.InvalidEnvelope, `Unexpected AI-ALPN message type ${JSON.stringify(value.type)}`, { details: { received: value } });
  }
  const r = value as Record<string, unknown>;
  const common = r['common_stypes'] ?? [];
  const profile = r['selected_profile'] ?? null;
  const ext = r['extensions'] ?? {};
  if (!stringArray(common)) throw new MplError(ErrorCode.InvalidEnvelope, 'AI-ALPN reply: common_stypes must be an array of strings', { details: { received: value } });
  if (profile !== null && typeof profile !== 'string') throw new MplError(ErrorCode.InvalidEnvelope, 'AI-ALPN reply: selected_profile must be a string or null', { details: { received: value } });
  if (typeof ext !== 'object' || ext === null || Array.isArray(ext)) throw new MplError(ErrorCode.InvalidEnvelope, 'AI-ALPN reply: extensions must be an object', { details: { received: value } });
  return { ok: true, capabilities: { commonStypes: common, selectedProfile: profile, serverExtensions: ext as Record<string, unknown> } };
}
