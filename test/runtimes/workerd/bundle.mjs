// Bundles a Worker the way wrangler does: esbuild, ESM, `exports` conditions
// workerd → worker → browser. `.wasm` imports stay imports (workerd cannot compile wasm
// from bytes; it gets a compiled module), and each imported .wasm file is copied next
// to the bundle under the name the bundle imports it by. `node:*` imports stay imports
// too, as wrangler leaves them without the nodejs_compat flag (with a warning that they
// throw at run time): the caller gets their list to print that warning.
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../support/exports.mjs';

export const workerConditions = ['workerd', 'worker', 'browser'];

/**
 * Bundles `entry` into `outDir/<outName>`. `external` lists more specifiers to leave as
 * imports (e.g. another module given to miniflare). Resolves with the bundle's path, the
 * Node built-ins it still imports and the package files (dist/…) bundled in.
 */
export async function bundleWorker(entry, outDir, { outName = 'worker.mjs', external = [], stdin } = {}) {
  const outfile = join(outDir, outName);
  const result = await build({
    ...(stdin ? { stdin: { contents: stdin, resolveDir: packageRoot, loader: 'js', sourcefile: outName } } : { entryPoints: [entry] }),
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: workerConditions,
    mainFields: ['module', 'main'],
    external: ['*.wasm', 'node:*', ...external],
    metafile: true,
    logLevel: 'silent',
  });
  await mkdir(outDir, { recursive: true });
  const nodeImports = new Set();
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    for (const imported of info.imports) {
      if (imported.external && imported.path.startsWith('node:')) nodeImports.add(`${imported.path} (${imported.kind} in ${input})`);
      if (!imported.external || !imported.path.endsWith('.wasm') || !imported.path.startsWith('.')) continue;
      const target = join(outDir, imported.path);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(resolve(packageRoot, dirname(input), imported.path), target);
    }
  }
  return { outfile, nodeImports: [...nodeImports], packageFiles: Object.keys(result.metafile.inputs).filter((i) => i.startsWith('dist/')) };
}

/**
 * Miniflare options for the bundled Worker in `outDir` whose main module is `main`. The
 * modules are listed by hand (ES modules, and the .wasm as CompiledWasm, as a
 * `[[rules]] type = "CompiledWasm"` does for wrangler): miniflare's own import walker
 * refuses a bundle that keeps any `import(variable)`, such as the SDK's Node-only file read.
 */
export async function workerdOptions(outDir, main = 'worker.mjs') {
  const names = (await readdir(outDir, { recursive: true })).filter((n) => /\.(mjs|js|wasm)$/.test(n));
  names.sort((a, b) => (a === main ? -1 : b === main ? 1 : a.localeCompare(b)));
  const modules = await Promise.all(names.map(async (name) => ({
    type: name.endsWith('.wasm') ? 'CompiledWasm' : 'ESModule',
    path: join(outDir, name),
    contents: await readFile(join(outDir, name)),
  })));
  return { modules, modulesRoot: outDir, compatibilityDate: '2025-09-01' };
}
