import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = 'test/smoke/import-check.mjs';
const runtimes: Record<string, [string, string[]]> = {
  node: [process.execPath, [script]],
  deno: ['node_modules/.bin/deno', ['run', '--no-prompt', '--no-lock', script]],
  bun: ['node_modules/.bin/bun', [script]],
};

describe('the universal bundle imports cleanly', () => {
  for (const [runtime, [cmd, args]] of Object.entries(runtimes)) {
    it(`in ${runtime}`, async () => {
      const { stdout } = await run(cmd, args, { env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PACKAGE_JSON: '1' }, timeout: 60_000 });
      const seen = JSON.parse(stdout.trim().split('\n').pop()!);
      assert.equal(seen.id, 'com.acme.finance.Trade.v2');
      assert.equal(seen.path, 'stypes/com/acme/finance/Trade/v2');
      assert.deepEqual(seen.wire, { id: '1', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' } });
      assert.equal(seen.refused, 'MplError E-INVALID-STYPE true');
      assert.ok(seen.exports > 10);
    });
  }
});
