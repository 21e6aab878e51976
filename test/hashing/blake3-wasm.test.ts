// Our BLAKE3 (wasm/blake3.c, every build) against two independent implementations:
// blake3-wasm (the Rust crate compiled to wasm) and the bench's native Rust program
// (Debian's blake3 crate). Every length up to 3100, the chunk, block, window and tree
// boundaries, input fed in pieces (the incremental hasher) against one call, hashes
// nested inside hashes, and frames that make the memory grow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { Blake3 } from '../../src/hashing/blake3.ts';
import { WINDOW_BYTES, type ByteWindow } from '../../src/hashing/canonical-bytes.ts';
import { canonicalize, loadHasher } from '../../src/hashing/index.ts';
import { buildNative, nativeHashes } from '../bench/native/baseline.ts';

const reference = createRequire(import.meta.url)('blake3-wasm/dist/node') as { hash(data: Uint8Array): Buffer };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const expected = (bytes: Uint8Array) => reference.hash(bytes).toString('hex');
const expectedSemHash = (bytes: Uint8Array) => 'b3:' + expected(bytes);

const BUILDS = ['blake3.wasm', 'blake3-jsc.wasm', 'blake3-scalar.wasm'] as const;
const load = async (file: string) => new Blake3((await WebAssembly.instantiate(readFileSync(new URL(`../../wasm/${file}`, import.meta.url)))).instance);

/** Bytes that differ at every position and from chunk to chunk. */
function bytesOf(length: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + (i >>> 10) * 7 + seed) & 255;
  return bytes;
}

const BOUNDARIES = [
  63, 64, 65, 127, 128, 129, 1023, 1024, 1025, 2047, 2048, 2049, 3072, 4095, 4096, 4097, 5120, 6144, 7168, 8191, 8192, 8193,
  16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 31 * 1024 + 5, WINDOW_BYTES - 1, WINDOW_BYTES, WINDOW_BYTES + 1, 2 * WINDOW_BYTES + 1024,
  1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 17,
];

/** A writer that puts `bytes` into the window in pieces of the given sizes (each a `reserve` then a copy). */
const inPieces = (sizes: number[]) => (bytes: Uint8Array, w: ByteWindow): void => {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, bytes.length - at);
    w.reserve(n);
    w.heap.set(bytes.subarray(at, at + n), w.pos);
    w.pos += n;
    at += n;
  }
};

