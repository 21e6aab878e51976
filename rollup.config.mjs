// Builds dist/: the browser bundle (index.js), the Node/Deno/Bun bundle (node.js), the
// Worker bundle (workerd.js), one .d.ts for the public API, and source maps; then the
// command (cli.js) and mpl-sdk/server (server*.js). Dependencies
// are bundled in so a web page can import dist/index.js with no import map; only `ws`
// (Node 20 without a global WebSocket) stays outside, imported by node.js when needed.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild, { minify } from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embedRegistry } from './registry/embed.mjs';

// BLAKE3: wasm/blake3.wasm (built from this project's wasm/blake3.c) ships as dist/blake3.wasm, and the Worker build's static
// `import … from '../../wasm/blake3.wasm'` points at that copy beside it. (The inlined base64
// copy is src/hashing/blake3-inline.ts, a dynamic import, so it becomes its own chunk.)
// wasm/blake3-jsc.wasm, which the Node build reads in Bun on x86-64, ships as dist/blake3-jsc.wasm.
const blake3WasmPath = {
  name: 'blake3-wasm-path',
  outputOptions: (options) => ({ ...options, paths: (id) => (id.endsWith('/wasm/blake3.wasm') ? './blake3.wasm' : id) }),
};
const blake3Wasm = (file) => ({
  name: 'blake3-wasm',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: file, source: readFileSync(`wasm/${file}`) });
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

// The command and the server call the library through its public entries: `../index.ts` stays
// an import of the built entry of their platform (./node.js, ./workerd.js, ./index.js), and
// `../qom.ts` one of mpl-sdk/qom's (./qom.node.js, ./qom.workerd.js, ./qom.js), so the library
// is not bundled twice, both share the user's one copy of it (one hasher, one set of
// classes), and the library's own bundles do not change.
const SDK_ENTRY = fileURLToPath(new URL('src/index.ts', import.meta.url));
const QOM_ENTRY = fileURLToPath(new URL('src/qom.ts', import.meta.url));
const isSdkEntry = (id, importer) => importer !== undefined && [SDK_ENTRY, QOM_ENTRY].includes(resolve(dirname(importer), id));
const qomBeside = (file) => (file === './index.js' ? './qom.js' : file.replace(/^\.\/(\w+)\.js$/, './qom.$1.js'));
const sdkAt = (file) => (id) => (resolve(id) === SDK_ENTRY ? file : resolve(id) === QOM_ENTRY ? qomBeside(file) : id);

// The `mpl-sdk` command (dist/cli.js, Node only). json-schema-to-typescript is an optional
// peer, imported by `types` when it runs. What the command takes from the library's inner
// modules (the engine for `check`'s $ref walk) is bundled with its packages, as in the
// library's own builds: an installed mpl-sdk has none of its devDependencies.
const cli = {
  input: { cli: 'src/cli/bin.ts' },
  external: (id, importer) => id.startsWith('node:') || id === 'json-schema-to-typescript' || isSdkEntry(id, importer),
  plugins: [nodeResolve({ exportConditions: ['node', 'import', 'default'] }), esbuild({ target: 'node20', sourceMap: true })],
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    banner: '#!/usr/bin/env node',
    paths: sdkAt('./node.js'),
  },
};


