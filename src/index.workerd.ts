/**
 * Entry for Cloudflare Workers (the `workerd` export condition). Identical to the
 * universal entry, plus the static `.wasm` import workerd needs: it cannot compile
 * WebAssembly from bytes, so the host compiles blake3.wasm and hands the module over.
 */
import blake3Module from '../wasm/blake3.wasm';
import { registerBlake3Module } from './hashing/wasm-source.ts';

registerBlake3Module(blake3Module);

export * from './index.ts';
