import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MplError } from '../../src/errors/index.ts';
import { canonicalize, loadHasher } from '../../src/hashing/index.ts';

/** Asserts that `fn` throws E-NON-CANONICAL naming `path` in its message and details. */
function refuses(fn: () => unknown, path: string, reason: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof MplError, `expected an MplError, got ${String(error)}`);
    assert.equal(error.code, 'E-NON-CANONICAL');
    assert.equal(error.details['path'], path);
    assert.ok(error.message.includes(path || '(the top level)'), error.message);
    assert.match(error.message, reason);
    return true;
  });
}

describe('canonicalize: objects and arrays', () => {
  it('sorts keys by code point, astral characters above U+E000..U+FFFF', () => {
    assert.equal(canonicalize({ '😀': 1, '\uffff': 2, '\ue000': 3, a: 4, '': 5 }), '{"":5,"a":4,"\ue000":3,"\uffff":2,"😀":1}');
    assert.equal(canonicalize({ b: 1, a: 2, '10': 3, '9': 4, '1': 5 }), '{"1":5,"10":3,"9":4,"a":2,"b":1}');
  });

  it('drops null and undefined members, keeps nulls in arrays', () => {
    assert.equal(canonicalize({ a: null, b: undefined, c: [null, undefined, 1] }), '{"c":[null,null,1]}');
  });

  it('treats __proto__, constructor and toString as ordinary keys', () => {
    const value: unknown = JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"toString":"x"}');
    assert.equal(canonicalize(value), '{"__proto__":{"polluted":true},"constructor":1,"toString":"x"}');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('sees values as JSON.stringify sends them: toJSON, wrappers, functions and symbols', () => {
    const when = new Date('2024-03-01T14:00:00Z');
    assert.equal(canonicalize({ when }), '{"when":"2024-03-01T14:00:00.000Z"}');
    assert.equal(canonicalize({ n: new Number(2), s: new String(' x '), b: new Boolean(false) }), '{"b":false,"n":2,"s":"x"}');
    assert.equal(canonicalize({ f() {}, s: Symbol('s'), [Symbol('k')]: 1, a: [() => 1, Symbol('t')] }), '{"a":[null,null]}');
    assert.equal(canonicalize({ k: { toJSON: (key: string) => `key ${key}` } }), '{"k":"key k"}');
    assert.equal(canonicalize([{ toJSON: (key: string) => key }]), '["0"]');
    assert.equal(canonicalize({ gone: { toJSON: () => undefined }, nul: { toJSON: () => null } }), '{}');
    assert.equal(canonicalize(new Map([['a', 1]])), '{}');
  });

  it('unwraps wrappers wherever they stand, subclasses too, and nothing else, in the text and in the hash', async () => {
    class Amount extends Number {}
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: new Boolean(true) });
    const value = {
      top: new Amount(1.5),
      list: [new Number(3), new String(' y '), new Boolean(false), new Amount(-2)],
      bare,
      tagged: Object.assign(new Number(7), { extra: 'ignored, as JSON.stringify does' }),
      plain: { valueOf: () => 9 },
    };
    const text = '{"bare":{"a":true,"b":1},"list":[3,"y",false,-2],"plain":{},"tagged":7,"top":1.5}';
    assert.equal(canonicalize(value), text);
    const hasher = await loadHasher();
    assert.equal(hasher.hash(value), hasher.hash(JSON.parse(text)));
    assert.throws(() => canonicalize({ big: Object(1n) }), MplError);
    assert.throws(() => hasher.hash({ big: Object(1n) }), MplError);
  });

  it('writes shared (non-cyclic) objects each time they appear', () => {
    const shared = { x: 1 };
    assert.equal(canonicalize({ a: shared, b: [shared, shared] }), '{"a":{"x":1},"b":[{"x":1},{"x":1}]}');
  });
});

describe('canonicalize: strings', () => {
  it('trims Unicode White_Space, including U+0085, U+2028 and U+3000', () => {
    assert.equal(canonicalize(' \t\n\u0085\u00a0\u2028\u2029\u3000x y\u202f\u205f\u1680\u2000\u200a '), '"x y"');
  });

  it('keeps U+FEFF and U+180E, which are not White_Space', () => {
    assert.equal(canonicalize('\ufeffbom\ufeff'), '"\ufeffbom\ufeff"');
    assert.equal(canonicalize('\u180e'), '"\u180e"');
  });

  it('does not trim keys', () => {
    assert.equal(canonicalize({ ' k ': ' v ' }), '{" k ":"v"}');
  });

  it('escapes as JSON: quotes, backslash, control characters in lowercase hex; U+007F and U+2028 as themselves', () => {
    assert.equal(canonicalize('a"b\\c\b\f\n\r\t\u0001\u001f\u007f\u2028é😀'), '"a\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028é😀"');
    assert.equal(canonicalize({ 'a\nb': 1 }), '{"a\\nb":1}');
  });
});

