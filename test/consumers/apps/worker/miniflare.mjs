// Runs the bundled Worker in workerd with plain Miniflare: `.wasm` imports are compiled
// modules (as wrangler's CompiledWasm rule makes them).
import { dirname } from 'node:path';
import { Miniflare } from 'miniflare';

export function startWorker(scriptPath, bindings) {
  return new Miniflare({
    modules: true, // scriptPath's imports are followed, by these rules:
    modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
    scriptPath,
    modulesRoot: dirname(scriptPath),
    compatibilityDate: '2025-09-01',
    bindings,
  });
}