// One build per platform, from the same sources: a module `x.ts` with a sibling
// `x.<variant>.ts` is replaced by it in that build (src/platform/node-modules.web.ts,
// src/hashing/wasm-default.web.ts, src/hashing/wasm-default.workerd.ts). So the browser
// bundle holds no Node-only code path and the Worker bundle no inlined wasm, and no entry
// needs a side effect (a registration a bundler could drop) to set up its platform.
const platform = (variants) => ({
  name: 'platform-variants',
  async resolveId(source, importer, options) {
    if (!importer || !source.endsWith('.ts')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    if (!resolved || resolved.external) return resolved;
    for (const variant of variants) {
      const file = resolved.id.replace(/\.ts$/, `.${variant}.ts`);
      if (existsSync(file)) return file;
    }
    return resolved;
  },
});

// Minified (with source maps), so a page importing dist/index.js directly gets the small
// file: whitespace, names and syntax (rollup-plugin-esbuild's `minify()` starts from
// `minify: true`, so the options below add to it; `minify: false` is what turns it off, as for
// the server's bundles below). esbuild's keepNames (a name kept for every function, about
// 2 KB gzip of start-up) is off: the public classes name themselves (src/platform/class-name.ts),
// so users still see `SchemaFidelityError` in their logs and `session.constructor.name === 'Session'`.
// The Node build (Node, Deno, Bun) and the server's have lines of at most LINE_LIMIT
// characters: those runtimes print the source line an uncaught error was thrown from, and a
// bundle minified onto four lines printed up to 40 KB of code before the message. Pages and
// Workers, which print no source line, keep the smaller file (the limit costs 1.7% gzip).
const LINE_LIMIT = 200;
const minified = (lineLimit) => [minify({ minifyWhitespace: true, minifyIdentifiers: true, sourceMap: true, ...(lineLimit ? { lineLimit } : {}) })];
// The server's bundles keep every class and function name as written (`MplServer.name`…, and
// readable stacks): their identifiers are not minified, only their whitespace. (esbuild's
// keepNames would name them again at run time, a `defineProperty` for every closure made,
// about 3% of the server's time per envelope.) They are not part of a page's start-up.
const minifiedWithNames = [minify({ minify: false, minifyWhitespace: true, sourceMap: true, lineLimit: LINE_LIMIT })];

// The full schema check (src/registry/full-check.ts: @cfworker/json-schema's `validate`) is
// built on its own, with its own copies of the few cfworker modules it shares with the
// validator engine's chunk (format, dereference, deep compare: about 3 KB gzip, in a file
// only an invalid payload loads), and each library build imports it as an external file.
// Imported from the engine's chunk, the engine would be both loaded on demand and imported
// by another file: a bundler that splits an app (Vite, esbuild) then makes the engine two
// files, a facade for the dynamic import and the chunk with its code, which esbuild loads
// one after the other (one round trip more before the first message).
const FULL_CHECK = fileURLToPath(new URL('src/registry/full-check.ts', import.meta.url));
const fullCheckApart = (fileName) => ({
  name: 'full-check-apart',
  async resolveId(source, importer, options) {
    if (!importer || !source.endsWith('full-check.ts')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved?.id === FULL_CHECK ? { id: `./${fileName}`, external: 'absolute' } : null; // as written: the file beside the chunk
  },
});
const fullCheckBuild = (fileName, variants, lineLimit) => ({
  input: { [fileName.replace(/\.js$/, '')]: FULL_CHECK },
  plugins: sourcePlugins(variants),
  output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', plugins: minified(lineLimit) },
  treeshake: { moduleSideEffects: false },
});

/** How a platform's sources are read: its variants, packages by their browser conditions, TypeScript by esbuild. */
const sourcePlugins = (variants) => [
  platform(variants),
  nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'], preferBuiltins: false }),
  esbuild({ target: 'es2022', sourceMap: true }),
];

// Chunks are named after their first module; small ones are merged (experimentalMinChunkSize,
// rendered bytes: small enough to keep the /capabilities lookup, about 1 KB, a chunk of its
// own; the size test checks every on-demand chunk stays one). Two chunks of shared modules
// are named for what they hold: fetch-support (fetch-failure, network-error, json-or-text:
// the HTTP transport, the Client and the URL registry use them; and request-signal, which the
// HTTP transport, the Client and the `/capabilities` lookup use, put there by hand: left to
// rollup, that small module merges into the lookup's chunk, which the other two then import;
// so are json-or-text and the header check, which the HTTP transport and the Client share:
// left to rollup, the two make a chunk of their own, one more request before an HTTP page's
// first message) and registry-support (the registry file checks the embedded, folder and URL
// registries share).
const FETCH_FAILURE = /[\\/]src[\\/]platform[\\/]fetch-failure\.ts$/;
const REQUEST_SIGNAL = /[\\/]src[\\/]platform[\\/](request-signal|json-or-text|headers)\.ts$/;
const SHARED_CHUNKS = [['fetch-support', FETCH_FAILURE], ['registry-support', /[\\/]src[\\/]registry[\\/]registry\.ts$/]];
const chunkNames = (prefix) => (chunk) => `${prefix}${SHARED_CHUNKS.find(([, module]) => chunk.moduleIds.some((id) => module.test(id)))?.[0] ?? '[name]'}.js`;

// Every module src/index.ts imports statically goes in its entry chunk: the qom entry then
// imports what it shares with the library (errors, JSON helpers) from the entry, not from a
// third file every page would load at start-up. So does the few bytes that load ky
// (src/platform/ky.ts), which two on-demand chunks share (the Client, the URL registry):
// left to rollup, it merges it into one of them, which the other then imports (a file
// both loaded on demand and imported).
const KY_LOADER = /[\\/]src[\\/]platform[\\/]ky\.ts$/;
// The words of a failed connection (src/platform/failure-text.ts: the TLS hint…), which the WebSocket
// transport and fetch-support share, are a chunk of their own: left to rollup, it merges into
// fetch-support, which a WebSocket page would then load before its first message for it;
// in the entry, every page pays for it at start-up.
const FAILURE_TEXT = /[\\/]src[\\/]platform[\\/]failure-text\.ts$/;
// And what a failed WebAssembly load says (src/hashing/wasm-failure.ts), loaded only then:
// left to rollup, a chunk that small is merged into another that the first message loads.
const WASM_FAILURE = /[\\/]src[\\/]hashing[\\/]wasm-failure\.ts$/;
const intoEntry = (entry) => {
  let graph;
  return (id, { getModuleInfo }) => {
    if (!graph) {
      graph = new Set();
      for (const queue = [SDK_ENTRY]; queue.length;) {
        const next = queue.pop();
        if (graph.has(next)) continue;
        graph.add(next);
        queue.push(...(getModuleInfo(next)?.importedIds ?? []));
      }
    }
    if (graph.has(id) || KY_LOADER.test(id)) return entry;
    if (FAILURE_TEXT.test(id)) return 'failure-text';
    if (WASM_FAILURE.test(id)) return 'wasm-failure';
    return FETCH_FAILURE.test(id) || REQUEST_SIGNAL.test(id) ? 'fetch-support' : undefined;
  };
};

/**
 * The builds of src/index.ts for one platform: its entry name, variants, the prefix of its
 * chunks' names, extra plugins. mpl-sdk/qom (src/qom.ts) is a second entry of the same build: one module, the
 * chunk the library loads on demand when a reply carries a QoM report, and the file the
 * subpath points at (`qom.js`, `qom.node.js`, `qom.workerd.js`), which imports the
 * library's own entry for what they share (one MplError, one QomBreachError). The second
 * build is the platform's full schema check (`<prefix>full-check.js`, see fullCheckApart).
 */
const build = ({ entry, qomEntry, variants, prefix, plugins = [], lineLimit }) => [{
  input: { [entry]: 'src/index.ts', [qomEntry]: 'src/qom.ts' },
  external,
  plugins: [fullCheckApart(`${prefix}full-check.js`), ...sourcePlugins(variants), ...plugins],
  // hoistTransitiveImports off: a lazy chunk that imports from the entry does not repeat the
  // entry's own imports (the Worker build's static blake3.wasm import stays in workerd.js).
  output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: chunkNames(prefix), hoistTransitiveImports: false, experimentalMinChunkSize: 900, manualChunks: intoEntry(entry), plugins: minified(lineLimit) },
  treeshake: { moduleSideEffects: false },
  // The lazy chunks import SDK modules from the entry: let rollup add those (internal)
  // exports to the entry instead of moving all shared code to a third file.
  preserveEntrySignatures: 'allow-extension',
}, fullCheckBuild(`${prefix}full-check.js`, variants, lineLimit)];

// The Node and Worker builds have the browser build's API: their .d.ts says so, for code
// that imports dist/node.js or dist/workerd.js by path (the exports map gives index.d.ts).
const sameDeclarations = (names) => ({
  name: 'same-declarations',
  generateBundle() {
    for (const name of names) this.emitFile({ type: 'asset', fileName: `${name}.d.ts`, source: "export * from './index.js';\n" });
  },
});

// mpl-sdk/server, once per platform like the library (its SDK import is that platform's
// build): server.js (browsers, default), server.node.js (Node, Deno, Bun), server.workerd.js;
// and mpl-sdk/server/node, the Node adapter (node:http and ws), server-node.js.
const serverExternal = (id, importer) => external(id) || isSdkEntry(id, importer);
const serverBuild = (entry, input, sdk) => ({
  input: { [entry]: input },
  external: serverExternal,
  plugins: [esbuild({ target: 'es2022', sourceMap: true })],
  output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', paths: sdkAt(sdk), plugins: minifiedWithNames },
  treeshake: { moduleSideEffects: false },
});
const server = [
  serverBuild('server', 'src/server/index.ts', './index.js'),
  serverBuild('server.node', 'src/server/index.ts', './node.js'),
  serverBuild('server.workerd', 'src/server/index.ts', './workerd.js'),
  serverBuild('server-node', 'src/server/node.ts', './node.js'),
  {
    input: { server: 'src/server/index.ts', 'server-node': 'src/server/node.ts' },
    external: serverExternal,
    plugins: [dts({ tsconfig: 'tsconfig.json' })],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'server-core.d.ts', paths: sdkAt('./index.js') },
  },
];

