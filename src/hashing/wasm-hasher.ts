// The semantic hasher over the BLAKE3 WebAssembly: a chunk of its own, loaded by the first
// `loadHasher` (see semantic-hasher.ts) while the module downloads, with the canonical bytes' writer.
import { isSemHash, SEM_HASH_LENGTH } from '../protocol/envelope.ts';
import { Blake3 } from './blake3.ts';
import { writeCanonicalBytes, type ByteWindow } from './canonical-bytes.ts';
import { differsByLayout } from './canonical-number.ts';
import { walkCanonical } from './canonicalize.ts';
import { acceptedLayouts, layoutOf, type HashOptions, type VerifyOptions } from './hash-layout.ts';
import type { SemanticHasher } from './semantic-hasher.ts';

/**
 * Whether the canonical form of `value` depends on the layout: it holds a number that
 * {@link differsByLayout} (seen as `JSON.stringify` sees it). Walked only when a hash
 * did not match in the first layout, so that the second is computed only when it can differ.
 */
function dependsOnLayout(value: unknown): boolean {
  let found = false;
  walkCanonical(value, {
    scalar: (scalar) => {
      if (typeof scalar === 'number' && differsByLayout(scalar)) found = true;
      return undefined;
    },
    mark: () => {},
    key: () => {},
  });
  return found;
}

const writeCurrent = (value: unknown, window: ByteWindow): void => writeCanonicalBytes(value, window, 'current');
const writeLegacy = (value: unknown, window: ByteWindow): void => writeCanonicalBytes(value, window, 'legacy');

class WasmSemanticHasher implements SemanticHasher {
  readonly #blake3: Blake3;

  constructor(blake3: Blake3) {
    this.#blake3 = blake3;
  }

  hash(value: unknown, options?: HashOptions): string {
    return this.#blake3.semHashOf(layoutOf(options, 'hash') === 'legacy' ? writeLegacy : writeCurrent, value);
  }

  /**
   * Hashes before it looks at the format: a string that is not a semantic hash (`b3:` and 64
   * lowercase hex digits) cannot equal the text `hash` makes, and the format's regular
   * expression cost a fifth of verifying a small payload. What a malformed hash gives stays
   * `false`, even for a value with no canonical form.
   */
  verify(value: unknown, hash: string, options?: VerifyOptions): boolean {
    const accepted = acceptedLayouts(options, 'verify');
    if (typeof hash !== 'string' || hash.length !== SEM_HASH_LENGTH) return false;
    try {
      if (this.#blake3.semHashOf(accepted === 'legacy' ? writeLegacy : writeCurrent, value) === hash) return true;
      return accepted === 'either' && dependsOnLayout(value) && this.#blake3.semHashOf(writeLegacy, value) === hash;
    } catch (error) {
      if (!isSemHash(hash)) return false;
      throw error;
    }
  }

  blake3(bytes: Uint8Array): Uint8Array {
    return this.#blake3.digestBytes(bytes);
  }

  /** @internal Size of the wasm memory, for leak checks. */
  get wasmMemoryBytes(): number {
    return this.#blake3.memoryBytes;
  }
}

/** A hasher over an instance of the BLAKE3 module (see wasm-source.ts). @internal */
export const hasherOf = (instance: WebAssembly.Instance): SemanticHasher => new WasmSemanticHasher(new Blake3(instance));
