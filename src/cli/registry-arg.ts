// A registry named on the command line: a folder or an http(s) URL.
import { resolveRegistry, type Registry } from '../index.ts';
import { UsageError } from './command.ts';

/** The registry at `where` (a folder, or a URL of either HTTP layout); the embedded one when absent. */
export function registryAt(where: string | undefined): Registry {
  if (where === '') throw new UsageError('the registry must be a folder or an http(s) URL, got ""');
  return resolveRegistry(where === undefined ? {} : { registryPath: where });
}
