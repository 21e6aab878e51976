import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

describe('npm run demo', () => {
  it('runs the three examples of session-reference.md and exits 0 well within two minutes', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, ['demo/run.mjs'], { env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    assert.equal(code, 0, out);
    assert.ok(Date.now() - started < 110_000);
    assert.match(out, /1\. WebSocket session with message handlers/);
    assert.match(out, /← pushed {2}org\.agent\.TaskPlan\.v1 {2}b3:[0-9a-f]{12}…/);
    assert.match(out, /SchemaFidelityError \(E-SCHEMA-FIDELITY\) for org\.calendar\.Event\.v1/);
    assert.match(out, /NegotiationError: /);
    assert.match(out, /SIGINT received: shutting down/);
    assert.match(out, /All three examples behaved/);
    assert.doesNotMatch(out, /✗/);
  });
});
