import { ErrorCode } from '../errors/codes.ts';
import { MplError } from '../errors/mpl-error.ts';
import { canonicalNumber } from './canonical-number.ts';
import { canonicalString, keyInfo, type KeyInfo } from './canonical-string.ts';
import { layoutOf, type HashLayout, type HashOptions } from './hash-layout.ts';

/**
 * The canonical form of a JSON value, exactly as the reference MPL core writes it:
 * `null` members dropped, keys in code-point order, strings trimmed of Unicode
 * White_Space, numbers rounded to 6 decimals in the reference's float layout, no
 * whitespace between tokens. The value is seen as `JSON.stringify` would send it
 * (`toJSON`, `undefined` members dropped, `undefined` in arrays as `null`).
 * Numbers of magnitude ≥ 2^63 follow `options.hashLayout` (default `'current'`: `1e+20`).
 *
 * @throws MplError `E-NON-CANONICAL` for what has no canonical form (NaN, ±Infinity,
 *   lone surrogates, BigInt, cycles, top-level `undefined`), naming its JSON Pointer path;
 *   `E-INVALID-ARGUMENT` for an unknown `hashLayout`.
 * @example
 * canonicalize({ b: 2, a: ' x ', c: null, n: 2.0000001 }); // '{"a":"x","b":2,"n":2.0}'
 * canonicalize({ big: 1e20 }); // '{"big":1e+20}'
 * canonicalize({ big: 1e20 }, { hashLayout: 'legacy' }); // '{"big":1e20}'
 */
export function canonicalize(value: unknown, options?: HashOptions): string {
  const text = new TextSink(layoutOf(options, 'canonicalize'));
  walkCanonical(value, text);
  return text.out;
}

/** Collects the canonical form as text. */
class TextSink implements CanonicalSink {
  out = '';
  readonly #layout: HashLayout;

  constructor(layout: HashLayout) {
    this.#layout = layout;
  }

