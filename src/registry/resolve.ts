import { directoryRegistry } from './directory.ts';
import { embeddedRegistry } from './embedded.ts';
import { httpRegistry } from './http.ts';
import type { Registry } from './registry.ts';
import { hasFileSystem } from '../platform/runtime.ts';

/**
 * What {@link resolveRegistry} chooses from: a session's `registry` and `registryPath` options.
 *
 * @example
 * const options: ResolveRegistryOptions = { registryPath: './registry' };
 * const registry = resolveRegistry(options);
 */
export interface ResolveRegistryOptions {
  /** A folder (server-side runtimes), a path relative to the page (browsers) or an http(s) URL. */
  registryPath?: string;
  /** A ready registry; wins over `registryPath`. */
  registry?: Registry;
}

/**
 * Picks the registry a session uses: the `registry` object if given; else from
 * `registryPath`, an `http(s)` URL → {@link httpRegistry}, another string → a
 * {@link directoryRegistry} on Node, Deno and Bun, or a URL relative to the page in a
 * browser; else the {@link embeddedRegistry}.
 *
 * @example
 * resolveRegistry({});                                          // embedded
 * resolveRegistry({ registryPath: './registry' });              // a folder (Node) or ./registry/ of the page (browser)
 * resolveRegistry({ registryPath: 'https://cdn.example.com/registry/' }); // HTTP
 */
export function resolveRegistry(options: ResolveRegistryOptions = {}): Registry {
  if (options.registry) return options.registry;
  const path = options.registryPath;
  if (path === undefined || path === '') return embeddedRegistry();
  if (/^https?:\/\//i.test(path)) return httpRegistry(path);
  return hasFileSystem() ? directoryRegistry(path) : httpRegistry(path);
}
