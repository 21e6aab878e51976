// The bench's native baseline (test/bench/native) does the reference's whole job: on the
// 600 vectors in the legacy layout (Debian's serde_json 1.0.87 writes `1e20`), its canonical
// text and hash match byte for byte, and so they do on 20,000 random awkward values a run
// (test/support/awkward-json.ts; 140,000 of them at three seeds when this was written).
// Skipped, saying why, where cargo or the Debian crates are missing (.ci/run installs the crates).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { canonicalize, loadHasher } from '../../src/hashing/index.ts';
import { buildNative, nativeHashes, timeNative } from '../bench/native/baseline.ts';
import { json, wellFormed } from '../support/awkward-json.ts';
import { vectorSets } from '../support/vectors.ts';

describe('native baseline of the hash bench', () => {
  it('gives the legacy canonical text and hash of all 600 vectors', { timeout: 600_000 }, (t) => {
    const native = buildNative(); // a first build takes a while
    if ('missing' in native) return t.skip(`not built: ${native.missing}`);
    const vectors = vectorSets.legacy;
    assert.equal(vectors.length, 600);
    const got = nativeHashes(native.binary, vectors.map((v) => v.input));
    const wrong = vectors.filter((v, i) => got[i]?.canonical !== v.canonical || got[i]?.hash !== v.hash);
    assert.deepEqual(wrong.map((v) => v.input), []);
  });

  it('writes the canonical text and hash of random awkward values byte for byte as hash() does (legacy layout)', { timeout: 600_000 }, async (t) => {
    const native = buildNative();
    if ('missing' in native) return t.skip(`not built: ${native.missing}`);
    const hasher = await loadHasher();
    // A new seed each run, printed on failure, so that runs over time cover more values.
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    const values = fc.sample(json.filter(wellFormed), { numRuns: 20_000, seed });
    const got = nativeHashes(native.binary, values.map((v) => JSON.stringify(v)));
    const wrong = values.flatMap((value, i) => {
      const canonical = canonicalize(value, { hashLayout: 'legacy' });
      const hash = hasher.hash(value, { hashLayout: 'legacy' });
      return canonical === got[i]!.canonical && hash === got[i]!.hash ? [] : [{ json: JSON.stringify(value), ours: canonical, native: got[i]!.canonical }];
    });
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${values.length} differ (FC_SEED=${seed} repeats this run)`);
  });

  it('differs from the current layout where the layouts differ (so the legacy match above is not vacuous)', { timeout: 600_000 }, (t) => {
    const native = buildNative();
    if ('missing' in native) return t.skip(`not built: ${native.missing}`);
    const current = vectorSets.current;
    const got = nativeHashes(native.binary, current.map((v) => v.input));
    const differing = current.filter((v, i) => got[i]?.hash !== v.hash).length;
    assert.equal(differing, current.filter((v, i) => v.hash !== vectorSets.legacy[i]!.hash).length);
    assert.ok(differing > 0);
  });

  it('says which clock it timed on: its process\'s CPU time on 64-bit Linux', { timeout: 600_000 }, (t) => {
    const native = buildNative();
    if ('missing' in native) return t.skip(`not built: ${native.missing}`);
    const small = fileURLToPath(new URL('../fixtures/bench/small.json', import.meta.url));
    const [timing] = timeNative(native.binary, 20, [small]);
    assert.equal(timing!.clock, process.platform === 'linux' && process.arch === 'x64' ? 'cpu' : timing!.clock);
    assert.ok(timing!.nsPerCall > 0 && timing!.nsPerCall < 1e6, String(timing!.nsPerCall));
    assert.match(timing!.hash, /^b3:[0-9a-f]{64}$/);
  });

  it('times BLAKE3 of the canonical bytes alone in its blake3 mode, printing that hash: the BLAKE3 of the bytes hash() writes', { timeout: 600_000 }, async (t) => {
    const native = buildNative();
    if ('missing' in native) return t.skip(`not built: ${native.missing}`);
    const hasher = await loadHasher();
    const names = ['small', 'medium'];
    const files = names.map((name) => fileURLToPath(new URL(`../fixtures/bench/${name}.json`, import.meta.url)));
    const timings = timeNative(native.binary, 20, files, 'blake3');
    const whole = timeNative(native.binary, 20, files);
    for (const [i, file] of files.entries()) {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const bytes = new TextEncoder().encode(canonicalize(value, { hashLayout: 'legacy' }));
      const hex = Array.from(hasher.blake3(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
      assert.equal(timings[i]!.hash, `b3:${hex}`, names[i]);
      // The canonical bytes' BLAKE3 is the semantic hash: the two modes hash the same bytes.
      assert.equal(timings[i]!.hash, whole[i]!.hash, names[i]);
      assert.ok(timings[i]!.nsPerCall > 0, String(timings[i]!.nsPerCall));
    }
  });
});
