import { NegotiationError } from '../errors/negotiation-error.ts';
import { loadKy } from '../platform/ky.ts';

/** How to ask a server which STypes it has. */
export interface ServerStypesLookup {
  /** The session's endpoint (ws, wss, http or https); only its origin is used. */
  endpoint: string;
  /** The session's `timeoutMs`; the lookup takes at most `min(2000, timeoutMs)`. */
  timeoutMs: number;
  headers?: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  signal?: AbortSignal | undefined;
}

/** The most the `/capabilities` lookup may take. */
const CAPABILITIES_LOOKUP_MS = 2000;

/**
 * When a handshake failed for lack of common STypes and the server did not list its own (a
 * proxy-style select carries no `server_stypes`: its empty `common_stypes` is how it says
 * "incompatible"), asks `GET <origin>/capabilities` for them and returns the error with
 * `serverStypes` filled. Any failure of that lookup returns the error unchanged.
 *
 * @example
 * throw await withServerStypes(error, { endpoint: 'ws://127.0.0.1:8080/ws', timeoutMs: 30000 });
 */
export async function withServerStypes(error: NegotiationError, lookup: ServerStypesLookup): Promise<NegotiationError> {
  if (error.serverStypes.length > 0 || error.details?.['noCommonStypes'] !== true) return error;
  const found = await fetchServerStypes(lookup);
  const { reason, clientStypes } = error;
  return new NegotiationError({ reason, clientStypes, serverStypes: found.stypes ?? [] }, {
    ...(error.cause === undefined ? {} : { cause: error.cause }),
    details: { ...error.details, capabilitiesLookup: found.stypes ? 'ok' : `failed: ${found.problem}` },
  });
}

/** The `stypes` array of `GET <origin>/capabilities`, or why it cannot be had. */
async function fetchServerStypes({ endpoint, timeoutMs, headers, fetch, signal }: ServerStypesLookup): Promise<{ stypes?: string[]; problem?: string }> {
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
