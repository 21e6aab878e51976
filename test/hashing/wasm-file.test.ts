// The shipped BLAKE3 modules are the builds of wasm/blake3.c that wasm/blake3.wasm.json
// records, in every form the package carries them: wasm/, the inlined base64 chunks, and
// the build output. (wasm-build.test.ts compiles them again from the source.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { blake3WasmBase64 } from '../../src/hashing/blake3-inline.ts';
import { blake3ScalarWasmBase64 } from '../../src/hashing/blake3-scalar-inline.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const record = JSON.parse(read('wasm/blake3.wasm.json').toString()) as { source: string; sourceSha256: string; files: Record<string, { bytes: number; sha256: string }> };
/** Each build, with its inlined copy where it has one (blake3-jsc.wasm, for Bun, is read from its file only). */
const FILES: Record<string, string | undefined> = { 'blake3.wasm': blake3WasmBase64, 'blake3-jsc.wasm': undefined, 'blake3-scalar.wasm': blake3ScalarWasmBase64 };

describe('the BLAKE3 wasm files', () => {
  it('match their recorded size and SHA-256, built from the recorded source', () => {
    assert.deepEqual(Object.keys(record.files).sort(), Object.keys(FILES).sort());
    for (const file of Object.keys(FILES)) {
      const bytes = read(`wasm/${file}`);
      assert.equal(bytes.length, record.files[file]!.bytes, file);
      assert.equal(sha256(bytes), record.files[file]!.sha256, file);
    }
    assert.equal(sha256(read(record.source)), record.sourceSha256, `${record.source} changed since the build: run npm run build:wasm`);
  });

  it('are what the inlined chunks hold', () => {
    for (const [file, base64] of Object.entries(FILES)) if (base64 !== undefined) assert.equal(sha256(Buffer.from(base64, 'base64')), record.files[file]!.sha256, file);
  });

  it('the SIMD builds are copied beside the bundle, imported statically only by the workerd entry', () => {
    assert.equal(sha256(read('dist/blake3.wasm')), record.files['blake3.wasm']!.sha256);
    assert.equal(sha256(read('dist/blake3-jsc.wasm')), record.files['blake3-jsc.wasm']!.sha256);
    assert.match(read('dist/workerd.js').toString(), staticImportOf('\\./blake3\\.wasm'));
    const chunks = readdirSync(new URL('dist/', root)).filter((f) => f.endsWith('.js') && f !== 'workerd.js');
    for (const chunk of chunks) assert.doesNotMatch(read(`dist/${chunk}`).toString(), staticImportOf('[^"\']*\\.wasm'), chunk);
  });

  it('inlined copies are separate chunks of the browser and Node builds, imported lazily; the Worker build has none', () => {
    const files = readdirSync(new URL('dist/', root));
    const inline = files.filter((f) => f.endsWith('-inline.js'));
    assert.deepEqual(inline.sort(), ['blake3-inline.js', 'blake3-scalar-inline.js', 'node-blake3-inline.js', 'node-blake3-scalar-inline.js']);
    for (const copy of inline) {
      const importers = files.filter((f) => f.endsWith('.js') && f !== copy && read(`dist/${f}`).toString().includes(`"./${copy}"`));
      assert.deepEqual(importers, [copy.startsWith('node-') ? 'node.js' : 'index.js'], copy);
      assert.match(read(`dist/${importers[0]}`).toString(), new RegExp(`\\bimport\\(["']\\./${copy.replace('.', '\\.')}["']\\)`), copy);
      assert.doesNotMatch(read(`dist/${importers[0]}`).toString(), staticImportOf('[^"\']*-inline[^"\']*'), copy);
    }
    for (const chunk of files.filter((f) => f.startsWith('workerd') && f.endsWith('.js'))) {
      assert.doesNotMatch(read(`dist/${chunk}`).toString(), /blake3-inline|blake3-scalar-inline|AGFzbQ/, chunk);
    }
  });
});

/** A static `import … from '<path>'` statement (minified or not) of a module whose path matches `path` (a regex source). */
function staticImportOf(path: string): RegExp {
  return new RegExp(`(?:^|[;}])\\s*import\\s*(?:[\\w$]+|\\{[^}]*\\}|\\*\\s*as\\s*[\\w$]+)(?:\\s*,\\s*\\{[^}]*\\})?\\s*from\\s*["']${path}["']`, 'm');
}