for (const file of BUILDS) {
  describe(`BLAKE3 of wasm/${file}`, () => {
    it('equals blake3-wasm for every length from 0 to 3100', async () => {
      const blake3 = await load(file);
      const all = bytesOf(3100);
      for (let n = 0; n <= 3100; n++) assert.equal(hex(blake3.digestBytes(all.subarray(0, n))), expected(all.subarray(0, n)), `length ${n}`);
    });

    it('equals blake3-wasm at block, chunk, SIMD batch, window and tree boundaries', async () => {
      const blake3 = await load(file);
      for (const n of BOUNDARIES) assert.equal(hex(blake3.digestBytes(bytesOf(n, n))), expected(bytesOf(n, n)), `length ${n}`);
    });

    it('equals blake3-wasm for 1 to 64 chunks in one call, the last one of every length class', async () => {
      // The one-call path hashes chunks four at a time with the last, maybe short chunk in
      // the last group (or alone): every count of chunks modulo four, every way the last
      // chunk can end (in its first block, on a block boundary, one past it, full).
      const blake3 = await load(file);
      const all = bytesOf(WINDOW_BYTES, 5);
      for (let chunks = 1; chunks <= 64; chunks++) {
        for (const last of [1, 2, 63, 64, 65, 511, 512, 513, 960, 961, 1023, 1024]) {
          const n = (chunks - 1) * 1024 + last;
          assert.equal(hex(blake3.digestBytes(all.subarray(0, n))), expected(all.subarray(0, n)), `${chunks} chunks, the last of ${last} bytes`);
        }
      }
    });

    it('gives the same hash whether the bytes come in one window or in pieces through the incremental hasher', async () => {
      const blake3 = await load(file);
      const pieceSizes = [[1], [63, 64, 65], [1000, 1025, 7], [WINDOW_BYTES], [WINDOW_BYTES - 1, 3], [4097, 50_000, 1]];
      for (const n of [0, 1, 64, 65, 1024, 1025, 4096, 4097, 20_000, WINDOW_BYTES, WINDOW_BYTES + 1, 300_001]) {
        const bytes = bytesOf(n, 3);
        for (const sizes of pieceSizes) {
          if (sizes[0] === 1 && n > 5000) continue;
          assert.equal(blake3.semHashOf(inPieces(sizes), bytes), expectedSemHash(bytes), `length ${n} in pieces of ${sizes}`);
        }
      }
    });

    it('hashes nested inside hashes (each depth its own frame), growing the memory for deeper frames', async () => {
      const blake3 = await load(file);
      const before = blake3.memoryBytes;
      const inner: string[] = [];
      // Each level writes half its bytes, hashes the next level (which fills its own window
      // more than once), then writes the rest: the outer bytes must survive the inner hash.
      const level = (depth: number) => (bytes: Uint8Array, w: ByteWindow): void => {
        const half = bytes.length >> 1;
        inPieces([777])(bytes.subarray(0, half), w);
        if (depth < 6) {
          const deeper = bytesOf(150_000 + depth, depth);
          inner.push(blake3.semHashOf(level(depth + 1), deeper));
          assert.equal(inner.at(-1), expectedSemHash(deeper), `depth ${depth + 1}`);
          assert.equal(hex(blake3.digestBytes(bytesOf(5000 + depth))), expected(bytesOf(5000 + depth)), `digestBytes at depth ${depth + 1}`);
        }
        inPieces([WINDOW_BYTES])(bytes.subarray(half), w);
      };
      const outer = bytesOf(200_000, 99);
      assert.equal(blake3.semHashOf(level(0), outer), expectedSemHash(outer));
      assert.equal(inner.length, 6);
      assert.ok(blake3.memoryBytes > before, 'deeper frames grew the memory');
      const grown = blake3.memoryBytes;
      assert.equal(blake3.semHashOf(level(0), outer), expectedSemHash(outer), 'again, in the frames already there');
      assert.equal(blake3.memoryBytes, grown);
    });

    it('starts over cleanly after a hash that threw half-way', async () => {
      const blake3 = await load(file);
      const bytes = bytesOf(200_000);
      assert.throws(() => blake3.semHashOf((b: Uint8Array, w) => { inPieces([WINDOW_BYTES])(b, w); throw new Error('stop'); }, bytes), /stop/);
      assert.equal(blake3.semHashOf(inPieces([1000]), bytes.subarray(0, 1500)), expectedSemHash(bytes.subarray(0, 1500)));
    });
  });
}

describe('hash() with a toJSON that hashes another value', () => {
  it('gives each value its own hash, as if hashed apart', async () => {
    const hasher = await loadHasher();
    const big = Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `item ${i}` })); // spans windows
    const seen: string[] = [];
    const nested = (depth: number): unknown => ({
      depth,
      toJSON() {
        seen.push(hasher.hash(depth < 4 ? { inner: nested(depth + 1), big } : big));
        return { depth, big };
      },
    });
    const value = { before: big, nested: nested(0), after: 'x' };
    const withHashes = hasher.hash(value);
    assert.equal(withHashes, 'b3:' + expected(Buffer.from(canonicalize(value))));
    assert.ok(seen.length >= 5);
    assert.equal(seen.at(0), hasher.hash(big));
  });
});

describe('BLAKE3 of wasm/blake3.wasm against the native Rust program', () => {
  it('hashes the canonical text of strings of every length up to 3100 as Debian\'s blake3 crate does', { timeout: 600_000 }, async (t) => {
    const native = buildNative();
    if ('missing' in native) return t.skip(`not built: ${native.missing}`);
    const blake3 = await load('blake3.wasm');
    const texts = Array.from({ length: 3099 }, (_, n) => JSON.stringify(String.fromCharCode(...Array.from({ length: n }, (_, i) => 0x61 + ((i * 7) % 26)))));
    const got = nativeHashes(native.binary, texts);
    texts.forEach((text, i) => assert.equal(got[i]?.hash, 'b3:' + hex(blake3.digestBytes(Buffer.from(text))), `${text.length} bytes`));
  });
});