  scalar(value: unknown): string | undefined {
    if (typeof value === 'string') {
      const text = canonicalString(value);
      if (text === undefined) return LONE_SURROGATE;
      this.out += text;
    } else {
      const text = typeof value === 'number' ? canonicalNumber(value, this.#layout)
        : typeof value === 'boolean' || value === null ? String(value)
        : undefined;
      if (text === undefined) return noJsonForm(value);
      this.out += text;
    }
    return undefined;
  }

  mark(mark: string): void {
    this.out += mark;
  }

  key(key: KeyInfo, comma: boolean): void {
    this.out += comma ? key.nextText : key.text;
  }
}

/** Why a string cannot be written. */
export const LONE_SURROGATE = 'a string with a lone surrogate has no UTF-8 form';

/** Why a value that is not a string cannot be written. */
export function noJsonForm(value: unknown): string {
  return typeof value === 'number' ? `${value} has no JSON form` : `a ${typeof value} has no JSON form`;
}

/** Where the explicit-stack walk writes the canonical form: text (`canonicalize`) or UTF-8 bytes (hashing). @internal */
export interface CanonicalSink {
  /** Writes a value that is not a container; returns why not if it has no canonical form. */
  scalar(value: unknown): string | undefined;
  /** Writes `[`, `]`, `{`, `}` or `,`. */
  mark(mark: '[' | ']' | '{' | '}' | ','): void;
  /** Writes `"key":`, after a `,` unless it is the first member. */
  key(key: KeyInfo, comma: boolean): void;
}

interface Frame {
  readonly container: Record<string, unknown>;
  /** The keys of an object in canonical order; `undefined` for an array. */
  readonly keys: readonly KeyInfo[] | undefined;
  readonly length: number;
  /** Index of the next member or element to visit. */
  next: number;
  /** Whether an object member has been written (a `,` goes before the next one). */
  wrote: boolean;
}

/** Depth from which ancestors are tracked in a Set to find cycles (shallower walks skip that cost). */
const CYCLE_CHECK_DEPTH = 32;

/**
 * Walks `root` without recursion (any depth works), writing its canonical form into
 * `sink`; finds cycles and refuses what has no canonical form, naming its path.
 * (Hashing walks recursively first, with `writeCanonicalBytes`, and comes here only for
 * deep values and refusals.)
 * @internal
 */
export function walkCanonical(root: unknown, sink: CanonicalSink): void {
  const stack: Frame[] = [];
  let ancestors: Set<object> | undefined;
  let value = jsonView(root, '');
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    throw refusal(stack, `a top-level ${typeof value} has no JSON form`);
  }
  for (;;) {
    // Write `value`.
    if (typeof value === 'object' && value !== null) {
      if (stack.length >= CYCLE_CHECK_DEPTH) {
        ancestors ??= new Set(stack.map((f) => f.container));
        if (ancestors.has(value)) throw refusal(stack, 'a cycle (the value contains itself)', firstRepeat(stack));
        ancestors.add(value);
      }
      const container = value as Record<string, unknown>;
      if (Array.isArray(container)) {
        sink.mark('[');
        stack.push({ container, keys: undefined, length: container.length, next: 0, wrote: false });
      } else {
        const keys = sortedKeys(container) ?? badKey(container, stack);
        sink.mark('{');
        stack.push({ container, keys, length: keys.length, next: 0, wrote: false });
      }
    } else {
      const reason = sink.scalar(value);
      if (reason !== undefined) throw refusal(stack, reason);
    }
    // Find the next value to write, closing finished containers.
    let found = false;
    while (!found && stack.length !== 0) {
      const frame = stack[stack.length - 1]!;
      const { container, keys } = frame;
      if (keys === undefined) {
        if (frame.next < frame.length) {
          const index = frame.next++;
          if (index !== 0) sink.mark(',');
          value = jsonView(container[index], index);
          if (value === undefined || typeof value === 'function' || typeof value === 'symbol') value = null;
          found = true;
        } else {
          sink.mark(']');
          close(stack, ancestors);
        }
      } else {
        while (frame.next < frame.length) {
          const key = keys[frame.next++]!;
          const member = jsonView(container[key.key], key.key);
          if (member === null || member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
          sink.key(key, frame.wrote);
          frame.wrote = true;
          value = member;
          found = true;
          break;
        }
        if (!found) {
          sink.mark('}');
          close(stack, ancestors);
        }
      }
    }
    if (!found) return;
  }
}

/**
 * Closes the innermost container. Once tracked, ancestors leave the set whatever their
 * depth: a container that was open when the set was made and is closed now is no
 * ancestor any more, and meeting it again (a shared, not cyclic, reference) is fine.
 */
function close(stack: Frame[], ancestors: Set<object> | undefined): void {
  const frame = stack.pop()!;
  if (ancestors !== undefined) ancestors.delete(frame.container);
}

/** What `JSON.stringify` serializes in place of `value`: the result of `toJSON`, wrappers unwrapped. */
export function jsonView(value: unknown, key: string | number): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, String(key));
    // The wrappers, by `instanceof` alone: V8 compiles each to a walk of the prototype chain
    // in place, where `Object.getPrototypeOf` (a first test for a plain object) calls the runtime.
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (value instanceof Number) return Number(value);
      if (value instanceof String) return String(value);
      if (value instanceof Boolean || value instanceof BigInt) return value.valueOf();
    }
  }
  return value;
}

/** An object's own keys in canonical order, and where each stands among them in the object's own order. */
export interface KeyOrder {
  /** The keys in code-point order. */
  readonly sorted: readonly KeyInfo[];
  /** `order[i]` is the index of `sorted[i]` in `Object.keys` (and so of its value in `Object.values`). */
  readonly order: readonly number[];
}

/** The key order of an object shape (its own keys, in their order), remembered for the next objects of that shape. */
interface Shape extends KeyOrder {
  readonly keys: readonly string[];
}

/** Shapes by their first key; each list holds at most `SHAPES_PER_FIRST_KEY`. */
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;
const SHAPE_LIMIT = 2048;
const SHAPES_PER_FIRST_KEY = 64;
/** Objects with more keys are sorted every time (their key lists are not worth keeping). */
const SHAPE_MAX_KEYS = 64;
const NO_KEYS: KeyOrder = { sorted: [], order: [] };

/**
 * Own enumerable keys in code-point order; `undefined` if a key holds a lone surrogate
 * (see {@link badKey}).
 */
export function sortedKeys(object: Record<string, unknown>): readonly KeyInfo[] | undefined {
  return keyOrder(Object.keys(object))?.sorted;
}

/**
 * The canonical order of an object's own keys (`keys`, as `Object.keys` gives them, kept by
 * this function); `undefined` if a key holds a lone surrogate. Objects with the same keys in
 * the same order (a list of records) share one answer.
 */
