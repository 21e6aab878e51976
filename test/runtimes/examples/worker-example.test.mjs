// demo/worker: the Worker example, bundled as wrangler would (its wrangler.toml's `main`
// and compatibility date, the package's `workerd` condition), run in workerd through
// miniflare against the real reference server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Miniflare } from 'miniflare';
import { startReferenceServer } from '../../../demo/server/index.ts';
import { packageRoot } from '../support/exports.mjs';
import { bundleWorker, workerdOptions } from '../workerd/bundle.mjs';

const exampleDir = join(packageRoot, 'demo/worker');
const toml = readFileSync(join(exampleDir, 'wrangler.toml'), 'utf8');
const setting = (key) => new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'm').exec(toml)?.[1];

describe('demo/worker: a Worker that sends a calendar event through the SDK', () => {
  let server;
  let mf;
  let dir;

  before(async () => {
    server = await startReferenceServer({ port: 0, quiet: true });
    dir = await mkdtemp(join(tmpdir(), 'mpl-worker-example-'));
    await bundleWorker(join(exampleDir, setting('main')), dir);
    mf = new Miniflare({ ...(await workerdOptions(dir)), compatibilityDate: setting('compatibility_date'), bindings: { MPL_SERVER_URL: server.url } });
  });

  after(async () => {
    await mf?.dispose();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const transport of ['http', 'ws']) {
    it(`over ${transport === 'ws' ? 'WebSocket' : 'HTTP'}: negotiates, sends the event hashed, and returns the server's reply`, async () => {
      const response = await mf.dispatchFetch(`http://example.test/?transport=${transport}`);
      const body = await response.json();
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.ok, true);
      assert.deepEqual(body.negotiated.commonStypes, ['org.calendar.Event.v1']);
      assert.equal(body.negotiated.selectedProfile, 'qom-basic');
      assert.match(body.sent.semHash, /^b3:[0-9a-f]{64}$/);
      const seen = server.recorded.find((m) => m.kind === 'envelope' && m.wire.sem_hash === body.sent.semHash && m.transport === transport);
      assert.ok(seen, 'the server recorded the envelope the Worker sent');
      assert.equal(seen.hashOk, true);
      assert.equal(seen.valid, true);
      assert.equal(body.reply.inReplyTo, seen.wire.id, 'the reply names the request');
      assert.deepEqual(body.reported, [], 'the session reported no error');
    });
  }

  it('an invalid event is refused in the Worker, before sending, with the paths of its errors', async () => {
    const before = server.recorded.length;
    const response = await mf.dispatchFetch('http://example.test/', { method: 'POST', body: JSON.stringify({ title: 'Bad', start: 'tomorrow', attendees: ['carol'] }) });
    const body = await response.json();
    assert.equal(response.status, 422);
    assert.equal(body.error.code, 'E-SCHEMA-FIDELITY');
    assert.deepEqual([...new Set(body.issues.map((i) => i.path))].sort(), ['/attendees/0', '/start']);
    assert.equal(server.recorded.filter((m) => m.kind === 'envelope').length, server.recorded.slice(0, before).filter((m) => m.kind === 'envelope').length, 'nothing was sent');
  });
});
