/**
 * The canonical JSON text of a string (conformance rules 3 and 6): Unicode White_Space
 * trimmed from both ends, then JSON escaping. `undefined` when the string holds a lone
 * surrogate, which UTF-8 (and so the reference) cannot hold.
 */
export function canonicalString(s: string): string | undefined {
  let end = s.length;
  if (end !== 0 && (isWhiteSpace(s.charCodeAt(0)) || isWhiteSpace(s.charCodeAt(end - 1)))) {
    let start = 0;
    while (start < end && isWhiteSpace(s.charCodeAt(start))) start++;
    while (end > start && isWhiteSpace(s.charCodeAt(end - 1))) end--;
    s = s.slice(start, end);
  }
  return isWellFormed(s) ? JSON.stringify(s) : undefined;
}

/** The JSON text of an object key: keys are not trimmed. `undefined` for a lone surrogate. */
export function canonicalKey(key: string): string | undefined {
  return isWellFormed(key) ? JSON.stringify(key) : undefined;
}

/** True when `s` holds a UTF-16 surrogate code unit (so code-point order may differ from code-unit order). */
export function hasSurrogate(s: string): boolean {
  return SURROGATE.test(s);
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type MaybeWellFormed = { isWellFormed?: () => boolean };
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as MaybeWellFormed).isWellFormed === 'function'
    ? (s) => (s as MaybeWellFormed).isWellFormed!()
    : (s) => !LONE_SURROGATE.test(s);

/** Unicode White_Space (which, unlike `String.prototype.trim`, has U+0085 and lacks U+FEFF). */
function isWhiteSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}
