// Which BLAKE3 build a runtime gets: the SIMD one wherever the SIMD probe validates (a
// broken probe would quietly send every runtime to the slower scalar build), else the
// scalar one from its own inlined chunk; in Bun on x86-64 the SIMD build with the four-chunk
// rounds as a loop (blake3-jsc.wasm). All give the same hashes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Blake3 } from '../../src/hashing/blake3.ts';
import { hasSimd, inlinedBytes, scalarInlinedBytes } from '../../src/hashing/wasm-loaders.ts';

const load = async (bytes: Uint8Array) => new Blake3((await WebAssembly.instantiate(bytes as BufferSource)).instance);
const wasmBytes = (file: string) => readFileSync(new URL(`../../wasm/${file}`, import.meta.url)).length;

/**
 * In a fresh Node process: loadHasher() with `WebAssembly.validate` answering `simd` for the
 * probe, after `setup` (code that makes it look like another runtime); which module it
 * instantiated, and a hash.
 */
function loadInChild(simd: boolean, setup = ''): { sizes: number[]; hash: string } {
  const script = `
    ${setup}
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => (bytes.byteLength < 100 ? ${simd} : validate(bytes));
    const sizes = [];
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = (source, imports) => {
      if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) sizes.push(source.byteLength);
      return instantiate(source, imports);
    };
    const { loadHasher } = await import(${JSON.stringify(fileURLToPath(new URL('../../src/hashing/index.ts', import.meta.url)))});
    const hash = (await loadHasher()).hash({ status: 'alive' });
    console.log(JSON.stringify({ sizes, hash }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' })) as { sizes: number[]; hash: string };
}

describe('the SIMD and scalar BLAKE3 builds', () => {
  it('the SIMD probe validates here (every Node version this package supports has WebAssembly SIMD)', () => {
    assert.equal(hasSimd(), true);
  });

  it('loadHasher() instantiates the SIMD build where the probe validates, the scalar build where it does not', { timeout: 60_000 }, () => {
    const withSimd = loadInChild(true);
    const without = loadInChild(false);
    assert.deepEqual(withSimd.sizes, [wasmBytes('blake3.wasm')]);
    assert.deepEqual(without.sizes, [wasmBytes('blake3-scalar.wasm')]);
    assert.equal(withSimd.hash, 'b3:9b9ac1ee8b9b03e61ed25dd0e4bf328bab3bd9ab0973993f77370ce7fa4a2386');
    assert.equal(without.hash, withSimd.hash);
  });

  it('loadHasher() in Bun on x86-64 instantiates blake3-jsc.wasm, in Bun on arm64 blake3.wasm (the runtime and arch as Bun shows them)', { timeout: 60_000 }, () => {
    const bunX64 = loadInChild(true, "globalThis.Bun = {}; Object.defineProperty(process, 'arch', { value: 'x64' });");
    const bunArm64 = loadInChild(true, "globalThis.Bun = {}; Object.defineProperty(process, 'arch', { value: 'arm64' });");
    const nodeX64 = loadInChild(true, "Object.defineProperty(process, 'arch', { value: 'x64' });");
    assert.deepEqual(bunX64.sizes, [wasmBytes('blake3-jsc.wasm')]);
    assert.deepEqual(bunArm64.sizes, [wasmBytes('blake3.wasm')]);
    assert.deepEqual(nodeX64.sizes, [wasmBytes('blake3.wasm')]);
    assert.equal(bunX64.hash, 'b3:9b9ac1ee8b9b03e61ed25dd0e4bf328bab3bd9ab0973993f77370ce7fa4a2386');
  });

  it('both inlined builds hash alike, across one-block, many-chunk and windowed inputs', async () => {
    const [simd, scalar] = [await load(await inlinedBytes()), await load(await scalarInlinedBytes())];
    for (const n of [0, 1, 64, 65, 1024, 3797, 4097, 70_000, 300_000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 13 + (i >>> 9)) & 255);
      assert.deepEqual(scalar.digestBytes(bytes), simd.digestBytes(bytes), `${n} bytes`);
    }
  });
});
