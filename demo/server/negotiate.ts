import type { AlpnError, AlpnSelect } from 'mpl-sdk';

/** A hello the server could read, or why it could not (the proxy answers 422 over HTTP). */
type HelloCheck =
  | { ok: true; stypes: string[]; profiles: string[] }
  | { ok: false; problem: string };

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Reads a client hello the way the proxy does: `type`, `version` and `stypes` are required. */
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

export interface NegotiationPolicy {
  serverStypes: readonly string[];
  knownProfiles: readonly string[];
  requiredProfile: string | undefined;
  replyType: AlpnSelect['type'];
  onIncompatible: 'empty' | 'error';
  extensions: Record<string, unknown>;
}

/**
 * The proxy's rule: common STypes = the client's list filtered by what the server has
 * schemas for; profile = the first client profile it knows, else its required one, else null.
 */
export function negotiate(hello: { stypes: string[]; profiles: string[] }, policy: NegotiationPolicy): AlpnSelect | AlpnError {
  const server = new Set(policy.serverStypes);
  const common = hello.stypes.filter((s) => server.has(s));
  if (common.length === 0 && hello.stypes.length > 0 && policy.onIncompatible === 'error') {
    return {
      type: 'ai-alpn-error',
      message: `No common SType: the client offered ${hello.stypes.join(', ')}`,
      reason: 'no-common-stypes',
      server_stypes: [...policy.serverStypes],
    };
  }
  const selected = hello.profiles.find((p) => policy.knownProfiles.includes(p)) ?? policy.requiredProfile ?? null;
  return { type: policy.replyType, common_stypes: common, selected_profile: selected, extensions: policy.extensions };
}
