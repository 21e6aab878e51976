import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as source from '../../src/hashing/index.ts';

interface Vector { input: string; canonical: string; hash: string }
const vectors: Vector[] = readFileSync(new URL('../fixtures/canonical-vectors.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Vector);

type HashingApi = Pick<typeof source, 'canonicalize' | 'semanticHash' | 'loadHasher' | 'verifyHash'>;

function conformance(name: string, load: () => Promise<HashingApi>): void {
  describe(`the 600 reference vectors (${name})`, () => {
    it('are all there', () => assert.equal(vectors.length, 600));

    it('give the exact canonical text', async () => {
      const { canonicalize } = await load();
      const wrong = vectors.filter((v) => canonicalize(JSON.parse(v.input)) !== v.canonical);
      assert.deepEqual(wrong.map((v) => v.input), []);
    });

    it('give the exact hash through semanticHash and a loaded hasher', async () => {
      const { semanticHash, loadHasher, verifyHash } = await load();
      const hasher = await loadHasher();
      const wrong: string[] = [];
      for (const v of vectors) {
        const value: unknown = JSON.parse(v.input);
        if ((await semanticHash(value)) !== v.hash || hasher.hash(value) !== v.hash || !(await verifyHash(value, v.hash))) {
          wrong.push(v.input);
        }
      }
      assert.deepEqual(wrong, []);
    });
  });
}

conformance('TypeScript sources', async () => source);
conformance('built bundle dist/index.js', async () => (await import('../../dist/index.js')) as HashingApi);
conformance('built bundle dist/node.js', async () => (await import('../../dist/node.js')) as HashingApi);
