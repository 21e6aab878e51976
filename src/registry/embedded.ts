import { onDemand } from '../platform/on-demand.ts';
import { lazyRegistry } from './lazy.ts';
import type { Registry } from './registry.ts';

// The data and the code that reads it are a chunk of their own, loaded on first use:
// sessions with another registry never load them.
const loadEmbedded = /* @__PURE__ */ onDemand('embedded registry', () => import('./embedded-registry.ts'));
const EMBEDDED: Registry = /* @__PURE__ */ Object.freeze(lazyRegistry('the embedded registry', async () => (await loadEmbedded()).EMBEDDED_REGISTRY));

/**
 * The schemas and QoM profiles of this package's `registry/` folder, built into the
 * package: validation with no file system and no network, in every runtime. The default
 * registry of a session. The embedded copies leave out annotations (`title`,
 * `description`) to stay small; {@link directoryRegistry} and {@link httpRegistry} serve
 * the documented originals.
 *
 * @example
 * const registry = embeddedRegistry();
 * await registry.list(); // ['ai.completion.Request.v1', …, 'org.calendar.Event.v1', …]
 * await registry.getProfile('qom-basic'); // { name: 'qom-basic', metrics: {…}, … }
 */
export function embeddedRegistry(): Registry {
  return EMBEDDED;
}

/** Starts loading the embedded registry's chunk (see `prefetchChecks`); a failed load is tried again on the next read. @internal */
export const prefetchEmbeddedRegistry = (): Promise<unknown> => loadEmbedded();
