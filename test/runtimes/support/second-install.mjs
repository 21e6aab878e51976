// A second installed copy of the package (package.json + dist/ copied to a temp folder),
// as an app gets when two dependencies each bring their own mpl-sdk. Runners load it
// beside the first to check that errors from one copy are recognised by the other.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot, readPackageJson, resolveExport, runtimeConditions } from './exports.mjs';

/** Makes the copy; resolves with `{ dir, entryUrl(runtime), remove() }`. */
export async function makeSecondInstall() {
  const base = await mkdtemp(join(tmpdir(), 'mpl-second-copy-'));
  const dir = join(base, 'node_modules', 'mpl-sdk');
  await cp(join(packageRoot, 'dist'), join(dir, 'dist'), { recursive: true });
  await cp(join(packageRoot, 'package.json'), join(dir, 'package.json'));
  const pkg = readPackageJson();
  return {
    dir,
    /** file: URL of the copy's entry for a runtime's conditions. */
    entryUrl: (runtime) => pathToFileURL(join(dir, resolveExport(pkg, '.', runtimeConditions[runtime]))).href,
    remove: () => rm(base, { recursive: true, force: true }),
  };
}
