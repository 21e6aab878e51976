// Where the BLAKE3 WebAssembly comes from by default in the Node build (dist/node.js):
//   Node, Bun -> the bytes of blake3.wasm beside the bundle, read with fs (a pending read
//                keeps Bun alive, a pending fetch of a file: URL does not)
//   Deno      -> the inlined copy (reading a file would need --allow-read)
// (A runtime without WebAssembly SIMD gets the inlined build without it instead.)
// The browser and Worker builds use wasm-default.web.ts and wasm-default.workerd.ts.
import { bySimdSupport, inlinedBytes, readWasmFile, type DefaultSource } from './wasm-loaders.ts';

export function defaultWasmSources(): DefaultSource[] {
  return bySimdSupport(withSimd);
}

function withSimd(): DefaultSource[] {
  const read = readWasmFile;
  if (!read) return [['the inlined copy', inlinedBytes]];
  const beside = new URL('./blake3.wasm', import.meta.url);
  const sources: DefaultSource[] = [[`blake3.wasm beside ${import.meta.url}`, () => read(beside)]];
  if (beside.pathname.endsWith('/src/hashing/blake3.wasm')) {
    // Running the TypeScript sources (tests under tsx): the repository's copy.
    sources.push(['wasm/blake3.wasm of the repository', () => read(new URL('../../wasm/blake3.wasm', beside))]);
  }
  sources.push(['the inlined copy', inlinedBytes]);
  return sources;
}

