/**
 * The canonical JSON text of a string (conformance rules 3 and 6): Unicode White_Space
 * trimmed from both ends, then JSON escaping. `undefined` when the string holds a lone
 * surrogate, which UTF-8 (and so the reference) cannot hold.
 */
export function canonicalString(s: string): string | undefined {
  const end = s.length;
  if (end !== 0 && (isWhiteSpace(s.charCodeAt(0)) || isWhiteSpace(s.charCodeAt(end - 1)))) s = trimWhiteSpace(s);
  return NEEDS_CARE.test(s) ? escaped(s) : '"' + s + '"';
}

/** What a key costs to write: its text (`"key":`) and whether it can upset UTF-16 sorting. */
export interface KeyInfo {
  readonly key: string;
  /** The key as JSON followed by `:`. */
  readonly text: string;
  /** The same after a `,`, for every member but the first. */
  readonly nextText: string;
  /** The UTF-8 bytes of `text`, four at a time: little-endian 32-bit words, the last one padded with zeros. */
  readonly words: Uint32Array;
  /** How many bytes `words` holds before the padding. */
  readonly byteLength: number;
  /** Holds a surrogate pair (code points above U+FFFF). */
  readonly astral: boolean;
  /** Holds a character in U+E000..U+FFFF, which UTF-16 order puts above the astral ones. */
  readonly highBmp: boolean;
}

const utf8 = new TextEncoder();
const keyInfos = new Map<string, KeyInfo>();
const KEY_CACHE_LIMIT = 4096;

/**
 * Facts about an object key (keys are not trimmed), remembered for the next objects with
 * the same keys. `undefined` for a key with a lone surrogate.
 */
export function keyInfo(key: string): KeyInfo | undefined {
  let info = keyInfos.get(key);
  if (info === undefined) {
    const text = NEEDS_CARE.test(key) ? escaped(key) : '"' + key + '"';
    if (text === undefined) return undefined;
    const bytes = utf8.encode(text + ':');
    info = {
      key, text: text + ':', nextText: ',' + text + ':', words: littleEndianWords(bytes), byteLength: bytes.length,
      astral: SURROGATE.test(key), highBmp: HIGH_BMP.test(key),
    };
    if (keyInfos.size >= KEY_CACHE_LIMIT) keyInfos.clear();
    keyInfos.set(key, info);
  }
  return info;
}

/** `bytes` as little-endian 32-bit words (what `DataView.setUint32(at, word, true)` writes back), zero-padded. */
function littleEndianWords(bytes: Uint8Array): Uint32Array {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  return Uint32Array.from({ length: padded.length / 4 }, (_, i) => view.getUint32(4 * i, true));
}

/** A quote, backslash, control character or surrogate: a closer look needed. */
export const NEEDS_CARE = /["\\\u0000-\u001f\ud800-\udfff]/;
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
const SURROGATE = /[\ud800-\udfff]/;
const HIGH_BMP = /[\ue000-\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type MaybeWellFormed = { isWellFormed?: () => boolean };
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as MaybeWellFormed).isWellFormed === 'function'
    ? (s) => (s as MaybeWellFormed).isWellFormed!()
    : (s) => !LONE_SURROGATE.test(s);

/** JSON text of a string that needs a closer look; `undefined` for a lone surrogate. */
function escaped(s: string): string | undefined {
  if (!isWellFormed(s)) return undefined;
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

export function trimWhiteSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWhiteSpace(s.charCodeAt(start))) start++;
  while (end > start && isWhiteSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Unicode White_Space (which, unlike `String.prototype.trim`, has U+0085 and lacks U+FEFF). */
export function isWhiteSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}
