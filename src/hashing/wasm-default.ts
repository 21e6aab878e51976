// Where the BLAKE3 WebAssembly comes from by default in the Node build (dist/node.js):
//   Node, Bun -> the bytes of blake3.wasm beside the bundle, read with fs (a pending read
//                keeps Bun alive, a pending fetch of a file: URL does not); Bun on x86-64
//                first tries blake3-jsc.wasm beside it (see JSC_FILE)
//   Deno      -> the inlined copy (reading a file would need --allow-read)
// (A runtime without WebAssembly SIMD gets the inlined build without it instead.)
// The browser and Worker builds use wasm-default.web.ts and wasm-default.workerd.ts.
import { bunArch } from '../platform/runtime.ts';
import { bySimdSupport, inlinedBytes, readWasmFile, type DefaultSource } from './wasm-loaders.ts';

/**
 * The SIMD build with the four-chunk rounds as a loop (wasm/blake3.c): JavaScriptCore on
 * x86-64 runs it in about half the time on inputs over 2 KiB, V8 runs blake3.wasm faster.
 * Named through a variable, not as a literal `new URL('./…', import.meta.url)`: bundlers
 * copy such files into every Node bundle, and a bundle without it reads blake3.wasm.
 */
const JSC_FILE = 'blake3-jsc.wasm';

export function defaultWasmSources(): DefaultSource[] {
  return bySimdSupport(withSimd);
}

function withSimd(): DefaultSource[] {
  const read = readWasmFile;
  if (!read) return [['the inlined copy', inlinedBytes]];
  return [
    ...(bunArch() === 'x64' ? fileSources(new URL(`./${JSC_FILE}`, import.meta.url), read) : []),
    ...fileSources(new URL('./blake3.wasm', import.meta.url), read),
    ['the inlined copy', inlinedBytes],
  ];
}

/** Reading the file at `beside`; from the TypeScript sources (tests under tsx), the repository's copy in wasm/. */
function fileSources(beside: URL, read: (url: URL) => Promise<Uint8Array>): DefaultSource[] {
  const file = beside.pathname.slice(beside.pathname.lastIndexOf('/') + 1);
  const sources: DefaultSource[] = [[`${file} beside ${import.meta.url}`, () => read(beside)]];
  if (beside.pathname.endsWith(`/src/hashing/${file}`)) sources.push([`wasm/${file} of the repository`, () => read(new URL(`../../wasm/${file}`, beside))]);
  return sources;
}
