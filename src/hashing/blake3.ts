import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { WINDOW_BYTES, type ByteWindow } from './canonical-bytes.ts';
import { readHashText } from './hash-text.ts';
import { SEM_HASH_LENGTH } from '../protocol/envelope.ts';

/** The exports of wasm/blake3.c (see there): no allocator, JS owns the layout of memory. */
interface Blake3Exports {
  readonly memory: WebAssembly.Memory;
  readonly __heap_base: WebAssembly.Global;
  hash(inPtr: number, inLen: number, outPtr: number): void;
  init(state: number): void;
  update(state: number, inPtr: number, inLen: number): void;
  finalize(state: number, outPtr: number): void;
  state_bytes(): number;
}

const REQUIRED_EXPORTS = ['memory', '__heap_base', 'hash', 'init', 'update', 'finalize', 'state_bytes'] as const;
const PAGE_BYTES = 65_536;
/** What `finalize` writes: the 32-byte hash, then its text in ASCII (one byte a character). */
const OUT_BYTES = 32 + SEM_HASH_LENGTH;

/**
 * BLAKE3 over the wasm module's own memory, laid out by this class past the module's
 * data: the output (the hash, and its `b3:` text), then one frame per nesting depth (a `toJSON` may hash another
 * value while a hash is being written), each an incremental hasher state and a window of
 * `WINDOW_BYTES` that the canonical bytes are written into. Bytes that fit in one window
 * are hashed in one call; a window that fills is fed to the frame's hasher and reused.
 * The memory grows only when a deeper frame than ever before is needed.
 * @internal
 */
export class Blake3 implements ByteWindow {
  readonly #wasm: Blake3Exports;
  readonly #out: number;
  /** The `b3:` text of the last hash, in wasm memory (renewed with `heap`). */
  #semHashText = new Uint8Array(0);
  readonly #frame0: number;
  readonly #frameBytes: number;
  readonly #stateBytes: number;
  /** Nesting depth of the hash being written, -1 while none is. */
  #depth = -1;
  /** The current frame's hasher state and window start. */
  #state = 0;
  #window = 0;
  /** Whether the current frame's hasher holds bytes (the input outgrew one window). */
  #streaming = false;
  /** `ByteWindow`: the memory (as bytes and as a view), where the next byte goes, where the window ends. */
  heap = new Uint8Array(0);
  view = new DataView(this.heap.buffer);
  pos = 0;
  end = 0;

