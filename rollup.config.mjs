// Builds dist/: the universal ESM bundle (index.js), the workerd entry (workerd.js),
// one .d.ts for the public API, and source maps. Dependencies are bundled in so a web
// page can import dist/index.js with no import map; only `ws` (Node 20 without a global
// WebSocket) stays outside, reached through a dynamic import at run time.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild, { minify } from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embedRegistry } from './registry/embed.mjs';

// BLAKE3: wasm/blake3.wasm ships as dist/blake3.wasm, and the workerd entry's static
// `import … from '../wasm/blake3.wasm'` points at that copy beside it. (The inlined base64
// copy is src/hashing/blake3-inline.ts, a dynamic import, so it becomes its own chunk.)
const blake3Wasm = () => ({
  name: 'blake3-wasm',
  outputOptions: (options) => ({ ...options, paths: (id) => (id.endsWith('/wasm/blake3.wasm') ? './blake3.wasm' : id) }),
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'blake3.wasm', source: readFileSync('wasm/blake3.wasm') });
  },
});

// The bundle carries code of its dependencies (MIT): dist/THIRD-PARTY-LICENSES.txt keeps
// each bundled package's notice, found from the modules rollup actually included.
const thirdPartyLicenses = () => ({
  name: 'third-party-licenses',
  generateBundle(_options, bundle) {
    const packages = new Map();
    for (const chunk of Object.values(bundle)) {
      for (const id of chunk.type === 'chunk' ? Object.keys(chunk.modules) : []) {
        const m = /^(.*[\\/]node_modules[\\/])((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(id);
        if (m) packages.set(m[2].replace(/\\/g, '/'), m[1] + m[2]);
      }
    }
    packages.set('blake3-wasm', 'node_modules/blake3-wasm'); // dist/blake3.wasm comes from it
    const sections = [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
      const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
      const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
      const text = file ? readFileSync(`${dir}/${file}`, 'utf8').trim() : `License: ${pkg.license} (the package ships no license file)`;
      return `${name}@${pkg.version} (${pkg.license})\n\n${text}`;
    });
    this.emitFile({ type: 'asset', fileName: 'THIRD-PARTY-LICENSES.txt', source: `mpl-sdk bundles code of these packages:\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n` });
  },
});

const external = (id) => id === 'ws' || id.startsWith('node:') || id.endsWith('.wasm');

// The `mpl-sdk` command (dist/cli.js, Node only) calls the library through its public entry:
// `../index.ts` stays an import of ./index.js, so the library is not bundled twice, and the
// browser bundle does not change. json-schema-to-typescript is an optional peer, imported
// by `types` when it runs.
const SDK_ENTRY = fileURLToPath(new URL('src/index.ts', import.meta.url));
const cli = {
  input: { cli: 'src/cli/bin.ts' },
  external: (id, importer) => id.startsWith('node:') || id === 'json-schema-to-typescript'
    || (importer !== undefined && resolve(dirname(importer), id) === SDK_ENTRY),
  plugins: [esbuild({ target: 'node20', sourceMap: true })],
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    banner: '#!/usr/bin/env node',
    paths: (id) => (resolve(id) === SDK_ENTRY ? './index.js' : id),
  },
};

export default [
  {
    input: { index: 'src/index.ts', workerd: 'src/index.workerd.ts' },
    external,
    plugins: [
      nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'], preferBuiltins: false }),
      embedRegistry(), // regenerates src/registry/embedded-data.generated.ts from registry/ first
      esbuild({ target: 'es2022', sourceMap: true }),
      blake3Wasm(),
      thirdPartyLicenses(),
    ],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: '[name].js',
      // Minified (with source maps), so a page importing dist/index.js directly gets the small
      // file. Whitespace and names only: syntax minification would fold the variable specifiers
      // of the lazy Node-only imports back into literals that consumers' bundlers try to resolve.
      plugins: [minify({ minifyWhitespace: true, minifyIdentifiers: true, sourceMap: true })],
    },
    treeshake: { moduleSideEffects: false },
    // The lazy chunks import SDK modules from the entry: let rollup add those (internal)
    // exports to dist/index.js instead of moving all shared code to a third file.
    preserveEntrySignatures: 'allow-extension',
  },
  {
    input: 'src/index.ts',
    plugins: [dts({ tsconfig: 'tsconfig.json' })],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
  cli,
];
