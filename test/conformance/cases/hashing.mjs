// Semantic hashing: the 600 reference vectors of each hash layout (exact canonical text and
// exact hash) through canonicalize, semanticHash and a loaded hasher, verified in either
// layout; values with no canonical form refused.
import { assert } from '../harness.mjs';

const EMPTY_BLAKE3 = 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262';

/** The vector file of each layout: the current one (`1e+20`) and the legacy one (`1e20`). */
const FILES = { current: 'canonical-vectors.jsonl', legacy: 'canonical-vectors-legacy.jsonl' };

async function loadVectors(assetsUrl, file) {
  const response = await fetch(`${assetsUrl}/fixtures/${file}`);
  if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
  return (await response.text()).split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

/** Compares each vector; fails listing how many and the first few that differ. */
function expectAll(vectors, field, compute) {
  const wrong = [];
  for (const [i, v] of vectors.entries()) {
    let got;
    try { got = compute(v); } catch (error) { got = `threw ${error.name}: ${error.message}`; }
    if (got !== v[field]) wrong.push(`#${i + 1} ${v.input.slice(0, 60)} → ${String(got).slice(0, 80)} (want ${v[field].slice(0, 80)})`);
  }
  assert.ok(wrong.length === 0, `${wrong.length} of ${vectors.length} vectors differ:\n${wrong.slice(0, 5).join('\n')}`);
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export async function register(test, { sdk, env }) {
  const { canonicalize, semanticHash, verifyHash, loadHasher, MplError } = sdk;
  const sets = {
    current: await loadVectors(env.assetsUrl, FILES.current),
    legacy: await loadVectors(env.assetsUrl, FILES.legacy),
  };

  test('the two layouts differ on 127 of the 600 inputs, only by the + of positive exponents', () => {
    assert.deepEqual(sets.legacy.map((v) => v.input), sets.current.map((v) => v.input));
    const differing = sets.current.filter((v, i) => v.canonical !== sets.legacy[i].canonical);
    assert.equal(differing.length, 127);
    for (const [i, v] of sets.current.entries()) assert.equal(v.canonical.replaceAll('e+', 'e'), sets.legacy[i].canonical.replaceAll('e+', 'e'));
  });

  for (const [layout, vectors] of Object.entries(sets)) {
    const options = { hashLayout: layout };
    const otherLayout = layout === 'current' ? 'legacy' : 'current';

    test(`${layout} layout: the reference vectors are all there (600)`, () => {
      assert.equal(vectors.length, 600);
    });

    test(`${layout} layout: canonicalize gives the reference canonical text for all 600 vectors`, () => {
      expectAll(vectors, 'canonical', (v) => canonicalize(JSON.parse(v.input), options));
      if (layout === 'current') expectAll(vectors, 'canonical', (v) => canonicalize(JSON.parse(v.input)));
    });

    test(`${layout} layout: semanticHash gives the reference hash for all 600 vectors`, async () => {
      const hashes = [];
      for (const v of vectors) hashes.push(await semanticHash(JSON.parse(v.input), options));
      expectAll(vectors.map((v, i) => ({ ...v, got: hashes[i] })), 'hash', (v) => v.got);
    }, { timeoutMs: 60_000 });

    test(`${layout} layout: a loaded hasher hashes all 600 synchronously, verifies them in either layout, and computes raw BLAKE3`, async () => {
      const hasher = await loadHasher();
      expectAll(vectors, 'hash', (v) => hasher.hash(JSON.parse(v.input), options));
      expectAll(vectors, 'hash', (v) => (hasher.verify(JSON.parse(v.input), v.hash) ? v.hash : 'refused'));
      const first = vectors[0];
      assert.equal(hasher.verify(JSON.parse(first.input), first.hash), true);
      assert.equal(hasher.verify(JSON.parse(first.input), vectors[1].hash), false);
      assert.equal(hex(hasher.blake3(new Uint8Array(0))), EMPTY_BLAKE3);
    }, { timeoutMs: 60_000 });

    test(`${layout} layout: verifyHash accepts all 600 reference hashes, and refuses them in the other layout alone where the layouts differ`, async () => {
      const wrong = [];
      for (const [i, v] of vectors.entries()) {
        const value = JSON.parse(v.input);
        const differs = v.hash !== sets[otherLayout][i].hash;
        if (!(await verifyHash(value, v.hash)) || !(await verifyHash(value, v.hash, options))
          || (await verifyHash(value, v.hash, { hashLayout: otherLayout })) === differs) wrong.push(`#${i + 1} ${v.input.slice(0, 60)}`);
      }
      assert.ok(wrong.length === 0, `${wrong.length} of 600 verified wrongly:\n${wrong.slice(0, 5).join('\n')}`);
      assert.equal(await verifyHash(JSON.parse(vectors[1].input), vectors[2].hash), false);
    }, { timeoutMs: 60_000 });
  }

  test('values with no canonical form are refused with an MplError, never hashed', async () => {
    const cycle = {};
    cycle.self = cycle;
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, { x: Number.NEGATIVE_INFINITY }, 'lone \uD800 surrogate', { ['\uDC00']: 1 }, cycle, 10n, undefined];
    for (const value of bad) {
      const error = assert.throws(() => canonicalize(value), `canonicalize should refuse ${String(typeof value)}`);
      assert.ok(error instanceof MplError, `an MplError, got ${error?.name}`);
      assert.equal(error.code, 'E-NON-CANONICAL');
      const rejected = await assert.rejects(semanticHash(value));
      assert.equal(rejected.code, 'E-NON-CANONICAL');
    }
  });
}
