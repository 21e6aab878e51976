// Measures what a user ships: each entry bundled and minified by esbuild (as a consumer's
// bundler would), split so chunks loaded only on demand stay separate, then gzipped
// (level 9); and the wasm. Run it alone to print the table: node test/build/size.mjs
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { packageRoot, readPackageJson, resolveExport, runtimeConditions } from '../runtimes/support/exports.mjs';

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Issue 14's goals, bytes min+gzip. */
export const GOAL = { startup: 25 * 1024, firstMessage: 50 * 1024 };

/**
 * Bytes, min+gzip, that the size test holds the bundle to. A budget moves to its `GOAL`
 * once the bundle meets it (see the README's "Bundle size").
 */
export const BUDGET = {
  /** JS loaded at start-up, per entry: the entry and everything it imports statically. */
  startup: GOAL.startup,
  /** Any one chunk loaded on demand (validator engine, full schema check, embedded registry, ky, the HTTP transport, the WebSocket transport, the Client, QoM evaluation, the folder and URL registries, inlined-wasm fallback). */
  chunk: 24 * 1024,
  /** The BLAKE3 module, fetched and compiled on the first hash. */
  wasm: 6 * 1024,
  /**
   * What a page loads for a WebSocket session's first validated, hashed send: start-up, the
   * `FIRST_MESSAGE_CHUNKS`, and the wasm (not the HTTP transport, which only HTTP needs, nor
   * ky, nor the inlined-wasm fallback, used only where the .wasm file cannot be fetched).
   */
  firstMessage: GOAL.firstMessage,
};

/**
 * What the name of a chunk that only re-exports another's code ends with: esbuild writes one
 * for a dynamic import of a file that another file also imports (its code then goes into a
 * shared chunk, loaded after the few bytes that point at it). The size test fails on one.
 */
export const RE_EXPORTS = ' (re-exports)';

/**
 * Whether a chunk (named after the dist/ files in it) is the one named, in any build
 * (`workerd-engine.js` is `engine.js`; `qom.workerd.js`, the Worker build's mpl-sdk/qom entry, is `qom.js`).
 */
export const chunkIs = (chunk, name) => chunk.name === name || chunk.name.endsWith(`-${name}`) || (/^qom\.\w+\.js$/.test(chunk.name) && name === 'qom.js');

/**
 * The on-demand chunks a WebSocket session's first validated, hashed send loads: the WebSocket
 * transport with partysocket (on connect), the validator engine, the embedded registry and
 * the registry file checks it shares with the folder and URL registries, and the hasher (its
 * wasm loading and the canonical bytes' writer, with the first `loadHasher`).
 */
export const FIRST_MESSAGE_CHUNKS = ['websocket-transport.js', 'engine.js', 'embedded-registry.js', 'registry-support.js', 'wasm-hasher.js'];
/**
 * Chunks that must stay on demand: what a page that never uses them does not download. The
 * HTTP transport and what it shares with the Client (fetch-support) for HTTP sessions only; ky
 * for requests that retry only (the Client's GETs, the URL registry); the WebSocket
 * transport with partysocket for WebSocket sessions only; the Client; the folder and URL registries; the validator engine;
 * the full schema check (loaded for a payload the engine's fast check cannot pass: an invalid one, or
 * one of a schema the fast check leaves to the full engine, so not for a first valid message);
 * QoM evaluation (mpl-sdk/qom, loaded when a reply carries a QoM report);
 * the `/capabilities` lookup after a handshake without common STypes; the words of a
 * failed connection, TLS hint included (loaded with either transport); what a WebAssembly
 * load that failed says (loaded only then).
 */
export const ON_DEMAND = ['ky-module.js', 'http-link.js', 'fetch-support.js', 'websocket-transport.js', 'client.js', 'qom.js', 'http-registry.js', 'directory-registry.js', 'engine.js', 'full-check.js', 'capabilities-lookup.js', 'wasm-hasher.js', 'failure-text.js', 'wasm-failure.js'];