rmSync('dist', { recursive: true, force: true }); // no file of an earlier build is packed

export default [
  // Browsers and the `default` condition: dist/index.js, lazy chunks beside it.
  // The first build regenerates src/registry/embedded-data.generated.ts from registry/ (once: the builds run in turn).
  ...build({ entry: 'index', qomEntry: 'qom', variants: ['web'], prefix: '', plugins: [embedRegistry(), blake3Wasm('blake3.wasm'), thirdPartyLicenses()] }),
  // Node, Deno, Bun: dist/node.js (Node built-ins and `ws` imported by name, when needed).
  ...build({ entry: 'node', qomEntry: 'qom.node', variants: [], prefix: 'node-', plugins: [blake3Wasm('blake3-jsc.wasm')], lineLimit: LINE_LIMIT }),
  // Cloudflare Workers: dist/workerd.js, which imports ./blake3.wasm as a module (and has no inlined copy).
  ...build({ entry: 'workerd', qomEntry: 'qom.workerd', variants: ['workerd', 'web'], prefix: 'workerd-', plugins: [blake3WasmPath] }),
  {
    input: { index: 'src/index.ts', qom: 'src/qom.ts' },
    plugins: [dts({ tsconfig: 'tsconfig.json' }), sameDeclarations(['node', 'workerd'])],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: 'qom-types.d.ts' },
  },
  cli,
  ...server,
];
