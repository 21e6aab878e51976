// The semantic hash of the three shared payloads: this SDK's hash() (the built bundle, as
// users get it) against the native baseline (test/bench/native: the reference's work per
// call in Rust, serde_json + BLAKE3, built here), in alternating rounds of one run. The
// ratio is the median over rounds of hash()'s time / native time within a round, so load
// from other processes shifts both sides alike. Without a Rust toolchain or the Debian
// crates the native columns say "not measured".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canonicalize, loadHasher } from '../../dist/node.js';
import { buildNative, timeNative } from './native/baseline.ts';
import { CLOCK, formatInterval, median, medianInterval, nsPerOp, printTable, range, verdict } from './timing.ts';

// Many short rounds rather than a few long ones: on a shared machine the load changes
// within seconds, and the closer in time the two sides of a round run, the more alike the
// load they meet; a median over more per-round ratios moves less with one disturbed round.
// So each payload's two cells run back to back (the side that goes first alternating), not
// all three payloads of one side and then all three of the other.
const ROUNDS = 21;
const MS_PER_CELL = 150;
const NAMES = ['small', 'medium', 'large'] as const;
/** Issue 14's goals on the median ratio hash() / native. */
const GOALS = [{ atMost: 1 }, { atMost: 1 }, { below: 1 }];

const files = NAMES.map((name) => fileURLToPath(new URL(`../fixtures/bench/${name}.json`, import.meta.url)));
const payloads: unknown[] = files.map((file) => JSON.parse(readFileSync(file, 'utf8')));
const hasher = await loadHasher();
const native = buildNative();
const canonicalBytes = payloads.map((p) => new TextEncoder().encode(canonicalize(p)).length);
// What the native program must print: Debian's serde_json writes the legacy layout.
const legacyHashes = payloads.map((p) => hasher.hash(p, { hashLayout: 'legacy' }));

/** Runs a round's two cells back to back, `js` first in even turns and `native` first in odd ones. */
function inTurn<N>(turn: number, js: () => number, native: () => N): [number, N] {
  if (turn % 2 === 0) {
    const jsNs = js();
    return [jsNs, native()];
  }
  const nativeNs = native();
  return [js(), nativeNs];
}

const js: number[][] = NAMES.map(() => []);
const nat: number[][] = NAMES.map(() => []);
const ratios: number[][] = NAMES.map(() => []);
/** The native program's clock, as it said (its CPU time, unless it could not read that). */
let nativeClock: 'cpu' | 'wall' | undefined;
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < NAMES.length; i++) {
    const runJs = (): number => nsPerOp(() => hasher.hash(payloads[i]), MS_PER_CELL);
    const runNative = (): number | undefined => {
      if ('missing' in native) return undefined;
      const [t] = timeNative(native.binary, MS_PER_CELL, [files[i]!]);
      if (t!.hash !== legacyHashes[i]) throw new Error(`${NAMES[i]}: hash() ${legacyHashes[i]} but native ${t!.hash}`);
      nativeClock = t!.clock;
      return t!.nsPerCall;
    };
    const [jsNs, nativeNs] = inTurn(round + i, runJs, runNative);
    js[i]!.push(jsNs);
    if (nativeNs !== undefined) {
      nat[i]!.push(nativeNs);
      ratios[i]!.push(jsNs / nativeNs);
    }
  }
}

const mbps = (bytes: number, ns: number): string => ((bytes / ns) * 1e3).toFixed(0);
const NOT = 'not measured';
printTable(
  ['payload', 'canonical B', 'hash() ns/op', 'MB/s', 'native ns/op', 'MB/s', 'hash() / native', '95% CI', 'goal', 'rounds: min–max', 'fastest cells: hash() / native'],
  NAMES.map((name, i) => {
    const ours = median(js[i]!);
    const ourCells = [name, String(canonicalBytes[i]), ours.toFixed(0), mbps(canonicalBytes[i]!, ours)];
    if (!nat[i]!.length) return [...ourCells, ...Array<string>(7).fill(NOT)];
    const theirs = median(nat[i]!);
    const fastest = (xs: number[]): number => Math.min(...xs);
    const interval = medianInterval(ratios[i]!);
    return [
      ...ourCells, theirs.toFixed(0), mbps(canonicalBytes[i]!, theirs),
      `${median(ratios[i]!).toFixed(2)}×`, formatInterval(interval), verdict(interval, GOALS[i]!), range(ratios[i]!),
      `${fastest(js[i]!).toFixed(0)} / ${fastest(nat[i]!).toFixed(0)} = ${(fastest(js[i]!) / fastest(nat[i]!)).toFixed(2)}×`,
    ];
  }),
);
const nativeClockName = nativeClock === 'wall' ? 'wall-clock time' : 'CPU time of the process';
const clocks = nativeClock === undefined || nativeClockName === CLOCK ? `${CLOCK} on both sides` : `${CLOCK} for hash(), ${nativeClockName} for native (the two clocks differ: compare with care)`;
console.log(`${clocks}; medians of ${ROUNDS} rounds, each payload's two cells of ${MS_PER_CELL} ms back to back (alternating which goes first) (the ratio: the median of the per-round ratios, with its 95% confidence interval, and the ratios' range); below 1.00× hash() is faster. Goal (on the median ratio): ≤ 1.00× on small and medium, < 1.00× on large, "met" when the whole interval meets it, "not met" when none of it does, "at the line" when this run cannot tell. The last column sets each side's fastest cell of the run against the other's, what each costs when the host disturbs it least.`);
console.log('native' + ('missing' in native
  ? `: not measured: ${native.missing}`
  : ': test/bench/native (Rust: canonical serde_json Value, serde_json::to_string, blake3::hash), crates from Debian, built --release'));

