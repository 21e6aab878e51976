// The semantic hash of the three shared payloads: this SDK's hash() (the built bundle, as
// users get it) against a straightforward exact JavaScript port written here (recursive
// canonical string, TextEncoder, one-shot wasm hash), side by side in one run.
import { readFileSync } from 'node:fs';
import { loadHasher } from '../../dist/node.js';

const NATIVE_US: Record<string, number> = { small: 0.64, medium: 13.1, large: 2460 }; // reference core, from issue 3

// ---- The baseline: a straightforward exact port --------------------------------------
const WS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${WS}+|${WS}+$`, 'g');
function portNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error('no canonical form');
  if (Number.isInteger(x) && Math.abs(x) < 2 ** 63) return Number.isSafeInteger(x) ? String(x) : BigInt(x).toString();
  const scaled = x * 1e6;
  const r = Number.isFinite(scaled) ? (Math.sign(scaled) * Math.round(Math.abs(scaled))) / 1e6 : x;
  if (r === 0) return Object.is(r, -0) ? '-0.0' : '0.0';
  const a = Math.abs(r);
  if (a >= 1e-5 && a < 1e16) return Number.isInteger(r) ? `${r}.0` : String(r);
  return r.toExponential(); // the current layout: 1e+20
}
function codePointCompare(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}
function portCanonical(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return portNumber(v);
  if (typeof v === 'string') return JSON.stringify(v.replace(TRIM, ''));
  if (Array.isArray(v)) return '[' + v.map(portCanonical).join(',') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== null && o[k] !== undefined).sort(codePointCompare);
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + portCanonical(o[k])).join(',') + '}';
}
// One-shot BLAKE3 with the same wasm, its own instance: copy all bytes in, hash, read 32 out.
const wasm = (await WebAssembly.instantiate(readFileSync(new URL('../../dist/blake3.wasm', import.meta.url)), {
  wbg: { __wbindgen_throw: () => { throw new Error('wasm panic'); } },
})).instance.exports as unknown as { memory: WebAssembly.Memory; __wbindgen_malloc(n: number): number; hash(p: number, n: number, o: number, m: number): void };
const outPtr = wasm.__wbindgen_malloc(32);
const encoder = new TextEncoder();
function portHash(v: unknown): string {
  const bytes = encoder.encode(portCanonical(v));
  const ptr = wasm.__wbindgen_malloc(bytes.length);
  new Uint8Array(wasm.memory.buffer).set(bytes, ptr);
  wasm.hash(ptr, bytes.length, outPtr, 32);
  return 'b3:' + Array.from(new Uint8Array(wasm.memory.buffer, outPtr, 32), (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- Timing ----------------------------------------------------------------------------
function nsPerOp(fn: () => unknown, minMs = 1500): number {
  for (let i = 0; i < 50; i++) fn(); // warm up
  (globalThis as { gc?: () => void }).gc?.();
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  let batch = 1;
  while (elapsed < minMs) {
    for (let i = 0; i < batch; i++) fn();
    runs += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = performance.now() - start;
  }
  return (elapsed * 1e6) / runs;
}

const hasher = await loadHasher();
const rows: string[][] = [];
for (const name of ['small', 'medium', 'large']) {
  const payload: unknown = JSON.parse(readFileSync(new URL(`../fixtures/bench/${name}.json`, import.meta.url), 'utf8'));
  const expected = portHash(payload);
  if (hasher.hash(payload) !== expected) throw new Error(`${name}: hash() and the port disagree`);
  const bytes = encoder.encode(portCanonical(payload)).length;
  const ours = nsPerOp(() => hasher.hash(payload));
  const port = nsPerOp(() => portHash(payload));
  const mbps = (ns: number) => ((bytes / ns) * 1e3).toFixed(0);
  const native = NATIVE_US[name]! * 1e3;
  rows.push([
    name, String(bytes), ours.toFixed(0), mbps(ours), port.toFixed(0), mbps(port),
    (port / ours).toFixed(2) + 'x', native.toFixed(0), (native / ours).toFixed(2) + 'x',
  ]);
}

const header = ['payload', 'canon B', 'hash() ns/op', 'MB/s', 'port ns/op', 'MB/s', 'vs port', 'native ns', 'vs native'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log('vs port / vs native: how many times faster hash() is (native: mpl-protocol 0.1.2 in Rust, issue 3)');
