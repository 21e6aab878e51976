// The browser build's default BLAKE3 WebAssembly: blake3.wasm beside the bundle. The literal
// `new URL('./blake3.wasm', import.meta.url)` is what Vite, webpack and Parcel recognise:
// they emit the file with the app and rewrite the URL. Where a bundler does not (esbuild),
// the request fails and the inlined copy, a chunk of its own, is loaded instead. A browser
// without WebAssembly SIMD (Safari before 16.4) loads the inlined build without it.
import { bySimdSupport, fetchWasm, inlinedBytes, type DefaultSource } from './wasm-loaders.ts';

export function defaultWasmSources(): DefaultSource[] {
  return bySimdSupport(() => [
    ['blake3.wasm beside the bundle', () => fetchWasm(new URL('./blake3.wasm', import.meta.url))],
    ['the inlined copy', inlinedBytes],
  ]);
}

