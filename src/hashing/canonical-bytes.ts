import { canonicalNumber, millionths } from './canonical-number.ts';
import { NEEDS_CARE, canonicalString, isWhiteSpace, trimWhiteSpace, type KeyInfo } from './canonical-string.ts';
import { LONE_SURROGATE, jsonView, noJsonForm, keyOrder, walkCanonical } from './canonicalize.ts';
import type { HashLayout } from './hash-layout.ts';

/**
 * A writable stretch of memory that canonical UTF-8 bytes go into: `heap[pos..end)` is free.
 * `reserve(n)` makes room for `n` bytes (at most `WINDOW_BYTES`), handing what was written
 * on and renewing `heap` when needed. Read `heap` again after every `reserve` and after
 * anything that may run user code (`toJSON`), which may grow the memory behind it.
 * @internal
 */
export interface ByteWindow {
  heap: Uint8Array;
  /** The same memory as `heap`, for writing four bytes at once (renewed with it). */
  view: DataView;
  pos: number;
  end: number;
  reserve(n: number): void;
  /** Forgets every byte written so far (the walk starts over). */
  restart(): void;
}

/** Size of the staging window; what one `reserve` may ask for at most. */
export const WINDOW_BYTES = 65_536;
/** Strings longer than this (UTF-16 units) are written in pieces through `TextEncoder`. */
const LONG_STRING = 8_192;
const PIECE_UNITS = 16_384;
/** From this length on, `TextEncoder.encodeInto` beats the loop below despite its call cost. */
const NATIVE_FROM = 48;

const encoder = new TextEncoder();
/** 1 for the ASCII characters a string holds as they are (no control character, quote or backslash). */
const PLAIN_ASCII = Uint8Array.from({ length: 128 }, (_, c) => (c < 0x20 || c === 0x22 || c === 0x5c ? 0 : 1));

/** Nesting that the recursive walk handles; deeper values are walked with an explicit stack. */
const RECURSION_LIMIT = 200;
/** Thrown by the recursive walk to start over with the explicit-stack one. Never escapes. */
const START_OVER = new Error('start over');

/**
 * Writes the UTF-8 bytes of the canonical text of `root` into `window`: the same bytes
 * as `canonicalize(root, { hashLayout: layout })` encoded, without building that string.
 * Refuses what `canonicalize` refuses, with the same messages and paths, at any depth.
 *
 * A recursive walk (quickest) writes values nested up to `RECURSION_LIMIT` levels. For
 * anything else (deeper values, cycles, values with no canonical form) it gives up,
 * and the explicit-stack walk starts over: it has no depth limit and names the path.
 * (A `toJSON` met before that point then runs twice, as with two `JSON.stringify` calls.)
 * @internal
 */
export function writeCanonicalBytes(root: unknown, window: ByteWindow, layout: HashLayout = 'current'): void {
  try {
    writeValue(window, jsonView(root, ''), 0, layout);
  } catch (error) {
    if (error !== START_OVER) throw error;
    window.restart();
    walkCanonical(root, {
      scalar: (value) => writeScalar(window, value, layout),
      mark: (mark) => writeByte(window, mark.charCodeAt(0)),
      key: (key, comma) => writeKey(window, key, comma),
    });
  }
}

function writeValue(w: ByteWindow, value: unknown, depth: number, layout: HashLayout): void {
  if (typeof value === 'object' && value !== null) {
    if (depth === RECURSION_LIMIT) throw START_OVER;
    if (Array.isArray(value)) writeArray(w, value, depth + 1, layout);
    else writeObject(w, value as Record<string, unknown>, depth + 1, layout);
  } else if (writeScalar(w, value, layout) !== undefined) {
    throw START_OVER;
  }
}

function writeArray(w: ByteWindow, array: unknown[], depth: number, layout: HashLayout): void {
  writeByte(w, 0x5b); // [
  const length = array.length;
  for (let i = 0; i < length; i++) {
    if (i !== 0) writeByte(w, 0x2c); // ,
    const raw = array[i];
    const item = typeof raw === 'string' || typeof raw === 'number' ? raw : jsonView(raw, i); // as in writeObject
    writeValue(w, item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, depth, layout);
  }
  writeByte(w, 0x5d); // ]
}

/**
 * The values are read by one `Object.values` (insertion order), not one keyed load per
 * member: across the many shapes of a payload those loads go megamorphic, and the one call
 * is quicker (4% on the medium payload). A getter that deletes a later member shortens the
 * list, and then the walk starts over (no other change to the object can move a value).
 */
