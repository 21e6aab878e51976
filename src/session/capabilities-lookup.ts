// The `GET /capabilities` lookup of src/session/server-stypes.ts, loaded only when a handshake
// fails for lack of common STypes. One request, never retried: `fetch` itself, not ky.
import { requestSignal, type RequestSignal } from '../platform/request-signal.ts';
import { fetchOf } from '../platform/fetch-failure.ts';
import type { ServerStypesLookup } from './server-stypes.ts';

/** The most the `/capabilities` lookup may take. */
const CAPABILITIES_LOOKUP_MS = 2000;

/** The `stypes` array of `GET <origin>/capabilities`, or why it cannot be had. */
export async function fetchServerStypes({ endpoint, timeoutMs, headers, fetch, signal }: ServerStypesLookup): Promise<{ stypes?: string[]; problem?: string }> {
  const limit = Math.max(1, Math.min(CAPABILITIES_LOOKUP_MS, timeoutMs));
  let request: RequestSignal | undefined;
  try {
    request = requestSignal(signal, limit, () => new Error(`no answer within ${limit} ms`));
    const url = new URL('/capabilities', endpoint);
    if (url.protocol === 'ws:') url.protocol = 'http:';
    if (url.protocol === 'wss:') url.protocol = 'https:';
    const given = typeof headers === 'function' ? await request.race(headers()) : headers;
    const asked = new Headers(given);
    if (!asked.has('accept')) asked.set('accept', 'application/json');
    // Called as a plain function: a page's `window.fetch` refuses another `this`.
    const fetchImpl = fetchOf(fetch);
    const response = await request.race(fetchImpl(url, { headers: asked, redirect: 'error', signal: request.signal }));
    if (!response.ok) {
      // Its body is not read: cancelled, so that its connection does not stay open for a body that may never end.
      response.body?.cancel().catch(() => {});
      return { problem: `GET ${url.href} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
    }
    const body: unknown = await request.race(response.json());
    const stypes = (body as { stypes?: unknown } | null)?.stypes;
    if (Array.isArray(stypes) && stypes.every((s) => typeof s === 'string')) return { stypes };
    return { problem: 'the answer has no `stypes` array of strings' };
  } catch (cause) {
    // The lookup is a courtesy: the NegotiationError stands with or without it; details say why.
    const reason = request?.timedOut ? request.signal.reason : cause;
    return { problem: reason instanceof Error ? reason.message : String(reason) };
  } finally {
    request?.done();
  }
}
