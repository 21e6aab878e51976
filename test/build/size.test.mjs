// The bundle-size budget (the README's "Bundle size" section gives the reasoning): what a
// web agent downloads before its first validated, hashed message must stay small enough
// to go unnoticed. Sizes are esbuild-minified, gzip -9, as a consumer's bundler ships them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureEntry, measureWasm } from './size.mjs';

/** Bytes, min+gzip. */
export const BUDGET = {
  /** JS loaded at start-up, per entry: the entry and everything it imports statically. */
  startup: 48 * 1024,
  /** Any one chunk loaded on demand (validator engine, embedded registry, inlined-wasm fallback). */
  chunk: 24 * 1024,
  /** The BLAKE3 module, fetched and compiled on the first hash. */
  wasm: 16 * 1024,
  /** Everything a page loads for its first validated, hashed send: start-up + on-demand chunks + wasm, without the inlined-wasm fallback (used only where the .wasm file cannot be fetched). */
  firstMessage: 72 * 1024,
};

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const isInlineFallback = (chunk) => chunk.name.includes('blake3-inline');

describe('bundle size budget (min+gzip)', () => {
  for (const runtime of ['browser', 'workerd']) {
    it(`${runtime} entry: start-up ≤ ${kb(BUDGET.startup)}, each on-demand chunk ≤ ${kb(BUDGET.chunk)}, first message ≤ ${kb(BUDGET.firstMessage)} with the wasm`, async (t) => {
      const m = await measureEntry(runtime);
      const wasm = measureWasm();
      const firstMessage = m.startup.gzip + m.chunks.filter((c) => !isInlineFallback(c)).reduce((sum, c) => sum + c.gzip, 0) + wasm.gzip;
      t.diagnostic(`${runtime} ${m.entry}: start-up ${m.startup.min} B min, ${m.startup.gzip} B min+gzip (${kb(m.startup.gzip)})`);
      for (const c of m.chunks) t.diagnostic(`  on demand ${c.name}: ${c.min} B min, ${c.gzip} B min+gzip (${kb(c.gzip)})`);
      t.diagnostic(`  first validated, hashed message: ${firstMessage} B (${kb(firstMessage)}) incl. blake3.wasm ${wasm.gzip} B gzip`);
      assert.ok(m.startup.gzip > 0);
      assert.ok(m.startup.gzip <= BUDGET.startup, `start-up ${m.startup.gzip} B > budget ${BUDGET.startup} B`);
      for (const c of m.chunks) assert.ok(c.gzip <= BUDGET.chunk, `${c.name}: ${c.gzip} B > budget ${BUDGET.chunk} B`);
      assert.ok(firstMessage <= BUDGET.firstMessage, `first message ${firstMessage} B > budget ${BUDGET.firstMessage} B`);
    });
  }

  it(`blake3.wasm ≤ ${kb(BUDGET.wasm)} gzip`, (t) => {
    const w = measureWasm();
    t.diagnostic(`blake3.wasm: ${w.raw} B, ${w.gzip} B gzip (${kb(w.gzip)})`);
    assert.ok(w.gzip <= BUDGET.wasm, `${w.gzip} B > budget ${BUDGET.wasm} B`);
  });
});
