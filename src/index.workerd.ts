/**
 * Entry for Cloudflare Workers (the `workerd` export condition). Identical to the
 * universal entry, plus the static `.wasm` import workerd needs: it cannot compile
 * WebAssembly from bytes, so the host compiles blake3.wasm and this entry leaves the
 * module where src/hashing/wasm-source.ts looks for it. (A global symbol rather than an
 * imported setter: importing an internal would split the bundle into a shared chunk.)
 */
import blake3Module from '../wasm/blake3.wasm';

(globalThis as Record<symbol, unknown>)[Symbol.for('mpl-sdk.blake3-module')] = blake3Module;

export * from './index.ts';
