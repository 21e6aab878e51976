// Builds dist/: the universal ESM bundle (index.js), the workerd entry (workerd.js),
// one .d.ts for the public API, and source maps. Dependencies are bundled in so a web
// page can import dist/index.js with no import map; only `ws` (Node 20 without a global
// WebSocket) stays outside, reached through a dynamic import at run time.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild, { minify } from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

// mpl-sdk/server: its own entries, built apart so the client bundle is untouched. Whatever
// the server takes from the SDK comes through src/index.ts (src/server/sdk.ts), which stays
// an import of the client's own built entry, so both share one hasher and one set of classes.
const sdkEntries = { [resolve('src/index.ts')]: './index.js', [resolve('src/index.workerd.ts')]: './workerd.js' };
const serverExternal = (id, _importer, isResolved) => external(id) || (isResolved && id in sdkEntries);
const sdkAsImport = {
  name: 'sdk-as-import',
  resolveId(source, importer) {
    if (!importer) return null;
    const target = resolve(dirname(importer), source);
    return target in sdkEntries ? { id: target, external: true } : null;
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
  },
  {
    input: 'src/index.ts',
    plugins: [dts({ tsconfig: 'tsconfig.json' })],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
  {
    input: { server: 'src/server/index.ts', 'server.workerd': 'src/server/index.workerd.ts', 'server-node': 'src/server/node.ts' },
    external: serverExternal,
    plugins: [sdkAsImport, esbuild({ target: 'es2022', sourceMap: true })],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      chunkFileNames: 'server-core.js',
      paths: (id) => sdkEntries[id] ?? id,
      plugins: [minify({ minifyWhitespace: true, minifyIdentifiers: true, sourceMap: true })],
    },
    treeshake: { moduleSideEffects: (id) => id in sdkEntries },
  },
  {
    input: { server: 'src/server/index.ts', 'server-node': 'src/server/node.ts' },
    external: serverExternal,
    plugins: [sdkAsImport, dts({ tsconfig: 'tsconfig.json' })],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'server-core.d.ts', paths: (id) => sdkEntries[id] ?? id },
  },
];
