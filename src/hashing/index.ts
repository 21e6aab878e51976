export { canonicalize } from './canonicalize.ts';
export { semanticHash, verifyHash, loadHasher, type SemanticHasher } from './semantic-hasher.ts';
export type { WasmResponse, WasmSource } from './wasm-source.ts';
export type { HashLayout, HashOptions, VerifyOptions } from './hash-layout.ts';
