// The bundle-size budget (the README's "Bundle size" section gives the reasoning): what a
// web agent downloads before its first validated, hashed message must stay small enough
// to go unnoticed. Sizes are esbuild-minified, gzip -9, as a consumer's bundler ships them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUDGET, FIRST_MESSAGE_CHUNKS, ON_DEMAND, RE_EXPORTS, chunkIs, firstMessageChunks, measureEntry, measureWasm } from './size.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

describe('bundle size budget (min+gzip)', () => {
  for (const runtime of ['browser', 'workerd']) {
    it(`${runtime} entry: start-up ≤ ${kb(BUDGET.startup)} (${ON_DEMAND.join(', ')} on demand), each on-demand chunk ≤ ${kb(BUDGET.chunk)}, a WebSocket session's first message ≤ ${kb(BUDGET.firstMessage)} with the wasm`, async (t) => {
      const m = await measureEntry(runtime);
      const wasm = measureWasm();
      const firstChunks = firstMessageChunks(m);
      const firstMessage = m.startup.gzip + firstChunks.reduce((sum, c) => sum + c.gzip, 0) + wasm.gzip;
      t.diagnostic(`${runtime} ${m.entry}: start-up ${m.startup.min} B min, ${m.startup.gzip} B min+gzip (${kb(m.startup.gzip)})`);
      for (const c of m.chunks) t.diagnostic(`  on demand ${c.name}: ${c.min} B min, ${c.gzip} B min+gzip (${kb(c.gzip)})`);
      t.diagnostic(`  first validated, hashed message: ${firstMessage} B (${kb(firstMessage)}): start-up, ${firstChunks.map((c) => c.name).join(', ')}, blake3.wasm ${wasm.gzip} B gzip`);
      assert.ok(m.startup.gzip > 0);
      for (const name of [...ON_DEMAND, ...FIRST_MESSAGE_CHUNKS]) assert.ok(m.chunks.some((c) => chunkIs(c, name)), `${name} is not an on-demand chunk`);
      // Each file loaded on demand is one file, with its code, in the app too: not a few bytes
      // that re-export a chunk shared with another file, which loads only after them.
      const facades = m.chunks.filter((c) => c.name.endsWith(RE_EXPORTS));
      assert.deepEqual(facades.map((c) => c.name), [], 'no on-demand file is also imported by another');
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