// ---- The last step alone: BLAKE3 of the canonical bytes (given, made before the clock starts)
// on each side, in rounds as above: where a difference in the whole comes from, the hash
// function (wasm with 128-bit SIMD against the blake3 crate's native code, which uses the
// widest instructions the CPU has) or the canonical form and the hash's text (the rest).
// No goal: the goals are on the whole.
if (!('missing' in native)) {
  const STEP_ROUNDS = 11;
  const bytes = payloads.map((p) => new TextEncoder().encode(canonicalize(p, { hashLayout: 'legacy' })));
  // The module the Node build loads, called as the hasher calls it: the bytes already in its
  // memory, one call that writes the hash and its text (`b3:` + hex) beside them.
  const wasm = (await WebAssembly.instantiate(readFileSync(new URL('../../dist/blake3.wasm', import.meta.url)))).instance.exports as {
    memory: WebAssembly.Memory; __heap_base: WebAssembly.Global; hash(input: number, length: number, out: number): void;
  };
  const input = Math.ceil(Number(wasm.__heap_base.value) / 64) * 64;
  const out = input + Math.ceil(Math.max(...bytes.map((b) => b.length)) / 64) * 64;
  const needed = out + 128 - wasm.memory.buffer.byteLength;
  if (needed > 0) wasm.memory.grow(Math.ceil(needed / 65_536));
  /** Puts payload i's bytes in place and hashes them once: `b3:` and the hex. */
  const blake3Text = (i: number): string => {
    new Uint8Array(wasm.memory.buffer).set(bytes[i]!, input);
    wasm.hash(input, bytes[i]!.length, out);
    return new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, out + 32, 67));
  };
  const ours: number[][] = NAMES.map(() => []);
  const theirs: number[][] = NAMES.map(() => []);
  const stepRatios: number[][] = NAMES.map(() => []);
  for (let round = 0; round < STEP_ROUNDS; round++) {
    for (let i = 0; i < NAMES.length; i++) {
      const expected = blake3Text(i); // the bytes in place, and the module checked against the native program
      const length = bytes[i]!.length;
      const runJs = (): number => nsPerOp(() => wasm.hash(input, length, out), MS_PER_CELL);
      const runNative = (): number => {
        const [t] = timeNative(native.binary, MS_PER_CELL, [files[i]!], 'blake3');
        if (t!.hash !== expected) throw new Error(`${NAMES[i]}: BLAKE3 ${expected} but native ${t!.hash}`);
        return t!.nsPerCall;
      };
      const [jsNs, nativeNs] = inTurn(round + i, runJs, runNative);
      ours[i]!.push(jsNs);
      theirs[i]!.push(nativeNs);
      stepRatios[i]!.push(jsNs / nativeNs);
    }
  }
  printTable(
    ['payload', 'BLAKE3 alone: wasm ns/op', 'native ns/op', 'wasm / native', '95% CI', 'the rest (whole − BLAKE3): hash() ns', 'native ns', 'hash() / native'],
    NAMES.map((name, i) => {
      const step = median(ours[i]!);
      const nativeStep = median(theirs[i]!);
      const rest = median(js[i]!) - step;
      const nativeRest = median(nat[i]!) - nativeStep;
      return [name, step.toFixed(0), nativeStep.toFixed(0), `${median(stepRatios[i]!).toFixed(2)}×`, formatInterval(medianInterval(stepRatios[i]!)),
        rest.toFixed(0), nativeRest.toFixed(0), `${(rest / nativeRest).toFixed(2)}×`];
    }),
  );
  console.log(`BLAKE3 of the canonical bytes alone: dist/blake3.wasm's hash() over the bytes in its memory (it writes the hash and its hex, as for hash()) against blake3::hash and its hex in the native program; ${STEP_ROUNDS} rounds of two ${MS_PER_CELL} ms cells as above; the rest is each side's median whole (the first table) less its median BLAKE3 (this one): the canonical form and the hash's text. No goal: where the whole's difference comes from.`);
}
