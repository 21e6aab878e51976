// Resolves a package's `exports` map the way a runtime does: walk the conditions object in
// its own key order and take the first key the runtime accepts (`default` always counts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, which is the package root of mpl-sdk. */
export const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** package.json of mpl-sdk, read fresh. */
export function readPackageJson() {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
}

function pick(target, conditions) {
  if (typeof target === 'string') return target;
  if (target === null || typeof target !== 'object') return undefined;
  if (Array.isArray(target)) {
    for (const t of target) {
      const found = pick(t, conditions);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, value] of Object.entries(target)) {
    if (key === 'default' || conditions.includes(key)) {
      const found = pick(value, conditions);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The file (relative to the package root, e.g. `./dist/index.js`) that `subpath` of the
 * package resolves to under `conditions`, or undefined when nothing matches.
 */
export function resolveExport(pkg, subpath, conditions) {
  const map = typeof pkg.exports === 'string' || Array.isArray(pkg.exports) || !Object.keys(pkg.exports ?? {}).some((k) => k.startsWith('.'))
    ? { '.': pkg.exports }
    : pkg.exports;
  return pick(map[subpath], conditions);
}

/** The conditions each runtime (or its bundler) uses, as documented by each. */
export const runtimeConditions = {
  node: ['node', 'import'],
  deno: ['deno', 'node', 'import'],
  bun: ['bun', 'node', 'import'],
  browser: ['browser', 'import'],
  workerd: ['workerd', 'worker', 'browser', 'import'],
  types: ['types', 'import'],
};
