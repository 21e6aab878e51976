// The committed wasm/blake3.wasm, blake3-jsc.wasm and blake3-scalar.wasm are what wasm/build.mjs
// compiles from wasm/blake3.c: rebuilt here with clang (Debian's clang and lld; .ci/run
// installs them) and compared byte for byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script with no declarations
import { BUILDS, clangVersion, compile, inlineModule } from '../../wasm/build.mjs';

interface Build { file: string; inline?: string }
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url));

describe('wasm/blake3.c', () => {
  it('compiles to exactly the committed wasm files and inlined copies', { timeout: 120_000 }, (t) => {
    const clang = clangVersion() as string | undefined;
    if (clang === undefined) return t.skip('no clang here (.ci/run installs clang and lld from Debian)');
    for (const build of BUILDS as Build[]) {
      const bytes = compile(build) as Buffer;
      assert.ok(bytes.equals(read(`wasm/${build.file}`)), `wasm/${build.file} is not what ${clang} builds from wasm/blake3.c: run npm run build:wasm`);
      if (build.inline) assert.equal(read(`src/hashing/${build.inline}`).toString(), inlineModule(build, bytes), build.inline);
    }
  });
});
