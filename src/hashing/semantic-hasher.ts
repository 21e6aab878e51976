import { isSemHash } from '../protocol/envelope.ts';
import { Blake3 } from './blake3.ts';
import { writeCanonicalBytes } from './canonical-bytes.ts';
import { instantiateBlake3, type WasmSource } from './wasm-source.ts';

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
   * canonical form. Throws `MplError` `E-NON-CANONICAL` as `canonicalize` does.
   */
  hash(value: unknown): string;
  /** Whether `hash` is the semantic hash of `value`; `false` for anything that is not a `b3:` hash. */
  verify(value: unknown, hash: string): boolean;
  /** BLAKE3-256 of raw bytes (32 bytes). */
  blake3(bytes: Uint8Array): Uint8Array;
}


class WasmSemanticHasher implements SemanticHasher {
  readonly #blake3: Blake3;

  constructor(blake3: Blake3) {
    this.#blake3 = blake3;
  }

  hash(value: unknown): string {
    return 'b3:' + this.#blake3.digestBytesOf(writeCanonicalBytes, value);
  }

  verify(value: unknown, hash: string): boolean {
    return isSemHash(hash) && this.hash(value) === hash;
  }

  blake3(bytes: Uint8Array): Uint8Array {
    return this.#blake3.digestBytes(bytes);
  }

  /** @internal Size of the wasm memory, for leak checks. */
  get wasmMemoryBytes(): number {
    return this.#blake3.memoryBytes;
  }
}

/**
 * Loads the BLAKE3 WebAssembly and returns a hasher with synchronous methods. There is one
 * hasher per process: `semanticHash`, `verifyHash`, every `Session` and `Client` use the
 * one this returns, so call it first to choose where the module comes from (a page then
 * downloads it once). With no argument the module comes from where this runtime finds it
 * best (beside the bundle; the inlined copy where that fails); pass a URL, a `Response`,
 * the bytes or a compiled `WebAssembly.Module` to choose yourself (a CDN, a Worker's
 * `import wasm from …`). A later call with a source replaces the shared hasher.
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
    hasher: instantiateBlake3(source).then(
      (instance) => (entry.loaded = new WasmSemanticHasher(new Blake3(instance))),
      (error: unknown) => {
        if (shared === entry) shared = undefined; // the next use tries again
        throw error;
      },
    ),
  };
  shared = entry;
  return entry.hasher;
}

/** Bytes of wasm memory behind a hasher from {@link loadHasher}. @internal */
export function wasmMemoryBytes(hasher: SemanticHasher): number {
  return (hasher as WasmSemanticHasher).wasmMemoryBytes;
}

/** The process's hasher: the latest `loadHasher`, `loaded` once it resolved. */
interface Shared {
  hasher: Promise<SemanticHasher>;
  loaded?: SemanticHasher;
}
let shared: Shared | undefined;

/** The shared hasher, loaded on first use (again after a failure). */
export const defaultHasher = (): Promise<SemanticHasher> => loadHasher();

/** The shared hasher if it is loaded, for callers that hash synchronously once it is. */
export const loadedHasher = (): SemanticHasher | undefined => shared?.loaded;

/**
 * The semantic hash of a JSON value, as the reference MPL core computes it:
 * `'b3:'` + BLAKE3-256 of its canonical form in hex. Loads the WebAssembly once.
 *
 * @throws MplError `E-NON-CANONICAL` for values with no canonical form, `E-WASM-LOAD`.
 * @example
 * await semanticHash({ status: 'alive' });
 * // 'b3:9b9ac1ee8b9b03e61ed25dd0e4bf328bab3bd9ab0973993f77370ce7fa4a2386'
 */
export async function semanticHash(value: unknown): Promise<string> {
  return (await defaultHasher()).hash(value);
}

/**
 * Whether `hash` is the semantic hash of `value`. A malformed hash gives `false`.
 *
 * @example
 * await verifyHash({ status: 'alive' }, envelope.semanticHash); // true or false
 */
export async function verifyHash(value: unknown, hash: string): Promise<boolean> {
  return (await defaultHasher()).verify(value, hash);
}
