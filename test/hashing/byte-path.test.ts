// hash() writes canonical UTF-8 straight into wasm memory, without the canonical string:
// its bytes must be exactly the UTF-8 of canonicalize(), wherever windows and pieces end.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MplError } from '../../src/errors/index.ts';
import { canonicalize, loadHasher, type HashOptions } from '../../src/hashing/index.ts';

// An independent BLAKE3: blake3-wasm's own Node build and glue.
const reference = createRequire(import.meta.url)('blake3-wasm/dist/node') as { hash(data: Uint8Array): Buffer };
const expectedHash = (value: unknown, options?: HashOptions) => 'b3:' + reference.hash(Buffer.from(canonicalize(value, options), 'utf8')).toString('hex');

const char = fc.constantFrom('a', 'Z', ' ', '\u00a0', '\u3000', 'é', 'ß', '東', '\uffff', '\ue000', '😀', '\u{10ffff}', '"', '\\', '\n', '\u0001', '\u007f', '\u2028', '/', '~');
const text = fc.array(char, { maxLength: 40 }).map((parts) => parts.join(''));
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(true, false, null, 0, -0, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, 2 ** 63, -(2 ** 63), 1e21, 0.1),
    fc.double({ min: 2 ** 63, noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 8 }),
    fc.dictionary(text, tie('value'), { maxKeys: 8 }),
  ),
})).value;

