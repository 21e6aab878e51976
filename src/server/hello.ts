import { SType, type AlpnError, type AlpnSelect } from './sdk.ts';

/** A hello the server could read, or why not (the proxy answers such a hello 422 over HTTP). */
export type HelloCheck =
  | { ok: true; stypes: string[]; profiles: string[] }
  | { ok: false; problem: string };

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** True for an object whose `type` is `ai-alpn-hello`. */
export function isHello(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ai-alpn-hello';
}

/** Reads a client hello as the proxy does: `type`, `version` and `stypes` are required. */
export function readHello(body: unknown): HelloCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: 'expected a JSON object' };
  const hello = body as Record<string, unknown>;
  for (const field of ['type', 'version', 'stypes']) {
    if (!(field in hello)) return { ok: false, problem: `missing field \`${field}\`` };
  }
  if (typeof hello['type'] !== 'string') return { ok: false, problem: 'invalid type: `type` must be a string' };
  if (typeof hello['version'] !== 'string') return { ok: false, problem: 'invalid type: `version` must be a string' };
  if (!isStringArray(hello['stypes'])) return { ok: false, problem: 'invalid type: `stypes` must be a sequence of strings' };
  const profiles = hello['qom_profiles'] ?? [];
  if (!isStringArray(profiles)) return { ok: false, problem: 'invalid type: `qom_profiles` must be a sequence of strings' };
  return { ok: true, stypes: hello['stypes'], profiles };
}

/** What the server negotiates with. */
export interface NegotiationPolicy {
  serverStypes: ReadonlySet<string>;
  knownProfiles: ReadonlySet<string>;
  requiredProfile: string | undefined;
  replyType: AlpnSelect['type'];
  onIncompatible: 'empty' | 'error';
  extensions: Record<string, unknown>;
}

/** The id of an SType as a peer spelled it (`urn:stype:` prefix and all); the text itself when it is no SType. */
export const stypeId = (stype: string): string => SType.tryParse(stype)?.id ?? stype;

/**
 * The proxy's rule: common STypes = the client's list filtered by what the server has
 * schemas for (in the client's spelling: `urn:stype:org.calendar.Event.v1` is served when
 * `org.calendar.Event.v1` is); profile = the first client profile it knows, else its
 * required one, else null.
 */
export function negotiate(hello: { stypes: string[]; profiles: string[] }, policy: NegotiationPolicy): AlpnSelect | AlpnError {
  const common = [...new Set(hello.stypes.filter((s) => policy.serverStypes.has(stypeId(s))))];
  if (common.length === 0 && hello.stypes.length > 0 && policy.onIncompatible === 'error') {
    return {
      type: 'ai-alpn-error',
      message: `No common SType: the client offered ${hello.stypes.slice(0, 16).map((s) => s.slice(0, 256)).join(', ')}`,
      reason: 'no-common-stypes',
      server_stypes: [...policy.serverStypes],
    };
  }
  const selected = hello.profiles.find((p) => policy.knownProfiles.has(p)) ?? policy.requiredProfile ?? null;
  return { type: policy.replyType, common_stypes: common, selected_profile: selected, extensions: policy.extensions };
}