describe('canonicalize: numbers', () => {
  const cases: [number, string][] = [
    [0, '0'], [-0, '0'], [1, '1'], [-1, '-1'], [1e16, '10000000000000000'],
    [2 ** 53, '9007199254740992'], [2 ** 53 + 2, '9007199254740994'],
    [-1926994005962254080, '-1926994005962254080'], [2 ** 62, '4611686018427387904'],
    [2 ** 63, '9.223372036854776e+18'], [-(2 ** 63), '-9.223372036854776e+18'], [1e20, '1e+20'],
    [12345678901234567000, '1.2345678901234565e+19'], [2 ** 63 - 1024, '9223372036854774784'],
    [0.1, '0.1'], [2.5, '2.5'], [-2.5, '-2.5'], [12.5, '12.5'], [0.0012, '0.0012'],
    [2.0000001, '2.0'], [0.9999995, '1.0'], [-0.9999995, '-1.0'],
    [1e-7, '0.0'], [-1e-7, '-0.0'], [5e-7, '1e-6'], [-5e-7, '-1e-6'], [0.0000015, '2e-6'], [0.00001, '0.00001'],
    [0.0000025, '3e-6'], [1.0000005, '1.000001'], [-1.0000005, '-1.000001'],
    [123456789012345.67, '123456789012345.67'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-1.7976931348623157e308, '-1.7976931348623157e+308'], [5e-324, '0.0'],
  ];
  for (const [input, text] of cases) {
    // The legacy layout is the same text without the + of a positive exponent.
    const legacy = text.replace('e+', 'e');
    it(`writes ${Object.is(input, -0) ? '-0' : input} as ${text}${legacy === text ? '' : ` (legacy: ${legacy})`}`, () => {
      assert.equal(canonicalize(input), text);
      assert.equal(canonicalize(input, { hashLayout: 'current' }), text);
      assert.equal(canonicalize(input, { hashLayout: 'legacy' }), legacy);
    });
  }
});

describe('canonicalize: refusals name the JSON Pointer path', () => {
  it('NaN and ±Infinity', () => {
    refuses(() => canonicalize({ items: [0, 1, 2, { price: NaN }] }), '/items/3/price', /NaN/);
    refuses(() => canonicalize([Infinity]), '/0', /Infinity/);
    refuses(() => canonicalize(-Infinity), '', /-Infinity/);
  });

  it('lone surrogates in strings and in keys', () => {
    refuses(() => canonicalize({ a: ['ok', 'x\ud800'] }), '/a/1', /lone surrogate/);
    refuses(() => canonicalize({ a: { 'k\udc00': 1 } }), '/a', /key "k\\udc00".*lone surrogate/);
  });

  it('BigInt, top-level undefined, functions and symbols', () => {
    refuses(() => canonicalize({ big: 10n }), '/big', /bigint/);
    refuses(() => canonicalize(undefined), '', /undefined/);
    refuses(() => canonicalize(() => 1), '', /function/);
    refuses(() => canonicalize(Symbol('s')), '', /symbol/);
  });

  it('cycles, however deep', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    refuses(() => canonicalize({ root: a }), '/root/self', /cycle/);
    const list: unknown[] = [];
    list.push({ back: list });
    refuses(() => canonicalize(list), '/0/back', /cycle/);
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 100; i++) deep = (deep['n'] = {}) as Record<string, unknown>;
    deep['loop'] = top;
    assert.throws(() => canonicalize(top), (e: unknown) => e instanceof MplError && /cycle/.test(e.message) && String(e.details['path']).endsWith('/loop'));
  });

  it('takes shared references (the same object twice, not inside itself) for what they are, at any depth', async () => {
    const hasher = await loadHasher();
    let inner: unknown = 1;
    for (let i = 0; i < 40; i++) inner = [inner];
    const shared = [inner];
    let chain: unknown = shared;
    for (let i = 0; i < 40; i++) chain = [chain];
    for (const value of [[shared, chain], { a: shared, b: { c: chain }, d: [shared, shared] }]) {
      const text = JSON.stringify(value);
      assert.equal(canonicalize(value), text);
      assert.equal(hasher.hash(value), hasher.hash(JSON.parse(text)));
    }
  });

  it('escapes ~ and / in path segments', () => {
    refuses(() => canonicalize({ 'a/b': { '~c': NaN } }), '/a~1b/~0c', /NaN/);
  });

  it('lets a toJSON error through untouched', () => {
    const boom = new Error('boom');
    assert.throws(() => canonicalize({ x: { toJSON() { throw boom; } } }), (e) => e === boom);
  });
});

describe('canonicalize: deep nesting', () => {
  it('handles 10,000 and 100,000 levels of arrays and objects without a stack overflow', async () => {
    const hasher = await loadHasher();
    for (const depth of [10_000, 100_000]) {
      let array: unknown = 1;
      let object: unknown = 1;
      for (let i = 0; i < depth; i++) {
        array = [array];
        object = { k: object };
      }
      assert.equal(canonicalize(array), '['.repeat(depth) + '1' + ']'.repeat(depth));
      assert.equal(canonicalize(object), '{"k":'.repeat(depth) + '1' + '}'.repeat(depth));
      assert.match(hasher.hash(object), /^b3:[0-9a-f]{64}$/);
    }
  });
});
