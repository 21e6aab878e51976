// The bundle-size budget (see the README's "Bundle size" section for the reasoning):
// what a web agent downloads before its first message must stay small enough to go unnoticed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureEntry, measureWasm } from './size.mjs';

/** Bytes, minified + gzip -9. */
export const BUDGET = {
  /** JS run at start-up, per entry: everything but on-demand chunks. */
  startup: 40 * 1024,
  /** Chunks loaded only on demand (the inlined-wasm fallback for runtimes that cannot fetch the file). */
  lazy: 24 * 1024,
  /** The BLAKE3 module, fetched and compiled on the first hash. */
  wasm: 16 * 1024,
};

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

describe('bundle size budget (min+gzip)', () => {
  for (const runtime of ['browser', 'workerd']) {
    it(`${runtime} entry: start-up JS ≤ ${kb(BUDGET.startup)}, on-demand chunks ≤ ${kb(BUDGET.lazy)}`, async (t) => {
      const m = await measureEntry(runtime);
      t.diagnostic(`${runtime} ${m.entry}: start-up ${m.startup.min} B min, ${m.startup.gzip} B min+gzip (${kb(m.startup.gzip)}); on demand ${m.lazy.gzip} B min+gzip`);
      assert.ok(m.startup.gzip > 0);
      assert.ok(m.startup.gzip <= BUDGET.startup, `start-up ${m.startup.gzip} B > budget ${BUDGET.startup} B`);
      assert.ok(m.lazy.gzip <= BUDGET.lazy, `on-demand ${m.lazy.gzip} B > budget ${BUDGET.lazy} B`);
    });
  }

  it(`blake3.wasm ≤ ${kb(BUDGET.wasm)} gzip`, (t) => {
    const w = measureWasm();
    t.diagnostic(`blake3.wasm: ${w.raw} B, ${w.gzip} B gzip`);
    assert.ok(w.gzip <= BUDGET.wasm, `${w.gzip} B > budget ${BUDGET.wasm} B`);
  });
});
