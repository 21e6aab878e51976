// Invariants of the semantic hash that need no oracle, over many random JSON values
// built from the awkward parts (test/support/awkward-json.ts). The native build of the
// reference's algorithm is the oracle in native-baseline.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalize, loadHasher } from '../../src/hashing/index.ts';
import { TWO_63, awkwardKey, awkwardNumber, awkwardString, json, object, wellFormed, whiteSpace } from '../support/awkward-json.ts';

const hasher = await loadHasher();
const RUNS = { numRuns: 1000 };

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
