import { NegotiationError } from '../errors/negotiation-error.ts';
import { onDemand } from '../platform/on-demand.ts';
import { idOf } from './negotiate.ts';

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
 * The "did you mean" of misspelt names, loaded only when an error can use it (a refused
 * handshake, a send of an SType not negotiated). @internal
 */
export const loadNearMatch = /* @__PURE__ */ onDemand('"did you mean" hints', () => import('../platform/near-match.ts'));

/**
 * A refused handshake, completed: when it failed for lack of common STypes and the server
 * did not list its own (a proxy-style select carries no `server_stypes`: its empty
 * `common_stypes` is how it says "incompatible"), asks `GET <origin>/capabilities` for them
 * and fills `serverStypes`; then, with the server's STypes known, says which of them an
 * offered one is a slip of the keyboard away from (`did you mean …?`). Any failure of either
 * leaves the error as it is.
 *
 * @example
 * throw await withServerStypes(error, { endpoint: 'ws://127.0.0.1:8080/ws', timeoutMs: 30000 });
 */
export async function withServerStypes(error: NegotiationError, lookup: ServerStypesLookup): Promise<NegotiationError> {
  let { serverStypes, details } = error;
  if (serverStypes.length === 0 && details?.['noCommonStypes'] === true) {
    const found: { stypes?: string[]; problem?: string } = await loadLookup().then(({ fetchServerStypes }) => fetchServerStypes(lookup), (failure: Error) => ({ problem: failure.message }));
    serverStypes = found.stypes ?? [];
    details = { ...details, capabilitiesLookup: found.stypes ? 'ok' : `failed: ${found.problem}` };
  }
  const { clientStypes } = error;
  const hint = serverStypes.length === 0 ? '' : await loadNearMatch().then(({ didYouMean }) => didYouMean(clientStypes.map(idOf), serverStypes.map(idOf)), () => '');
  if (details === error.details && hint === '') return error;
  // The hint belongs to the reason when the reason is the missing STypes; after the server's own words otherwise.
  const reason = details?.['noCommonStypes'] === true ? error.reason + hint : error.reason;
  return new NegotiationError({ reason, clientStypes, serverStypes, message: error.message + hint }, {
    ...(error.cause === undefined ? {} : { cause: error.cause }),
    ...(details === undefined ? {} : { details }),
  });
}
