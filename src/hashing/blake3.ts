import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';

/** The exports of blake3-wasm 2.1.5's `web` module that this SDK uses. */
interface Blake3Exports {
  readonly memory: WebAssembly.Memory;
  hash(inPtr: number, inLen: number, outPtr: number, outLen: number): void;
  create_hasher(): number;
  blake3hash_update(hasher: number, inPtr: number, inLen: number): void;
  blake3hash_digest(hasher: number, outPtr: number, outLen: number): void;
  __wbg_blake3hash_free(hasher: number): void;
  __wbindgen_malloc(size: number): number;
  __wbindgen_realloc(ptr: number, oldSize: number, newSize: number): number;
}

const REQUIRED_EXPORTS = [
  'memory', 'hash', 'create_hasher', 'blake3hash_update', 'blake3hash_digest',
  '__wbg_blake3hash_free', '__wbindgen_malloc', '__wbindgen_realloc',
] as const;

/** Most UTF-16 code units encoded into wasm memory at once: at most 48 KiB of UTF-8. */
export const CHUNK_UNITS = 16_384;
const CHUNK_BYTES = 65_536;

/** The imports the module needs: only a way to raise its panics. */
export function blake3Imports(memory: () => WebAssembly.Memory | undefined): WebAssembly.Imports {
  return {
    wbg: {
      __wbindgen_throw(ptr: number, len: number): never {
        const mem = memory();
        const text = mem ? new TextDecoder().decode(new Uint8Array(mem.buffer, ptr, len)) : 'unknown';
        throw new Error(`BLAKE3 wasm panicked: ${text}`);
      },
    },
  };
}

const encoder = new TextEncoder();

/**
 * BLAKE3 over the wasm module's own memory. Input buffers handed to `hash`/`update`
 * are freed by the wasm side; the 32-byte output buffer is allocated once and kept;
 * every hasher is freed in a `finally`. Inputs go in at most 64 KiB at a time, so the
 * wasm memory (which never shrinks) stays small whatever the input size.
 * @internal
 */
export class Blake3 {
  readonly #wasm: Blake3Exports;
  readonly #out: number;
  #heap: Uint8Array;
  /** The incremental hasher of the text being hashed, 0 while none was needed. */
  #hasher = 0;
  #encodedLength = 0;

  constructor(instance: WebAssembly.Instance) {
    const exports = instance.exports as Record<string, unknown>;
    const missing = REQUIRED_EXPORTS.filter((name) => !(name in exports));
    if (missing.length) {
      throw new MplError(ErrorCode.WasmLoad, `The WebAssembly module is not blake3-wasm's: it lacks ${missing.join(', ')}`);
    }
    this.#wasm = exports as unknown as Blake3Exports;
    this.#out = this.#wasm.__wbindgen_malloc(32);
    this.#heap = new Uint8Array(this.#wasm.memory.buffer);
  }

  /** Current size of the wasm linear memory, in bytes. */
  get memoryBytes(): number {
    return this.#wasm.memory.buffer.byteLength;
  }

  /** BLAKE3-256 of `bytes`, a fresh 32-byte array. */
  digestBytes(bytes: Uint8Array): Uint8Array {
    if (bytes.length <= CHUNK_BYTES) {
      this.#wasm.hash(this.#copyIn(bytes), bytes.length, this.#out, 32);
    } else {
      const hasher = this.#wasm.create_hasher();
      try {
        for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
          const piece = bytes.subarray(at, at + CHUNK_BYTES);
          this.#wasm.blake3hash_update(hasher, this.#copyIn(piece), piece.length);
        }
        this.#wasm.blake3hash_digest(hasher, this.#out, 32);
      } finally {
        this.#wasm.__wbg_blake3hash_free(hasher);
      }
    }
    return this.#heapView().slice(this.#out, this.#out + 32);
  }

  /**
   * BLAKE3-256, as lowercase hex, of the UTF-8 text that `write(input, flush)` produces:
   * it hands over pieces through `flush` (each encoded straight into wasm memory and fed
   * to an incremental hasher) and returns the rest. Text that never needed a flush is
   * hashed in one call, without a hasher.
   */
  digestText<T>(write: (input: T, flush: (text: string) => void) => string, input: T): string {
    const outer = this.#hasher; // a toJSON may hash another value meanwhile
    this.#hasher = 0;
    try {
      const rest = write(input, this.#flush);
      if (this.#hasher === 0) {
        const ptr = this.#encodeIn(rest);
        this.#wasm.hash(ptr, this.#encodedLength, this.#out, 32);
      } else {
        this.#update(rest);
        this.#wasm.blake3hash_digest(this.#hasher, this.#out, 32);
      }
    } finally {
      if (this.#hasher !== 0) this.#wasm.__wbg_blake3hash_free(this.#hasher);
      this.#hasher = outer;
    }
    return toHex(this.#heapView(), this.#out);
  }

  readonly #flush = (text: string): void => {
    if (this.#hasher === 0) this.#hasher = this.#wasm.create_hasher();
    this.#update(text);
  };

  /** Feeds `text` to the current hasher in chunks, never splitting a surrogate pair. */
  #update(text: string): void {
    for (let at = 0; at < text.length; ) {
      let end = Math.min(at + CHUNK_UNITS, text.length);
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
      const ptr = this.#encodeIn(at === 0 && end === text.length ? text : text.slice(at, end));
      this.#wasm.blake3hash_update(this.#hasher, ptr, this.#encodedLength);
      at = end;
    }
  }

  /** Writes the UTF-8 of `text` into a fresh wasm allocation of exactly its length (`#encodedLength`). */
  #encodeIn(text: string): number {
    const room = text.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
    const ptr = this.#wasm.__wbindgen_malloc(room);
    const length = encoder.encodeInto(text, this.#heapView().subarray(ptr, ptr + room)).written;
    this.#encodedLength = length;
    return length === room ? ptr : this.#wasm.__wbindgen_realloc(ptr, room, length);
  }

  #copyIn(bytes: Uint8Array): number {
    const ptr = this.#wasm.__wbindgen_malloc(bytes.length);
    this.#heapView().set(bytes, ptr);
    return ptr;
  }

  /** A byte view of wasm memory, renewed after the memory grew (growing detaches the old one). */
  #heapView(): Uint8Array {
    if (this.#heap.byteLength === 0) this.#heap = new Uint8Array(this.#wasm.memory.buffer);
    return this.#heap;
  }
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function toHex(heap: Uint8Array, at: number): string {
  let hex = '';
  for (let i = at; i < at + 32; i++) hex += HEX[heap[i]!];
  return hex;
}
