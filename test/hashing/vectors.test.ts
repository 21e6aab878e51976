import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as source from '../../src/hashing/index.ts';
import type { HashLayout } from '../../src/hashing/index.ts';
import { vectorSets as sets } from '../support/vectors.ts';

const other = (layout: HashLayout): HashLayout => (layout === 'current' ? 'legacy' : 'current');

type HashingApi = Pick<typeof source, 'canonicalize' | 'semanticHash' | 'loadHasher' | 'verifyHash'>;

describe('the two vector files', () => {
  it('hold the same 600 inputs and differ only by the + of positive exponents, on 127 lines', () => {
    const { current, legacy } = sets;
    assert.equal(current.length, 600);
    assert.deepEqual(legacy.map((v) => v.input), current.map((v) => v.input));
    const differing = current.filter((v, i) => v.canonical !== legacy[i]!.canonical);
    assert.equal(differing.length, 127);
    current.forEach((v, i) => assert.equal(v.canonical.replace(/e\+/g, 'e'), legacy[i]!.canonical.replace(/e\+/g, 'e')));
  });
});

function conformance(name: string, load: () => Promise<HashingApi>): void {
  for (const layout of ['current', 'legacy'] as const) {
    const vectors = sets[layout];
    const options = { hashLayout: layout };
    describe(`the 600 reference vectors, ${layout} layout (${name})`, () => {
      it('are all there', () => assert.equal(vectors.length, 600));

      it('give the exact canonical text', async () => {
        const { canonicalize } = await load();
        const wrong = vectors.filter((v) => canonicalize(JSON.parse(v.input), options) !== v.canonical);
        assert.deepEqual(wrong.map((v) => v.input), []);
        if (layout === 'current') assert.deepEqual(vectors.filter((v) => canonicalize(JSON.parse(v.input)) !== v.canonical), [], 'the default layout is the current one');
      });

      it('give the exact hash through semanticHash and a loaded hasher, and verify in either layout', async () => {
        const { semanticHash, loadHasher, verifyHash } = await load();
        const hasher = await loadHasher();
        const wrong: string[] = [];
        for (const v of vectors) {
          const value: unknown = JSON.parse(v.input);
          const right = (await semanticHash(value, options)) === v.hash && hasher.hash(value, options) === v.hash
            && (layout === 'legacy' || (await semanticHash(value)) === v.hash)
            && (await verifyHash(value, v.hash)) && hasher.verify(value, v.hash)
            && (await verifyHash(value, v.hash, options)) && hasher.verify(value, v.hash, { hashLayout: 'either' });
          if (!right) wrong.push(v.input);
        }
        assert.deepEqual(wrong, []);
      });

      it('are refused in the other layout alone where the layouts differ', async () => {
        const { loadHasher, verifyHash } = await load();
        const hasher = await loadHasher();
        const differing = vectors.filter((v, i) => v.hash !== sets[other(layout)][i]!.hash);
        assert.equal(differing.length, 127);
        for (const v of differing) {
          const value: unknown = JSON.parse(v.input);
          assert.equal(hasher.verify(value, v.hash, { hashLayout: other(layout) }), false, v.input);
          assert.equal(await verifyHash(value, v.hash, { hashLayout: other(layout) }), false, v.input);
        }
      });
    });
  }
}

conformance('TypeScript sources', async () => source);
conformance('built bundle dist/index.js', async () => (await import('../../dist/index.js')) as HashingApi);
conformance('built bundle dist/node.js', async () => (await import('../../dist/node.js')) as HashingApi);