describe('hash() byte path', () => {
  it('equals BLAKE3 of the UTF-8 of canonicalize() for random values', async () => {
    const hasher = await loadHasher();
    fc.assert(fc.property(json, (value) => hasher.hash(value) === expectedHash(value)), { numRuns: 2000 });
  });

  it('equals it in the legacy layout too', async () => {
    const hasher = await loadHasher();
    const legacy = { hashLayout: 'legacy' } as const;
    fc.assert(fc.property(json, (value) => hasher.hash(value, legacy) === expectedHash(value, legacy)), { numRuns: 2000 });
  });

  it('equals it for many values spread over several windows', async () => {
    const hasher = await loadHasher();
    fc.assert(fc.property(fc.array(json, { minLength: 200, maxLength: 2000 }), (values) => hasher.hash(values) === expectedHash(values)), { numRuns: 30 });
  });

  it('equals it for strings around the long-string and window sizes, escaped or not', async () => {
    const hasher = await loadHasher();
    for (const length of [8191, 8192, 8193, 16_383, 16_384, 16_385, 21_845, 21_846, 65_536, 70_000]) {
      for (const unit of ['a', 'é', '東', '😀', '\n', '"a']) {
        const s = unit.repeat(Math.ceil(length / unit.length)); // whole units: no lone surrogate
        const value = ['x'.repeat(length % 997), s, { [s.slice(0, 300)]: s }];
        assert.equal(hasher.hash(value), expectedHash(value), `${length} × ${JSON.stringify(unit)}`);
      }
    }
  });

  it('equals it for keys of every length at every offset, and keys across window ends (keys are written four bytes a store)', async () => {
    const hasher = await loadHasher();
    for (let length = 0; length <= 40; length++) {
      for (let pad = 0; pad < 4; pad++) {
        const value = ['x'.repeat(pad), { ['k'.repeat(length)]: 1, ['é'.repeat(length)]: 'é', ['😀'.repeat(length)]: [] }];
        assert.equal(hasher.hash(value), expectedHash(value), `key length ${length}, pad ${pad}`);
      }
    }
    const records = Array.from({ length: 6000 }, (_, i) => ({ [`key_${i % 97}_${'é'.repeat(i % 7)}`]: i, z: 'v'.repeat(i % 5) }));
    assert.equal(hasher.hash(records), expectedHash(records));
  });

  it('writes a key longer than a window (64 KiB) in pieces, as it writes a long string', async () => {
    const hasher = await loadHasher();
    for (const key of ['k'.repeat(70_000), 'é'.repeat(40_000), 'x'.repeat(65_530)]) {
      const value = { a: 1, [key]: 'v', z: [key] };
      assert.equal(hasher.hash(value), expectedHash(value), `key of ${key.length} units`);
    }
  });

  it('refuses lone surrogates anywhere in a string, naming the path', async () => {
    const hasher = await loadHasher();
    for (const s of ['\ud800', 'a\udc00', 'é\ud83d', '\ud83dx', '東\ude00東', 'x'.repeat(9000) + '\ud800']) {
      assert.throws(() => hasher.hash({ list: [1, s] }), (e: unknown) => e instanceof MplError && e.code === 'E-NON-CANONICAL' && /\/list\/1/.test(e.message), JSON.stringify(s.slice(-3)));
    }
  });

  it('sorts objects of many shapes that share first and last keys (sorted lists are reused per shape)', async () => {
    const hasher = await loadHasher();
    const names = fc.uniqueArray(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzé東😀\uffff'.split(/(?:)/u)), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(fc.array(names, { minLength: 1, maxLength: 300 }), (shapes) => {
      const records = shapes.map((keys, i) => Object.fromEntries(['first', ...keys, 'last'].map((k) => [k, i])));
      const sortedByCodePoint = (keys: string[]) => [...keys].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
      const expected = '[' + records.map((r) => JSON.stringify(Object.fromEntries(sortedByCodePoint(Object.keys(r)).map((k) => [k, r[k]])))).join(',') + ']';
      return canonicalize(records) === expected && hasher.hash(records) === 'b3:' + reference.hash(Buffer.from(expected)).toString('hex');
    }), { numRuns: 100 });
  });

  it('refuses exactly as canonicalize() does: same code, message and path', async () => {
    const hasher = await loadHasher();
    const selfish: Record<string, unknown> = { name: 'a' };
    selfish['self'] = selfish;
    const list: unknown[] = [];
    list.push({ back: list });
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 300; i++) {
      const inner: Record<string, unknown> = {};
      deep[i % 2 ? 'n' : 'm/~'] = i % 3 ? inner : [0, inner];
      deep = inner;
    }
    deep['loop'] = top;
    let deepNaN: unknown = { x: [1, NaN] };
    for (let i = 0; i < 5000; i++) deepNaN = i % 2 ? [0, deepNaN] : { ['k' + i]: deepNaN, z: 1 };
    const bad: unknown[] = [
      { items: [0, 1, 2, { price: NaN }] }, [Infinity], -Infinity, { a: ['ok', 'x\ud800'] }, { a: { 'k\udc00': 1 } },
      { big: 10n }, undefined, () => 1, Symbol('s'), { root: selfish }, list, top, { 'a/b': { '~c': NaN } }, deepNaN,
      ['x'.repeat(70_000), { long: 'y'.repeat(9000) + '\udfff' }],
    ];
    for (const [i, value] of bad.entries()) {
      let expected: unknown;
      try {
        canonicalize(value);
      } catch (error) {
        expected = error;
      }
      assert.ok(expected instanceof MplError, `case ${i}: canonicalize refuses`);
      assert.throws(() => hasher.hash(value), (e: unknown) =>
        e instanceof MplError && e.code === expected.code && e.message === expected.message && e.details['path'] === expected.details['path'], `case ${i}`);
    }
  });

  it('starts over correctly when a value turns out deeper than the recursive walk goes, after windows were hashed', async () => {
    const hasher = await loadHasher();
    for (const depth of [199, 200, 201, 1000]) {
      let nested: unknown = 'bottom';
      for (let i = 0; i < depth; i++) nested = i % 2 ? [nested] : { k: nested };
      const value = ['é'.repeat(100_000), { toJSON: () => 'via toJSON' }, nested, 'z'.repeat(70_000), [1e20, { big: -(2 ** 64) }]];
      assert.equal(hasher.hash(value), expectedHash(value), `depth ${depth}`);
      const legacy = { hashLayout: 'legacy' } as const;
      assert.equal(hasher.hash(value, legacy), expectedHash(value, legacy), `depth ${depth}, legacy layout`);
      assert.notEqual(hasher.hash(value, legacy), hasher.hash(value));
    }
  });

  it('reads each member with its own key when a getter deletes a member of its object while it is hashed', async () => {
    // hash() reads an object's values in one Object.values call and pairs them with the
    // keys by position; a getter that deletes a later member shifts the positions.
    const hasher = await loadHasher();
    const make = () => {
      const object: Record<string, unknown> = {
        get x() {
          delete object['b'];
          return 1;
        },
        b: 2,
        c: 3,
      };
      return object;
    };
    assert.equal(JSON.stringify(make()), '{"x":1,"c":3}');
    assert.equal(hasher.hash(make()), hasher.hash({ c: 3, x: 1 }));
    assert.notEqual(hasher.hash({ c: 3, x: 1 }), hasher.hash({ b: 3, x: 1 })); // what pairing by position would give
    const nested = { list: [make()], after: 'z'.repeat(70_000) };
    const hash = hasher.hash(nested);
    assert.equal(hash, expectedHash(nested)); // b is gone by now, for canonicalize too
  });

  it('pairs values with keys however the keys sort against their insertion order', async () => {
    const hasher = await loadHasher();
    const keys = ['b', 'é', 'a', '😀', '\ue000', '10', '2', 'z', 'A', ''];
    const records = Array.from({ length: 40 }, (_, i) => Object.fromEntries(keys.slice(0, 1 + (i % keys.length)).map((k, j) => [k, `${k}:${i}:${j}`])));
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${(i * 37) % 100}`, i])); // past the shape cache
    for (const value of [...records, records, wide]) assert.equal(hasher.hash(value), expectedHash(value));
  });
});
