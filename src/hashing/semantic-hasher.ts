import { onDemand } from '../platform/on-demand.ts';
import type { HashOptions, VerifyOptions } from './hash-layout.ts';
import { instantiateBlake3, type WasmSource } from './wasm-source.ts';

/**
 * The hasher's code (BLAKE3 over wasm memory, the canonical bytes' writer): a chunk loaded
 * by the first `loadHasher` (which every Session's `connect()` starts), while the module
 * itself downloads and compiles: a page pays for them with the module, not at start-up.
 */
const loadWasmHasher = onDemand('BLAKE3 hasher', () => import('./wasm-hasher.ts'));

/**
 * A loaded BLAKE3 module with synchronous hashing, for hot paths. Get one from
 * {@link loadHasher}.
 *
 * @example
 * const hasher = await loadHasher();
 * for (const payload of payloads) envelopes.push({ payload, sem_hash: hasher.hash(payload) });
 */
export interface SemanticHasher {
  /**
   * The semantic hash of a JSON value: `'b3:'` + 64 hex digits of BLAKE3-256 over its
   * canonical form, in `options.hashLayout` (default `'current'`). Throws `MplError`
   * `E-NON-CANONICAL` as `canonicalize` does.
   */
  hash(value: unknown, options?: HashOptions): string;
  /**
   * Whether `hash` is the semantic hash of `value` in either layout (or only the one
   * `options.hashLayout` names); `false` for anything that is not a `b3:` hash. The
   * legacy layout is computed only when the current one does not match and `value`
   * holds a number the layouts write differently.
   */
  verify(value: unknown, hash: string, options?: VerifyOptions): boolean;
  /** BLAKE3-256 of raw bytes (32 bytes). */
  blake3(bytes: Uint8Array): Uint8Array;
}

/**
 * Loads the BLAKE3 WebAssembly and returns a hasher with synchronous methods. There is one
 * hasher per process: `semanticHash`, `verifyHash`, every `Session` and `Client` use the
 * one this returns, so call it first to choose where the module comes from (a page then
 * downloads it once): before anything hashes, and before a session that hashes connects
 * (its `connect()` starts loading the module its first send needs). With no argument the
 * module comes from where this runtime finds it best (beside the bundle; the inlined copy
 * where that fails); pass a URL, a `Response`, the bytes or a compiled `WebAssembly.Module`
 * to choose yourself (a CDN, a Worker's `import wasm from …`). A later call with a source replaces the shared hasher once its
 * module has loaded; until then, and for good if it fails (the call rejects), the hasher
 * loaded before stays in use, so sessions hashing meanwhile never see the failure.
 *
 * @throws MplError `E-WASM-LOAD` when the module cannot be loaded.
 * @example
 * const hasher = await loadHasher();
 * hasher.hash({ status: 'alive' }); // 'b3:9b9ac1ee…'
 * @example
 * import wasmUrl from 'mpl-sdk/blake3.wasm?url'; // Vite: the file's URL in the built app
 * await loadHasher(wasmUrl); // semanticHash, Session and Client now use this module
 */
export function loadHasher(source?: WasmSource): Promise<SemanticHasher> {
  if (source === undefined && shared) return shared.hasher;
  const entry: Shared = {
    hasher: Promise.all([instantiateBlake3(source), loadWasmHasher()]).then(
      ([instance, { hasherOf }]) => {
        entry.loaded = hasherOf(instance);
        if (latest === entry) shared = entry; // a later call's module wins over this one
        return entry.loaded;
      },
      (error: unknown) => {
        if (shared === entry) shared = undefined; // nothing was loaded before: the next use tries again
        throw error;
      },
    ),
  };
  latest = entry;
  shared ??= entry; // nothing loaded or loading yet: every use waits for this one
  return entry.hasher;
}

/** Bytes of wasm memory behind a hasher from {@link loadHasher}. @internal */
export function wasmMemoryBytes(hasher: SemanticHasher): number {
  return (hasher as SemanticHasher & { wasmMemoryBytes: number }).wasmMemoryBytes;
}

/** A hasher of `loadHasher`, `loaded` once it resolved. */
interface Shared {
  hasher: Promise<SemanticHasher>;
  loaded?: SemanticHasher;
}
/** The process's hasher: the one loaded last, or the first one loading (replaced only by one that loaded). */
let shared: Shared | undefined;
/** The hasher of the latest `loadHasher` call with a source, while it loads. */
let latest: Shared | undefined;


/** The shared hasher if it is loaded, for callers that hash synchronously once it is. */
export const loadedHasher = (): SemanticHasher | undefined => shared?.loaded;

/**
 * The semantic hash of a JSON value, as the reference MPL core computes it:
 * `'b3:'` + BLAKE3-256 of its canonical form in hex. Loads the WebAssembly once.
 * `options.hashLayout: 'legacy'` hashes as a reference built with serde_json ≤ 1.0.146
 * (see {@link HashLayout}).
 *
 * @throws MplError `E-NON-CANONICAL` for values with no canonical form, `E-WASM-LOAD`.
 * @example
 * await semanticHash({ status: 'alive' });
 * // 'b3:9b9ac1ee8b9b03e61ed25dd0e4bf328bab3bd9ab0973993f77370ce7fa4a2386'
 * await semanticHash({ big: 1e20 }, { hashLayout: 'legacy' }); // the hash of '{"big":1e20}'
 */
export async function semanticHash(value: unknown, options?: HashOptions): Promise<string> {
  return (await loadHasher()).hash(value, options);
}

/**
 * Whether `hash` is the semantic hash of `value`, in either layout unless
 * `options.hashLayout` names one. A malformed hash gives `false`.
 *
 * @example
 * await verifyHash({ status: 'alive' }, envelope.semHash); // true or false
 * await verifyHash({ big: 1e20 }, legacyHash); // true: a legacy peer's hash is honest
 * await verifyHash({ big: 1e20 }, legacyHash, { hashLayout: 'current' }); // false
 */
export async function verifyHash(value: unknown, hash: string, options?: VerifyOptions): Promise<boolean> {
  return (await loadHasher()).verify(value, hash, options);
}
