// The Worker build's default BLAKE3 WebAssembly: workerd cannot compile wasm from bytes, so
// the module is a static `.wasm` import that the host compiles (wrangler, @cloudflare/vite-
// plugin, Miniflare with a CompiledWasm rule). Used inside a function, so no bundler can
// drop the import as an unused side effect.
import blake3Module from '../../wasm/blake3.wasm';
import type { DefaultSource } from './wasm-loaders.ts';

export function defaultWasmSources(): DefaultSource[] {
  return [['the blake3.wasm module the Worker imports', async () => blake3Module]];
}