export function keyOrder(keys: readonly string[]): KeyOrder | undefined {
  const n = keys.length;
  if (n === 0) return NO_KEYS;
  if (n > SHAPE_MAX_KEYS) return sortKeys(keys);
  const first = keys[0]!;
  const last = keys[n - 1]!;
  let bucket = shapes.get(first);
  if (bucket !== undefined) {
    search: for (let b = 0; b < bucket.length; b++) {
      const shape = bucket[b]!;
      const known = shape.keys;
      if (known.length !== n || known[n - 1] !== last) continue;
      for (let i = 1; i < n - 1; i++) if (known[i] !== keys[i]) continue search;
      return shape;
    }
  }
  const found = sortKeys(keys);
  if (found === undefined) return undefined;
  if (shapeCount >= SHAPE_LIMIT) {
    shapes.clear();
    shapeCount = 0;
    bucket = undefined;
  }
  if (bucket === undefined) shapes.set(first, (bucket = []));
  const shape: Shape = { keys, ...found };
  if (bucket.length < SHAPES_PER_FIRST_KEY) {
    bucket.push(shape);
    shapeCount++;
  } else {
    bucket[shapeCount % SHAPES_PER_FIRST_KEY] = shape;
  }
  return shape;
}

/** The refusal of an object that `sortedKeys` found a key with a lone surrogate in. */
function badKey(object: Record<string, unknown>, stack: Frame[]): never {
  const key = Object.keys(object).find((k) => keyInfo(k) === undefined);
  throw refusal(stack, `the key ${JSON.stringify(key)} holds a lone surrogate, which has no UTF-8 form`);
}

/** The code-point order of `keys`; `undefined` if a key holds a lone surrogate. */
function sortKeys(keys: readonly string[]): KeyOrder | undefined {
  const n = keys.length;
  const infos: KeyInfo[] = new Array<KeyInfo>(n);
  const order: number[] = new Array<number>(n);
  let astral = false;
  let highBmp = false;
  for (let i = 0; i < n; i++) {
    const info = keyInfo(keys[i]!);
    if (info === undefined) return undefined;
    astral ||= info.astral;
    highBmp ||= info.highBmp;
    infos[i] = info;
    order[i] = i;
  }
  // UTF-16 order equals code-point order unless surrogates meet U+E000..U+FFFF.
  if (astral && highBmp) order.sort((a, b) => compareCodePoints(infos[a]!.key, infos[b]!.key));
  else if (n > 24) order.sort((a, b) => compareUnits(infos[a]!.key, infos[b]!.key));
  else insertionSort(order, infos);
  return { sorted: order.map((i) => infos[i]!), order };
}

function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `order` (indices into `infos`) put in the UTF-16 order of their keys; quicker than `Array.prototype.sort` for the few keys most objects have. */
function insertionSort(order: number[], infos: readonly KeyInfo[]): void {
  for (let i = 1; i < order.length; i++) {
    const at = order[i]!;
    const key = infos[at]!.key;
    let j = i - 1;
    if (infos[order[j]!]!.key <= key) continue;
    do {
      order[j + 1] = order[j]!;
      j--;
    } while (j >= 0 && infos[order[j]!]!.key > key);
    order[j + 1] = at;
  }
}

/** Code-point (UTF-8 byte) order: a surrogate pair sorts above every BMP character. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (U+D800..U+DFFF, the halves of code points above U+FFFF) above U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;
}

function refusal(stack: Frame[], reason: string, depth = stack.length): MplError {
  const path = pointer(stack, depth);
  return new MplError(ErrorCode.NonCanonical, `No canonical form at ${path || '(the top level)'}: ${reason}`, {
    details: { path },
  });
}

/** How many frames lead to the first container that is its own ancestor (where a cycle is first seen). */
function firstRepeat(stack: Frame[]): number {
  const seen = new Set<object>();
  for (let depth = 0; depth < stack.length; depth++) {
    if (seen.has(stack[depth]!.container)) return depth;
    seen.add(stack[depth]!.container);
  }
  return stack.length;
}

/** The JSON Pointer (RFC 6901) of the value visited `depth` frames down: `/items/3/price`. */
function pointer(stack: Frame[], depth: number): string {
  let path = '';
  for (let i = 0; i < depth; i++) {
    const frame = stack[i]!;
    const segment = frame.keys === undefined ? String(frame.next - 1) : frame.keys[frame.next - 1]!.key;
    path += '/' + segment.replaceAll('~', '~0').replaceAll('/', '~1');
  }
  return path;
}
