// The `GET /capabilities` lookup of src/session/server-stypes.ts, loaded only when a handshake
// fails for lack of common STypes (with ky, which it uses).
import { loadKy } from '../platform/ky.ts';
import type { ServerStypesLookup } from './server-stypes.ts';

/** The most the `/capabilities` lookup may take. */
const CAPABILITIES_LOOKUP_MS = 2000;

/** The `stypes` array of `GET <origin>/capabilities`, or why it cannot be had. */
export async function fetchServerStypes({ endpoint, timeoutMs, headers, fetch, signal }: ServerStypesLookup): Promise<{ stypes?: string[]; problem?: string }> {
  try {
    const url = new URL('/capabilities', endpoint);
    if (url.protocol === 'ws:') url.protocol = 'http:';
    if (url.protocol === 'wss:') url.protocol = 'https:';
    const { default: ky } = await loadKy();
    const body: unknown = await ky.get(url, {
      timeout: Math.max(1, Math.min(CAPABILITIES_LOOKUP_MS, timeoutMs)),
      retry: 0,
      redirect: 'error',
      ...(headers === undefined ? {} : { headers }),
      ...(fetch === undefined ? {} : { fetch }),
      ...(signal === undefined ? {} : { signal }),
    }).json();
    const stypes = (body as { stypes?: unknown } | null)?.stypes;
    if (Array.isArray(stypes) && stypes.every((s) => typeof s === 'string')) return { stypes };
    return { problem: 'the answer has no `stypes` array of strings' };
  } catch (cause) {
    // The lookup is a courtesy: the NegotiationError stands with or without it; details say why.
    return { problem: cause instanceof Error ? cause.message : String(cause) };
  }
}