function writeObject(w: ByteWindow, object: Record<string, unknown>, depth: number, layout: HashLayout): void {
  const known = keyOrder(Object.keys(object));
  if (known === undefined) throw START_OVER;
  const values = Object.values(object);
  const keys = known.sorted;
  const order = known.order;
  if (values.length !== keys.length) throw START_OVER;
  writeByte(w, 0x7b); // {
  let wrote = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const raw = values[order[i]!];
    // Strings and numbers, most members, have no toJSON to look for (JSON.stringify looks on objects only).
    const member = typeof raw === 'string' || typeof raw === 'number' ? raw : jsonView(raw, key.key);
    if (member === null || member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    writeKey(w, key, wrote);
    wrote = true;
    writeValue(w, member, depth, layout);
  }
  writeByte(w, 0x7d); // }
}

/**
 * Writes a value that is not a container; returns why not if it has no canonical form.
 * Tests of `typeof value` against each name rather than a `switch` on it: V8 compiles each
 * such test to a check of the value, where a `switch` first calls a builtin for the name.
 */
function writeScalar(w: ByteWindow, value: unknown, layout: HashLayout): string | undefined {
  if (typeof value === 'string') return writeString(w, value) ? undefined : LONE_SURROGATE;
  if (typeof value === 'number') {
    let n: number | undefined;
    if ((value | 0) === value) {
      writeInt32(w, value);
    } else if (!Number.isInteger(value) && (n = millionths(value)) !== undefined) {
      writeMillionths(w, n);
    } else {
      const text = canonicalNumber(value, layout);
      if (text === undefined) return noJsonForm(value);
      writeAscii(w, text);
    }
    return undefined;
  }
  if (typeof value === 'boolean') {
    writeAscii(w, value ? 'true' : 'false');
    return undefined;
  }
  if (value === null) {
    writeAscii(w, 'null');
    return undefined;
  }
  return noJsonForm(value);
}

function writeByte(w: ByteWindow, byte: number): void {
  if (w.pos >= w.end) w.reserve(1);
  w.heap[w.pos++] = byte;
}

/**
 * `"key":` (already UTF-8), after a `,` unless it is the first member: four bytes a store.
 * The last store may write up to three bytes past the key, inside the room reserved; the
 * next write goes over them.
 */
function writeKey(w: ByteWindow, key: KeyInfo, comma: boolean): void {
  const words = key.words;
  const n = words.length;
  if (4 * n + 1 > WINDOW_BYTES) { // longer than a window: written in pieces like a long string
    writeText(w, comma ? key.nextText : key.text);
    return;
  }
  if (w.pos + 4 * n + 1 > w.end) w.reserve(4 * n + 1);
  const view = w.view;
  let pos = w.pos;
  if (comma) w.heap[pos++] = 0x2c;
  for (let i = 0; i < n; i++) view.setUint32(pos + 4 * i, words[i]!, true);
  w.pos = pos + key.byteLength;
}

/** Text known to be ASCII, shorter than the window (numbers, literals). */
function writeAscii(w: ByteWindow, text: string): void {
  const n = text.length;
  if (w.pos + n > w.end) w.reserve(n);
  const heap = w.heap;
  const pos = w.pos;
  for (let i = 0; i < n; i++) heap[pos + i] = text.charCodeAt(i);
  w.pos = pos + n;
}

/** The canonical text of a rounded float, from N = its value × 10^6 (see `millionths`). */
function writeMillionths(w: ByteWindow, n: number): void {
  if (w.pos + 18 > w.end) w.reserve(18);
  if (n < 0) {
    w.heap[w.pos++] = 0x2d; // -
    n = -n;
  }
  const whole = Math.floor(n / 1e6); // exact: n < 10^15, and n / 10^6 is no closer than 10^-6 to the next integer
  let fraction = (n - whole * 1e6) | 0; // below 10^6: int32 arithmetic from here
  writeInt32(w, whole);
  const heap = w.heap;
  let pos = w.pos;
  heap[pos++] = 0x2e; // .
  if (fraction === 0) {
    heap[pos++] = 0x30;
  } else {
    let digits = 6;
    while (fraction % 10 === 0) {
      fraction = (fraction / 10) | 0;
      digits--;
    }
    for (let i = digits - 1; i >= 0; i--) {
      const q = (fraction / 10) >>> 0;
      heap[pos + i] = 0x30 + fraction - q * 10;
      fraction = q;
    }
    pos += digits;
  }
  w.pos = pos;
}

