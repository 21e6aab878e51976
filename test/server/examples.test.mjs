// The server examples of the README (examples/server/), run as a user runs them: the Node
// one with tsx, the Deno one with `deno run --allow-net`, the Worker bundled as wrangler
// does and served by workerd (miniflare). A Session (WebSocket and HTTP) talks to each;
// the README holds each file verbatim.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Miniflare } from 'miniflare';
import { SchemaFidelityError, Session, semanticHash } from 'mpl-sdk';
import { denoBin, denoEnv, denoRunArgs, makeDenoProject } from '../runtimes/deno/stage.mjs';
import { packageRoot } from '../runtimes/support/exports.mjs';
import { denoServerImports, startProgram } from '../runtimes/server/stage.mjs';
import { bundleWorker, workerdOptions } from '../runtimes/workerd/bundle.mjs';

const EXAMPLES = join(packageRoot, 'examples/server');
const listening = (line) => /Listening on (http:\/\/\S+?)\/?$/.exec(line)?.[1];
const EVENT = 'org.calendar.Event.v1';

/** A Session over each transport: a confirmed event with its end, hashed; an invalid one blocked by the server; over WebSocket, the task plan pushed. */
async function talkTo(base) {
  const ws = new Session({ endpoint: `${base.replace('http', 'ws')}/ws`, stypes: [EVENT, 'org.agent.TaskPlan.v1'], timeoutMs: 10_000, reconnect: { enabled: false } });
  try {
    const pushed = new Promise((resolve) => ws.onMessage('org.agent.TaskPlan.v1', (plan) => resolve(plan.getPayload())));
    await ws.connect();
    const listening = ws.listen(); // runs the handlers of pushed messages, as the client examples do
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('no task plan pushed within 10 s')), 10_000).unref());
    assert.equal((await Promise.race([pushed, late])).id, 'plan-1');
    await ws.close();
    await listening;
  } finally {
    await ws.close();
  }
  for (const endpoint of [`${base.replace('http', 'ws')}/ws`, `${base}/mcp`]) {
    const session = await Session.open({ endpoint, stypes: [EVENT], qomProfile: 'qom-basic', timeoutMs: 10_000, reconnect: { enabled: false } });
    try {
      const reply = await session.send(EVENT, { title: 'Review', start: '2024-03-01T14:00:00Z', duration_minutes: 45 });
      assert.deepEqual(reply.getPayload(), { title: 'Review', start: '2024-03-01T14:00:00Z', duration_minutes: 45, status: 'confirmed', end: '2024-03-01T14:45:00Z' });
      assert.equal(reply.semHash, await semanticHash(reply.getPayload()));
      assert.equal(reply.qomReport?.meets_profile, true);
      await assert.rejects(session.send(EVENT, { title: 'Bad', start: 'tomorrow' }, { validate: false }), (e) => e instanceof SchemaFidelityError, endpoint);
    } finally {
      await session.close();
    }
  }
}

describe('the README\'s server examples', () => {
  it('examples/server/node.ts serves a Session on Node', async () => {
    const program = await startProgram(process.execPath, ['--import', 'tsx', join(EXAMPLES, 'node.ts'), '0'], { ready: listening });
    try {
      await talkTo(program.ready);
    } finally {
      await program.stop();
    }
  });

  it('examples/server/deno.ts serves a Session on Deno, with --allow-net only', async () => {
    const dir = await makeDenoProject(denoServerImports);
    try {
      const program = await startProgram(denoBin, denoRunArgs(dir, join(EXAMPLES, 'deno.ts'), ['0']), { cwd: dir, env: denoEnv, ready: listening });
      try {
        await talkTo(program.ready);
      } finally {
        await program.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('examples/server/worker.ts serves a Session on workerd', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mpl-example-worker-'));
    let mf;
    try {
      await bundleWorker(join(EXAMPLES, 'worker.ts'), dir);
      mf = new Miniflare({ ...(await workerdOptions(dir)), host: '127.0.0.1', port: 0 });
      await talkTo((await mf.ready).origin);
    } finally {
      await mf?.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the README shows each example verbatim', () => {
    const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
    for (const file of ['calendar.ts', 'worker.ts', 'deno.ts', 'node.ts']) {
      const source = readFileSync(join(EXAMPLES, file), 'utf8');
      assert.ok(readme.includes(`\`\`\`ts\n// examples/server/${file}\n${source}\`\`\``), `README.md lacks examples/server/${file} as it is`);
    }
  });
});
