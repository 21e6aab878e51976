import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { lazyRegistry } from './lazy.ts';
import type { Registry } from './registry.ts';
import { onDemand } from '../platform/on-demand.ts';

const loadDirectoryRegistry = /* @__PURE__ */ onDemand('folder registry', () => import('./directory-registry.ts'));

/**
 * A registry folder on disk (`stypes/…/schema.json`, `profiles/<name>.json`), read on
 * Node, Deno and Bun. Its code and the Node built-ins load when it is first used. Paths come
 * only from strictly parsed STypes, and a file that resolves (through `..` or a symlink)
 * outside the folder is refused with `E-REGISTRY`; `list()` walks regular files and
 * folders only, never symlinks.
 *
 * @example
 * const registry = directoryRegistry('./registry');
 * const schema = await registry.getSchema('org.calendar.Event.v1');
 */
export function directoryRegistry(path: string): Registry {
  if (typeof path !== 'string' || path.length === 0) {
    throw new MplError(ErrorCode.InvalidArgument, `directoryRegistry needs a folder path, got ${JSON.stringify(path)}`);
  }
  return lazyRegistry(path, async () => (await loadDirectoryRegistry()).openDirectoryRegistry(path));
}
