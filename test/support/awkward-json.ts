// Random JSON values built from the parts a canonical form gets wrong first: keys that sort
// differently in UTF-16 and in code points, prototype names, Unicode White_Space (and
// characters that look like it but are not), numbers near rounding halves and near 2^53,
// 2^63 and 2^64, powers of ten on both sides of the exponent layouts, huge and tiny floats.
// Shared by the hash's property tests and its differential test against the native build.
import fc from 'fast-check';

/** Unicode White_Space: what the canonical form trims from the ends of strings. */
export const WHITE_SPACE = ['\t', '\n', '\u000b', '\f', '\r', ' ', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];
/** Characters that are not White_Space though some trimming functions take them for it. */
const NOT_WHITE_SPACE = ['\ufeff', '\u180e', '\u200b', '\u0000', '\u001f', '\u007f'];

export const whiteSpace = fc.array(fc.constantFrom(...WHITE_SPACE), { maxLength: 3 }).map((a) => a.join(''));

export const awkwardKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' k ', 'a', 'A', 'é', '1', '10', '9', '\ue000', '\uffff', '\uff5e', '😀', '😀a', '𝄞', '東京', '\n', '"', '\\', 'a/b', '~', '\u007f', '\u0000'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

export const awkwardString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.tuple(whiteSpace, fc.constantFrom('x', '\ufeffbom', 'a b', '😀', '\u0001', '', '\u2028x', ...NOT_WHITE_SPACE), whiteSpace).map((p) => p.join('')),
);

export const TWO_53 = 2 ** 53;
export const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;
export const awkwardNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 1e6 + 5e-7), // near rounding halves
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => (n + 0.5) / 1e6),
  fc.tuple(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 0, max: 999_999 })).map(([whole, n]) => whole + (n + 0.5) / 1e6),
  fc.integer({ min: -100, max: 100 }).map((n) => TWO_53 + n * 2),
  fc.integer({ min: -100, max: 100 }).map((n) => TWO_63 + n * 2048),
  fc.integer({ min: -100, max: 100 }).map((n) => -TWO_63 + n * 2048),
  fc.integer({ min: -100, max: 100 }).map((n) => TWO_64 + n * 4096),
  fc.integer({ min: -30, max: 30 }).map((e) => 10 ** e),
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 5, max: 25 })).map(([m, e]) => -m * 10 ** e),
  fc.constantFrom(0, -0, 1e-7, -1e-7, 5e-7, 1e-5, 9.999999e-6, 0.1, 0.7, 1.0000005, 2.5e-6, 123456789.1234565, 1e15, 1e16, 1e17, 1e21, 1.7976931348623157e308, 5e-324, -5e-324),
  fc.double({ min: 1e300, max: 1.7976931348623157e308, noNaN: true }),
  fc.double({ min: -1e-300, max: 1e-300, noNaN: true }),
);

/** An object with exactly these members, as own data properties (so `"__proto__"` stays a key). */
export function object(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

export const { json } = fc.letrec<{ json: unknown; leaf: unknown; obj: Record<string, unknown>; arr: unknown[] }>((tie) => ({
  leaf: fc.oneof(awkwardString, awkwardNumber, fc.boolean(), fc.constant(null)),
  arr: fc.array(tie('json'), { maxLength: 4 }),
  obj: fc.uniqueArray(fc.tuple(awkwardKey, tie('json')), { maxLength: 5, selector: ([k]) => k }).map(object),
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('arr'), tie('obj')),
}));

/** Whether `value` has a JSON text with no lone surrogate (what has a canonical form at all). */
export const wellFormed = (value: unknown): boolean => JSON.stringify(value) !== undefined && !/\\ud[89a-f]/i.test(JSON.stringify(value));
