import type { Registry } from './registry.ts';

/**
 * A registry whose implementation loads on first use, as a chunk of its own: a page that
 * never reads a registry from a folder or a URL never downloads that code. A failed load
 * is tried again on the next call.
 */
export function lazyRegistry(source: string, load: () => Promise<Registry>): Registry {
  let loading: Promise<Registry> | undefined;
  const registry = (): Promise<Registry> => (loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
  return {
    source,
    getSchema: async (stype) => (await registry()).getSchema(stype),
    has: async (stype) => (await registry()).has(stype),
    list: async () => (await registry()).list(),
    getProfile: async (name) => (await registry()).getProfile(name),
  };
}
