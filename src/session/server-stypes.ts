import { NegotiationError } from '../errors/negotiation-error.ts';
import { onDemand } from '../platform/on-demand.ts';
import { misspelt } from './negotiate.ts';

/** How to ask a server which STypes it has. */
export interface ServerStypesLookup {
  /** The session's endpoint (ws, wss, http or https); only its origin is used. */
  endpoint: string;
  /** The session's `timeoutMs`; the lookup, its headers included, takes at most `min(2000, timeoutMs)`. */
  timeoutMs: number;
  /** The request's headers, or what gives them (the session's `headers` provider: a token fetch that may hang). */
  headers?: Record<string, string> | (() => Promise<Record<string, string> | undefined>) | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  signal?: AbortSignal | undefined;
}

/** The `/capabilities` lookup's code, loaded only when a handshake finds no common STypes. */
const loadLookup = /* @__PURE__ */ onDemand('/capabilities lookup', () => import('./capabilities-lookup.ts'));

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
  const found: { stypes?: string[]; problem?: string } = await loadLookup().then(({ fetchServerStypes }) => fetchServerStypes(lookup), (failure: Error) => ({ problem: failure.message }));
  const { reason, clientStypes } = error;
  const serverStypes = found.stypes ?? [];
  return new NegotiationError({ reason: reason + misspelt(clientStypes, serverStypes), clientStypes, serverStypes }, {
    ...(error.cause === undefined ? {} : { cause: error.cause }),
    details: { ...error.details, capabilitiesLookup: found.stypes ? 'ok' : `failed: ${found.problem}` },
  });
}
