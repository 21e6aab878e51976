import type { KyInstance, Options } from 'ky';
import { onDemand, onDemandOne } from './on-demand.ts';

/**
 * ky, loaded on first use by a request that retries (the Client's GETs, its POSTs with
 * `retry.post`, the URL registry); a request tried once (an HTTP session's, the Client's
 * other POSTs, the `/capabilities` lookup) goes straight to `fetch`. It becomes a chunk of
 * its own, so a page that makes no request that retries never downloads it. A failed load
 * is an `E-MODULE-LOAD`.
 */
export const loadKy = /* @__PURE__ */ onDemand('HTTP client (ky)', () => import('./ky-module.ts'));

/** A ky instance with `defaults`, created when first asked for (loading ky then). */
export function lazyKy(defaults: Options): () => Promise<KyInstance> {
  return onDemandOne(loadKy, ({ default: ky }) => ky.create(defaults));
}
