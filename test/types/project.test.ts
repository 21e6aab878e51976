// The whole project type-checks: the sources, the tests, the examples and the test apps
// that import the built package (dist/*.d.ts, as users get it), under tsconfig.json's strict
// options. A change to a public type that breaks code written against it fails here, not
// only in a consumer's editor.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('the project under tsc', () => {
  it('tsc -p tsconfig.json --noEmit reports nothing', { timeout: 180_000 }, async () => {
    const run = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; code?: number }) => error);
    assert.equal((run as { code?: number }).code ?? 0, 0, (run as { stdout?: string }).stdout);
  });
});
