// Invariants of the semantic hash that need no oracle, over many random JSON values
// built from the awkward parts: keys that sort differently in UTF-16, prototype names,
// Unicode White_Space (and U+FEFF, which is not), numbers near rounding halves and
// near 2^53 and 2^63, huge and tiny floats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalize, loadHasher } from '../../src/hashing/index.ts';

const hasher = await loadHasher();
const RUNS = { numRuns: 1000 };

const WHITE_SPACE = ['\t', '\n', '\u000b', '\f', '\r', ' ', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];
const whiteSpace = fc.array(fc.constantFrom(...WHITE_SPACE), { maxLength: 3 }).map((a) => a.join(''));

const awkwardKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' k ', 'a', 'A', 'é', '1', '10', '9', '\ue000', '\uffff', '\uff5e', '😀', '😀a', '𝄞', '東京', '\n', '"', '\\', 'a/b', '~'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

const awkwardString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.tuple(whiteSpace, fc.constantFrom('x', '\ufeffbom', 'a b', '😀', '\u0001', ''), whiteSpace).map((p) => p.join('')),
);

const TWO_53 = 2 ** 53;
const TWO_63 = 2 ** 63;
const awkwardNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 1e6 + 5e-7), // near rounding halves
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => (n + 0.5) / 1e6),
  fc.integer({ min: -100, max: 100 }).map((n) => TWO_53 + n * 2),
  fc.integer({ min: -100, max: 100 }).map((n) => TWO_63 + n * 2048),
  fc.integer({ min: -100, max: 100 }).map((n) => -TWO_63 + n * 2048),
  fc.constantFrom(0, -0, 1e-7, -1e-7, 5e-7, 1e-5, 9.999999e-6, 1e16, 1e21, 1.7976931348623157e308, 5e-324, -5e-324),
  fc.double({ min: 1e300, max: 1.7976931348623157e308, noNaN: true }),
  fc.double({ min: -1e-300, max: 1e-300, noNaN: true }),
);

function object(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries); // own data properties, so "__proto__" stays a key
}

const { json } = fc.letrec<{ json: unknown; leaf: unknown; obj: Record<string, unknown>; arr: unknown[] }>((tie) => ({
  leaf: fc.oneof(awkwardString, awkwardNumber, fc.boolean(), fc.constant(null)),
  arr: fc.array(tie('json'), { maxLength: 4 }),
  obj: fc.uniqueArray(fc.tuple(awkwardKey, tie('json')), { maxLength: 5, selector: ([k]) => k }).map(object),
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('arr'), tie('obj')),
}));

/** Rebuilds `value` with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value !== null && typeof value === 'object') {
    return object(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
  }
  return value;
}

/** Adds null and undefined members under fresh keys, and wraps every string value in White_Space. */
function padded(value: unknown, pad: string): unknown {
  if (typeof value === 'string') return pad + value + pad.split('').reverse().join('');
  if (Array.isArray(value)) return value.map((v) => padded(v, pad));
  if (value !== null && typeof value === 'object') {
    const entries: [string, unknown][] = Object.entries(value).map(([k, v]) => [k, padded(v, pad)]);
    return object([['\u0000null', null], ...entries, ['\u0000undefined', undefined]]);
  }
  return value;
}

const wellFormed = (v: unknown) => JSON.stringify(v) !== undefined && !/\\ud[89a-f]/i.test(JSON.stringify(v));

describe('semantic hash properties (fast-check)', () => {
  it('does not depend on key order', () => {
    fc.assert(fc.property(json.filter(wellFormed), (v) => hasher.hash(v) === hasher.hash(reversed(v))), RUNS);
  });

  it('ignores null and undefined members and surrounding White_Space', () => {
    fc.assert(fc.property(json.filter(wellFormed), whiteSpace, (v, pad) => hasher.hash(v) === hasher.hash(padded(v, pad))), RUNS);
  });

  it('gives a value and what a receiver parses from its JSON the same hash', () => {
    fc.assert(fc.property(json.filter(wellFormed), (v) => {
      const received: unknown = JSON.parse(JSON.stringify(v));
      return canonicalize(v) === canonicalize(received) && hasher.hash(v) === hasher.hash(received);
    }), RUNS);
  });

  it('writes canonical text that is valid JSON with no whitespace between tokens', () => {
    fc.assert(fc.property(json.filter(wellFormed), (v) => {
      const text = canonicalize(v);
      JSON.parse(text);
      return !/\s/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
    }), RUNS);
  });

  it('keeps U+FEFF at the ends of strings', () => {
    fc.assert(fc.property(awkwardString.filter(wellFormed), (s) => canonicalize('\ufeff' + s).startsWith('"\ufeff')), RUNS);
  });

  it('writes a number in the two layouts alike but for the + of a positive exponent', () => {
    fc.assert(fc.property(awkwardNumber, (x) => {
      const current = canonicalize(x);
      const legacy = canonicalize(x, { hashLayout: 'legacy' });
      const exponent = /e\+\d+$/.test(current);
      return legacy === current.replace('e+', 'e') && exponent === Math.abs(x) >= TWO_63 && (exponent || legacy === current);
    }), RUNS);
  });

  it('verifies a hash made in either layout, and in one layout alone only where they agree', () => {
    fc.assert(fc.property(json.filter(wellFormed), (v) => {
      const current = hasher.hash(v);
      const legacy = hasher.hash(v, { hashLayout: 'legacy' });
      const same = canonicalize(v) === canonicalize(v, { hashLayout: 'legacy' });
      return current === hasher.hash(v, { hashLayout: 'current' }) && (current === legacy) === same
        && hasher.verify(v, current) && hasher.verify(v, legacy)
        && hasher.verify(v, legacy, { hashLayout: 'current' }) === same
        && hasher.verify(v, current, { hashLayout: 'legacy' }) === same
        && hasher.verify(v, legacy, { hashLayout: 'legacy' });
    }), RUNS);
  });

  it('sorts keys in code-point (UTF-8 byte) order', () => {
    fc.assert(fc.property(fc.uniqueArray(awkwardKey.filter(wellFormed), { maxLength: 8 }), (keys) => {
      const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
      return canonicalize(object(keys.map((k) => [k, 1]))) === `{${sorted.map((k) => `${JSON.stringify(k)}:1`).join(',')}}`;
    }), RUNS);
  });
});