/**
 * For the entry a runtime's conditions pick: `startup` (the entry and its static imports,
 * all loaded before the first line of user code) and `chunks` (each loaded on demand by a
 * dynamic import), every size as `{min, gzip}`; a chunk is named after the dist/ files in it.
 */
export async function measureEntry(runtime) {
  const entry = resolveExport(readPackageJson(), '.', runtimeConditions[runtime]);
  const result = await build({
    entryPoints: [join(packageRoot, entry)],
    bundle: true, splitting: true, minify: true, format: 'esm', platform: 'neutral', target: 'es2022',
    outdir: join(packageRoot, '.size-check'), absWorkingDir: packageRoot, write: false, metafile: true, logLevel: 'silent',
    external: ['*.wasm', 'node:*', 'ws'],
  });
  const outputs = result.metafile.outputs;
  // Every dynamic import is an entry point of esbuild's too: pick the output of this entry.
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint === relative(packageRoot, join(packageRoot, entry)));
  const eager = new Set([entryOut]);
  for (const queue = [entryOut]; queue.length;) {
    for (const imp of outputs[queue.pop()].imports) {
      if (imp.kind === 'import-statement' && outputs[imp.path] && !eager.has(imp.path)) { eager.add(imp.path); queue.push(imp.path); }
    }
  }
  const startup = { min: 0, gzip: 0 };
  const chunks = [];
  const nameOf = new Map();
  for (const file of result.outputFiles) {
    const key = relative(packageRoot, file.path);
    if (!outputs[key]) throw new Error(`esbuild wrote ${key}, which its metafile does not list`);
    const size = { min: file.contents.length, gzip: gzip(file.contents) };
    if (eager.has(key)) {
      startup.min += size.min;
      startup.gzip += size.gzip;
    } else {
      const inputs = Object.keys(outputs[key].inputs).map((i) => basename(i));
      // A chunk with no code of its own: the dynamic import of a file whose code esbuild put in a shared chunk.
      const name = inputs.length > 0 ? inputs.join(' + ') : `${basename(outputs[key].entryPoint ?? key)}${RE_EXPORTS}`;
      nameOf.set(key, name);
      chunks.push({ name, key, ...size });
    }
  }
  // What each on-demand chunk imports statically (loaded with it), as chunk names.
  for (const chunk of chunks) {
    chunk.imports = outputs[chunk.key].imports.filter((imp) => imp.kind === 'import-statement' && nameOf.has(imp.path)).map((imp) => nameOf.get(imp.path));
    delete chunk.key;
  }
  return { entry, startup, chunks };
}

/**
 * The on-demand chunks a WebSocket session's first message loads: `FIRST_MESSAGE_CHUNKS`
 * and every chunk they import statically (a shared chunk esbuild or rollup split off loads with them).
 */
export function firstMessageChunks(m) {
  const byName = new Map(m.chunks.map((c) => [c.name, c]));
  const found = new Set();
  const queue = m.chunks.filter((c) => FIRST_MESSAGE_CHUNKS.some((name) => chunkIs(c, name)));
  while (queue.length) {
    const chunk = queue.pop();
    if (found.has(chunk)) continue;
    found.add(chunk);
    for (const name of chunk.imports) queue.push(byName.get(name));
  }
  return [...found];
}

/** Raw and gzip bytes of the wasm the package ships. */
export function measureWasm() {
  const bytes = readFileSync(join(packageRoot, resolveExport(readPackageJson(), './blake3.wasm', [])));
  return { raw: bytes.length, gzip: gzip(bytes) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const runtime of ['browser', 'workerd']) {
    const m = await measureEntry(runtime);
    console.log(`${runtime} ${m.entry}: start-up ${m.startup.min} B min, ${m.startup.gzip} B min+gzip`);
    for (const c of m.chunks) console.log(`  on demand: ${c.name}: ${c.min} B min, ${c.gzip} B min+gzip`);
  }
  const w = measureWasm();
  console.log(`blake3.wasm: ${w.raw} B, ${w.gzip} B gzip`);
}
