/**
 * Entry for Cloudflare Workers (the `workerd` export condition). Identical to the
 * universal entry; the hashing module adds the static `.wasm` import workerd needs.
 */
export * from './index.ts';