  constructor(instance: WebAssembly.Instance) {
    const exports = instance.exports as Record<string, unknown>;
    const missing = REQUIRED_EXPORTS.filter((name) => !(name in exports));
    if (missing.length) {
      throw new MplError(ErrorCode.WasmLoad, `The WebAssembly module is not this SDK's BLAKE3: it lacks ${missing.join(', ')}`);
    }
    this.#wasm = exports as unknown as Blake3Exports;
    const base = align(Number(this.#wasm.__heap_base.value), 64);
    this.#out = base;
    this.#frame0 = base + align(OUT_BYTES, 64);
    this.#stateBytes = align(this.#wasm.state_bytes(), 64);
    this.#frameBytes = this.#stateBytes + WINDOW_BYTES;
    this.#grow(this.#frame0 + this.#frameBytes); // frame 0, which every outermost hash uses
    this.#setFrame(this.#frame0);
  }

  /**
   * `b3:` and the BLAKE3-256, as lowercase hex, of the bytes that `write(input, window)` puts
   * into this window, in a frame of its own (so a nested hash leaves the outer one's bytes alone).
   */
  semHashOf<T>(write: (input: T, window: ByteWindow) => void, input: T): string {
    this.#hash(write, input);
    return readHashText(this.#semHashText);
  }

  /** BLAKE3-256 of `bytes`, a fresh 32-byte array. */
  digestBytes(bytes: Uint8Array): Uint8Array {
    this.#hash(writeBytes, bytes);
    return this.heap.slice(this.#out, this.#out + 32);
  }

  /** Hashes what `write(input, this)` writes into the output: in frame 0 when no hash is being written, else one frame deeper. */
  #hash<T>(write: (input: T, window: ByteWindow) => void, input: T): void {
    if (this.#depth === -1) this.#hashOutermost(write, input);
    else this.#hashInFrame(write, input);
  }

  /**
   * `#hashInFrame` when no hash is being written (the usual case): frame 0, which the
   * constructor made, and no outer window to give back afterwards.
   */
  #hashOutermost<T>(write: (input: T, window: ByteWindow) => void, input: T): void {
    this.#depth = 0;
    try {
      this.#writeAndDigest(write, input);
    } finally {
      this.#depth = -1;
    }
  }

  /** `ByteWindow.reserve`: feeds the filled window to the frame's hasher and starts it over. */
  reserve(n: number): void {
    if (this.pos + n <= this.end) return;
    if (n > WINDOW_BYTES) throw new RangeError(`cannot reserve ${n} bytes`);
    if (!this.#streaming) {
      this.#wasm.init(this.#state);
      this.#streaming = true;
    }
    this.#wasm.update(this.#state, this.#window, this.pos - this.#window);
    this.pos = this.#window;
  }

  /** `ByteWindow.restart`: drops what was hashed and written so far. */
  restart(): void {
    this.#streaming = false;
    this.pos = this.#window;
  }

  /** Current size of the wasm linear memory, in bytes. */
  get memoryBytes(): number {
    return this.#wasm.memory.buffer.byteLength;
  }

  /**
   * Hashes what `write(input, this)` writes, into the output, in a frame one level deeper
   * (growing the memory the first time that depth is reached); the outer frame's window,
   * position and hasher come back afterwards, whatever `write` does.
   */
  #hashInFrame<T>(write: (input: T, window: ByteWindow) => void, input: T): void {
    const outerPos = this.pos;
    const outerEnd = this.end;
    const outerStreaming = this.#streaming;
    const depth = ++this.#depth;
    try {
      const state = this.#frame0 + depth * this.#frameBytes;
      if (state + this.#frameBytes > this.heap.length) this.#grow(state + this.#frameBytes);
      this.#setFrame(state);
      this.#writeAndDigest(write, input);
    } finally {
      this.#depth = depth - 1;
      this.#setFrame(this.#frame0 + Math.max(depth - 1, 0) * this.#frameBytes);
      this.#streaming = outerStreaming;
      this.pos = outerPos;
      this.end = outerEnd;
    }
  }

  /** Writes `input` into the current frame's window, from its start, and hashes what was written into the output. */
  #writeAndDigest<T>(write: (input: T, window: ByteWindow) => void, input: T): void {
    this.#streaming = false;
    this.pos = this.#window;
    this.end = this.#window + WINDOW_BYTES;
    write(input, this);
    this.#digest(this.pos - this.#window);
  }

  /** Grows the memory to at least `bytes`, and renews the views of it. */
  #grow(bytes: number): void {
    const memory = this.#wasm.memory;
    const needed = bytes - memory.buffer.byteLength;
    if (needed > 0) memory.grow(Math.ceil(needed / PAGE_BYTES));
    this.heap = new Uint8Array(memory.buffer); // growing detached the old views
    this.view = new DataView(memory.buffer);
    this.#semHashText = this.heap.subarray(this.#out + 32, this.#out + OUT_BYTES);
  }

  #setFrame(state: number): void {
    this.#state = state;
    this.#window = state + this.#stateBytes;
  }

  /** Hashes the frame's bytes: the window's first `length` after whatever its hasher holds. */
  #digest(length: number): void {
    if (!this.#streaming) {
      this.#wasm.hash(this.#window, length, this.#out);
    } else {
      this.#wasm.update(this.#state, this.#window, length);
      this.#wasm.finalize(this.#state, this.#out);
    }
  }
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/** Puts `bytes` into the window a window's worth at a time (`reserve` hashes each full one). */
function writeBytes(bytes: Uint8Array, w: ByteWindow): void {
  for (let at = 0; at < bytes.length; at += WINDOW_BYTES) {
    const piece = bytes.subarray(at, at + WINDOW_BYTES);
    w.reserve(piece.length);
    w.heap.set(piece, w.pos);
    w.pos += piece.length;
  }
}
