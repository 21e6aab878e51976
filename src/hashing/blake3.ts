import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { WINDOW_BYTES, type ByteWindow } from './canonical-bytes.ts';

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
  __wbindgen_free(ptr: number, size: number): void;
}

const REQUIRED_EXPORTS = [
  'memory', 'hash', 'create_hasher', 'blake3hash_update', 'blake3hash_digest',
  '__wbg_blake3hash_free', '__wbindgen_malloc', '__wbindgen_realloc', '__wbindgen_free',
] as const;

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

/**
 * BLAKE3 over the wasm module's own memory. Input buffers handed to `hash`/`update`
 * are freed by the wasm side; the 32-byte output buffer is allocated once and kept;
 * every hasher is freed in a `finally`. Inputs go in at most 64 KiB at a time, so the
 * wasm memory (which never shrinks) stays small whatever the input size.
 * @internal
 */
export class Blake3 implements ByteWindow {
  readonly #wasm: Blake3Exports;
  readonly #out: number;
  /** The incremental hasher of the text being hashed, 0 while none was needed. */
  #hasher = 0;
  /** The staging window (a wasm allocation of `WINDOW_BYTES`), 0 while none is held. */
  #window = 0;
  /** `ByteWindow`: the memory, where the next byte goes, where the window ends. */
  heap: Uint8Array;
  pos = 0;
  end = 0;

  constructor(instance: WebAssembly.Instance) {
    const exports = instance.exports as Record<string, unknown>;
    const missing = REQUIRED_EXPORTS.filter((name) => !(name in exports));
    if (missing.length) {
      throw new MplError(ErrorCode.WasmLoad, `The WebAssembly module is not blake3-wasm's: it lacks ${missing.join(', ')}`);
    }
    this.#wasm = exports as unknown as Blake3Exports;
    this.#out = this.#wasm.__wbindgen_malloc(32);
    this.heap = new Uint8Array(this.#wasm.memory.buffer);
  }

  /**
   * BLAKE3-256, as lowercase hex, of the bytes that `write(input, window)` puts into this
   * window. They are staged in a wasm allocation of `WINDOW_BYTES` that is handed to the
   * hasher (which frees it) whenever it fills; bytes that fit in one window are hashed in
   * one call, without a hasher.
   */
  digestBytesOf<T>(write: (input: T, window: ByteWindow) => void, input: T): string {
    const outer = this.#hasher; // a toJSON may hash another value meanwhile
    const outerWindow = this.#window;
    const outerPos = this.pos;
    const outerEnd = this.end;
    this.#hasher = 0;
    this.#window = 0;
    try {
      this.#openWindow();
      write(input, this);
      const length = this.pos - this.#window;
      const ptr = this.#closeWindow(length);
      if (this.#hasher === 0) {
        this.#wasm.hash(ptr, length, this.#out, 32);
      } else {
        this.#wasm.blake3hash_update(this.#hasher, ptr, length);
        this.#wasm.blake3hash_digest(this.#hasher, this.#out, 32);
      }
    } finally {
      if (this.#window !== 0) this.#wasm.__wbindgen_free(this.#window, WINDOW_BYTES);
      if (this.#hasher !== 0) this.#wasm.__wbg_blake3hash_free(this.#hasher);
      this.#hasher = outer;
      this.#window = outerWindow;
      this.pos = outerPos;
      this.end = outerEnd;
    }
    return toHex(this.#heapView(), this.#out);
  }

  /** `ByteWindow.reserve`: hands the filled window to the hasher and opens a fresh one. */
  reserve(n: number): void {
    if (this.pos + n <= this.end) return;
    if (n > WINDOW_BYTES) throw new RangeError(`cannot reserve ${n} bytes`);
    if (this.#hasher === 0) this.#hasher = this.#wasm.create_hasher();
    const length = this.pos - this.#window;
    const ptr = this.#closeWindow(length);
    this.#wasm.blake3hash_update(this.#hasher, ptr, length);
    this.#openWindow();
  }

  /** `ByteWindow.restart`: drops what was hashed and written so far, keeps the window. */
  restart(): void {
    if (this.#hasher !== 0) this.#wasm.__wbg_blake3hash_free(this.#hasher);
    this.#hasher = 0;
    this.pos = this.#window;
  }

  #openWindow(): void {
    this.#window = this.#wasm.__wbindgen_malloc(WINDOW_BYTES);
    this.pos = this.#window;
    this.end = this.#window + WINDOW_BYTES;
    this.#heapView();
  }

  /** Gives up the window, trimmed to `length` bytes, for the wasm side to free. */
  #closeWindow(length: number): number {
    const window = this.#window;
    this.#window = 0;
    return length === WINDOW_BYTES ? window : this.#wasm.__wbindgen_realloc(window, WINDOW_BYTES, length);
  }

  /** Current size of the wasm linear memory, in bytes. */
  get memoryBytes(): number {
    return this.#wasm.memory.buffer.byteLength;
  }

  /** BLAKE3-256 of `bytes`, a fresh 32-byte array. */
  digestBytes(bytes: Uint8Array): Uint8Array {
    if (bytes.length <= WINDOW_BYTES) {
      this.#wasm.hash(this.#copyIn(bytes), bytes.length, this.#out, 32);
    } else {
      const hasher = this.#wasm.create_hasher();
      try {
        for (let at = 0; at < bytes.length; at += WINDOW_BYTES) {
          const piece = bytes.subarray(at, at + WINDOW_BYTES);
          this.#wasm.blake3hash_update(hasher, this.#copyIn(piece), piece.length);
        }
        this.#wasm.blake3hash_digest(hasher, this.#out, 32);
      } finally {
        this.#wasm.__wbg_blake3hash_free(hasher);
      }
    }
    return this.#heapView().slice(this.#out, this.#out + 32);
  }

  #copyIn(bytes: Uint8Array): number {
    const ptr = this.#wasm.__wbindgen_malloc(bytes.length);
    this.#heapView().set(bytes, ptr);
    return ptr;
  }

  /** A byte view of wasm memory, renewed after the memory grew (growing detaches the old one). */
  #heapView(): Uint8Array {
    if (this.heap.byteLength === 0) this.heap = new Uint8Array(this.#wasm.memory.buffer);
    return this.heap;
  }
}

const hexText = new Uint8Array(64);
const hexPairs = new Uint16Array(hexText.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Each byte's two hex digits as the 16-bit unit that puts them in `hexText` in order. */
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, byte) => {
  const digit = (d: number): number => (d < 10 ? 0x30 + d : 0x57 + d); // 0-9, a-f
  const [first, second] = [digit(byte >> 4), digit(byte & 15)];
  return littleEndian ? first | (second << 8) : (first << 8) | second;
});
const utf8 = new TextDecoder();

/**
 * The 32 bytes at `heap[at..]` as 64 lowercase hex digits: written as ASCII into one buffer
 * and decoded once (32 string concatenations cost about twice as much, flattening included).
 */
function toHex(heap: Uint8Array, at: number): string {
  for (let i = 0; i < 32; i++) hexPairs[i] = HEX_PAIRS[heap[at + i]!]!;
  return utf8.decode(hexText);
}
