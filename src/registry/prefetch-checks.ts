// Starting, all at once, the loads that a checked send waits for.
import { loadHasher } from '../hashing/semantic-hasher.ts';
import { embeddedRegistry, prefetchEmbeddedRegistry } from './embedded.ts';
import { loadEngine } from './load-engine.ts';
import type { Registry } from './registry.ts';

const ignore = (): void => {};

/**
 * Starts loading, all at once, what a checked send waits for: the schema engine and, when
 * `registry` (the one it validates against) is the embedded one, that registry's chunk
 * (when it validates); the hasher (when it hashes). Loaded by the send itself, one after
 * another, each is one more round trip before the message leaves, which a page on a slow
 * network feels. A load that fails here is not reported: the check that needs it loads it
 * again, and fails with its error then.
 * @internal
 */
export function prefetchChecks(validate: boolean, hash: boolean, registry: Registry | undefined): void {
  if (hash) loadHasher().catch(ignore);
  if (!validate) return;
  loadEngine().catch(ignore);
  if (registry === embeddedRegistry()) prefetchEmbeddedRegistry().catch(ignore);
}
