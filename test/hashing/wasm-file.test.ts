// The shipped BLAKE3 module is exactly blake3-wasm 2.1.5's `web` build, in every form the
// package carries it: wasm/, the inlined base64 chunk, and the build output.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { blake3WasmBase64 } from '../../src/hashing/blake3-inline.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const record = JSON.parse(read('wasm/blake3.wasm.json').toString()) as { package: string; version: string; file: string; bytes: number; sha256: string };
const shipped = read('wasm/blake3.wasm');

describe('the BLAKE3 wasm file', () => {
  it('matches its recorded size and SHA-256', () => {
    assert.equal(shipped.length, record.bytes);
    assert.equal(sha256(shipped), record.sha256);
  });

  it('is the file of the npm package and version it records', () => {
    const pkg = JSON.parse(read(`node_modules/${record.package}/package.json`).toString()) as { version: string };
    assert.equal(pkg.version, record.version);
    assert.equal(sha256(read(`node_modules/${record.package}/${record.file}`)), record.sha256);
  });

  it('is what the inlined chunk holds', () => {
    assert.equal(sha256(Buffer.from(blake3WasmBase64, 'base64')), record.sha256);
  });

  it('is copied beside the bundle, imported statically only by the workerd entry', () => {
    assert.equal(sha256(read('dist/blake3.wasm')), record.sha256);
    assert.match(read('dist/workerd.js').toString(), staticImportOf('\\./blake3\\.wasm'));
    const chunks = readdirSync(new URL('dist/', root)).filter((f) => f.endsWith('.js') && f !== 'workerd.js');
    for (const chunk of chunks) assert.doesNotMatch(read(`dist/${chunk}`).toString(), staticImportOf('[^"\']*\\.wasm'), chunk);
  });

  it('inlined copy is a separate chunk of the browser and Node builds, imported lazily; the Worker build has none', () => {
    const files = readdirSync(new URL('dist/', root));
    const inline = files.filter((f) => f.endsWith('blake3-inline.js'));
    assert.deepEqual(inline.sort(), ['blake3-inline.js', 'node-blake3-inline.js']);
    for (const copy of inline) {
      const importers = files.filter((f) => f.endsWith('.js') && f !== copy && read(`dist/${f}`).toString().includes(`"./${copy}"`));
      assert.deepEqual(importers, [copy === 'blake3-inline.js' ? 'index.js' : 'node.js'], copy);
      assert.match(read(`dist/${importers[0]}`).toString(), new RegExp(`\\bimport\\(["']\\./${copy.replace('.', '\\.')}["']\\)`), copy);
      assert.doesNotMatch(read(`dist/${importers[0]}`).toString(), staticImportOf('[^"\']*blake3-inline[^"\']*'), copy);
    }
    for (const chunk of files.filter((f) => f.startsWith('workerd') && f.endsWith('.js'))) {
      assert.doesNotMatch(read(`dist/${chunk}`).toString(), /blake3-inline|AGFzbQ/, chunk);
    }
  });
});

/** A static `import … from '<path>'` statement (minified or not) of a module whose path matches `path` (a regex source). */
function staticImportOf(path: string): RegExp {
  return new RegExp(`(?:^|[;}])\\s*import\\s*(?:[\\w$]+|\\{[^}]*\\}|\\*\\s*as\\s*[\\w$]+)(?:\\s*,\\s*\\{[^}]*\\})?\\s*from\\s*["']${path}["']`, 'm');
}