function writeInt32(w: ByteWindow, x: number): void {
  if (w.pos + 11 > w.end) w.reserve(11);
  const heap = w.heap;
  let pos = w.pos;
  if (x < 0) {
    heap[pos++] = 0x2d; // -
    x = -x; // -2^31 stays exact as a double
  }
  const digits = x < 1e5
    ? (x < 10 ? 1 : x < 100 ? 2 : x < 1e3 ? 3 : x < 1e4 ? 4 : 5)
    : (x < 1e6 ? 6 : x < 1e7 ? 7 : x < 1e8 ? 8 : x < 1e9 ? 9 : 10);
  let at = pos + digits;
  w.pos = at;
  do {
    const q = (x / 10) >>> 0; // x ≤ 2^31
    heap[--at] = 0x30 + x - q * 10;
    x = q;
  } while (x !== 0);
}

/**
 * The canonical text of a string as UTF-8: trimmed, quoted, escaped. `false` for a lone
 * surrogate. Plain strings (no quote, backslash or control character) are encoded here
 * character by character, or by `TextEncoder` from `NATIVE_FROM` units on when they hold
 * no surrogate either; others go through `canonicalString` and `TextEncoder`.
 */
function writeString(w: ByteWindow, s: string): boolean {
  let n = s.length;
  if (n !== 0 && (isWhiteSpace(s.charCodeAt(0)) || isWhiteSpace(s.charCodeAt(n - 1)))) {
    s = trimWhiteSpace(s);
    n = s.length;
  }
  const room = n * 3 + 2;
  if (n > LONG_STRING) return writeText(w, canonicalString(s));
  if (n >= NATIVE_FROM && !NEEDS_CARE.test(s)) { // no escapes, no surrogates: TextEncoder
    if (w.pos + room > w.end) w.reserve(room);
    const at = w.pos;
    const written = encoder.encodeInto(s, w.heap.subarray(at + 1, at + room - 1)).written;
    const heap = w.heap;
    heap[at] = 0x22;
    heap[at + 1 + written] = 0x22;
    w.pos = at + written + 2;
    return true;
  }
  if (w.pos + room > w.end) w.reserve(room);
  const heap = w.heap;
  const view = w.view;
  let pos = w.pos;
  heap[pos++] = 0x22;
  let i = 0;
  // Four plain ASCII characters at a time while they last (one test for the four).
  for (; i + 4 <= n; i += 4, pos += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80 || (PLAIN_ASCII[c0]! & PLAIN_ASCII[c1]! & PLAIN_ASCII[c2]! & PLAIN_ASCII[c3]!) === 0) break;
    view.setUint32(pos, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), true);
  }
  for (; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (PLAIN_ASCII[c] === 0) return writeText(w, canonicalString(s));
      heap[pos++] = c;
    } else if (c < 0x800) {
      heap[pos++] = 0xc0 | (c >> 6);
      heap[pos++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      heap[pos++] = 0xe0 | (c >> 12);
      heap[pos++] = 0x80 | ((c >> 6) & 0x3f);
      heap[pos++] = 0x80 | (c & 0x3f);
    } else {
      const low = c <= 0xdbff && i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (low < 0xdc00 || low > 0xdfff) return false;
      i++;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      heap[pos++] = 0xf0 | (c >> 18);
      heap[pos++] = 0x80 | ((c >> 12) & 0x3f);
      heap[pos++] = 0x80 | ((c >> 6) & 0x3f);
      heap[pos++] = 0x80 | (c & 0x3f);
    }
  }
  heap[pos++] = 0x22;
  w.pos = pos;
  return true;
}

/** Any text as UTF-8, in pieces that fit the window (never splitting a surrogate pair). */
function writeText(w: ByteWindow, text: string | undefined): boolean {
  if (text === undefined) return false;
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + PIECE_UNITS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const room = (end - at) * 3;
    if (w.pos + room > w.end) w.reserve(room);
    const piece = at === 0 && end === text.length ? text : text.slice(at, end);
    w.pos += encoder.encodeInto(piece, w.heap.subarray(w.pos, w.pos + room)).written;
    at = end;
  }
  return true;
}
