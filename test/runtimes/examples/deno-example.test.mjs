// demo/deno: the Deno example, run as a Deno user runs it: `deno run --allow-net` (no
// other permission), `mpl-sdk` from its deno.json import map (`npm:mpl-sdk`), resolved
// offline from a project folder whose node_modules holds this package.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startReferenceServer } from '../../../demo/server/index.ts';
import { packageRoot } from '../support/exports.mjs';
import { denoBin, denoEnv, denoRunArgs, makeDenoProject } from '../deno/stage.mjs';

const run = promisify(execFile);
const exampleDir = join(packageRoot, 'demo/deno');

describe('demo/deno: a Deno script using the SDK with --allow-net only', () => {
  let server;
  let project;

  before(async () => {
    server = await startReferenceServer({ port: 0, quiet: true, pushOnConnect: true });
    const { imports } = JSON.parse(readFileSync(join(exampleDir, 'deno.json'), 'utf8'));
    project = await makeDenoProject(imports);
  });

  after(async () => {
    await server?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('runs both sessions against the reference server and exits 0', async () => {
    const { stdout } = await run(denoBin, denoRunArgs(project, join(exampleDir, 'main.ts'), [server.url]), {
      cwd: project, env: { ...process.env, ...denoEnv, NO_COLOR: '1' }, timeout: 60_000,
    });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1));
    assert.equal(summary.ok, true, stdout);
    assert.deepEqual(summary.http.commonStypes, ['org.calendar.Event.v1']);
    assert.deepEqual(summary.invalid, ['/start']);
    assert.match(summary.pushedPlan, /^plan-/);
    assert.deepEqual(summary.reported, []);
    const sent = server.recorded.filter((m) => m.kind === 'envelope');
    assert.ok(sent.some((m) => m.transport === 'http' && m.wire.sem_hash === summary.http.sentHash && m.hashOk), 'the server recorded the hashed HTTP send');
    assert.ok(sent.some((m) => m.transport === 'ws' && m.wire.stype === 'org.agent.TaskResult.v1' && m.wire.payload.plan_id === summary.pushedPlan), 'the server got the answer to its task plan');
    assert.match(stdout, /http: refused before sending: \/start:/);
  });
});
