// The wasm memory never shrinks, so whatever it grows to stays: hashing must go through
// bounded chunks and free every hasher. These read the memory size of fresh hashers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadHasher } from '../../src/hashing/index.ts';
import { wasmMemoryBytes } from '../../src/hashing/semantic-hasher.ts';

const MB = 1024 * 1024;

describe('wasm memory', () => {
  it('stays under a few MB while hashing a 50 MB payload', async () => {
    const hasher = await loadHasher();
    const before = wasmMemoryBytes(hasher);
    const items = Array.from({ length: 50_000 }, (_, i) => ({ id: i, text: `${i} ${'é東😀x'.repeat(100)}`, price: i / 7 }));
    assert.match(hasher.hash({ items }), /^b3:[0-9a-f]{64}$/);
    hasher.hash('one string of 50 MB: ' + 'abcdé'.repeat(8_500_000));
    hasher.blake3(new Uint8Array(50 * MB));
    const after = wasmMemoryBytes(hasher);
    assert.ok(after <= before + 2 * MB && after < 4 * MB, `wasm memory grew from ${before} to ${after} bytes`);
  });

  it('does not grow over 1,000,000 small hashes', async () => {
    const hasher = await loadHasher();
    const payload = { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 };
    for (let i = 0; i < 1000; i++) hasher.hash({ ...payload, i });
    const before = wasmMemoryBytes(hasher);
    for (let i = 0; i < 1_000_000; i++) hasher.hash({ ...payload, i });
    assert.equal(wasmMemoryBytes(hasher), before);
  });

  it('does not grow over 5,000 streamed hashes, including ones that fail half-way', async () => {
    const hasher = await loadHasher();
    const streamed = Array.from({ length: 2000 }, (_, i) => `item ${i}`); // > one chunk: uses an incremental hasher
    for (let i = 0; i < 50; i++) hasher.hash(streamed);
    const before = wasmMemoryBytes(hasher);
    for (let i = 0; i < 5000; i++) {
      if (i % 2) hasher.hash([i, ...streamed]);
      else assert.throws(() => hasher.hash([...streamed, NaN]));
    }
    assert.equal(wasmMemoryBytes(hasher), before);
  });
});
