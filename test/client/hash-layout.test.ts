// The hash layout of a Client: what `send` writes (current by default, legacy on request),
// and the reply hashes it accepts (either layout, nothing else).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, HashMismatchError, Mode, MplError, semanticHash, type CallResult, type HashLayout } from '../../src/index.ts';
import { json, startServer, type TestServer } from './support/http-server.ts';
import { useReferenceServer } from './support/reference-server.ts';
import { layoutVectors } from '../support/vectors.ts';

/** An Event whose metadata holds numbers the two layouts write differently. */
const BIG_EVENT = { title: 'Ledger', start: '2024-01-15T10:00:00Z', metadata: { total: 1e20, ids: [2 ** 64, -(2 ** 63)] } };

function ok<T>(result: CallResult<T>): T {
  if (!result.valid) assert.fail(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

describe('Client hash layouts: what send writes', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => json(res, 200, { echoed: (req.body as { payload: unknown }).payload }));
  });
  after(() => server.close());

  for (const layout of ['current', 'legacy'] as const) {
    it(`writes the reference's ${layout} hash of the 127 layout-dependent vectors${layout === 'current' ? ' by default' : ' with hashLayout: \'legacy\''}`, async () => {
      const client = new Client(server.url, layout === 'current' ? {} : { hashLayout: layout });
      const wrong: string[] = [];
      for (const vector of layoutVectors) {
        ok(await client.send('com.example.NoSchema.v1', JSON.parse(vector.input), { validate: false }));
        if ((server.requests.at(-1)!.body as { sem_hash: string }).sem_hash !== vector[layout]) wrong.push(vector.input);
      }
      assert.deepEqual(wrong, []);
    });
  }
});

describe('Client hash layouts: options', () => {
  it('refuses a hashLayout that is no layout when the client is made', () => {
    assert.throws(() => new Client('http://127.0.0.1:1/mcp', { hashLayout: 'new' as HashLayout }), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT' && /Client: hashLayout/.test(e.message));
  });
});

describe('Client hash layouts: the reference server, built today, checks the current layout', () => {
  const server = useReferenceServer();

  it('recomputes and matches the default hash; a legacy hash is what an old peer sends, and this one tells it apart', async () => {
    ok(await new Client(`${server().url}/mcp`).send('org.calendar.Event.v1', BIG_EVENT));
    const current = server().recorded.at(-1)!;
    assert.equal((current.wire as { sem_hash: string }).sem_hash, await semanticHash(BIG_EVENT));
    assert.equal(current.hashOk, true);
    await new Client(`${server().url}/mcp`, { hashLayout: 'legacy' }).send('org.calendar.Event.v1', BIG_EVENT);
    const legacy = server().recorded.at(-1)!;
    assert.equal((legacy.wire as { sem_hash: string }).sem_hash, await semanticHash(BIG_EVENT, { hashLayout: 'legacy' }));
    assert.equal(legacy.hashOk, false);
  });
});

describe('Client hash layouts: reply hashes', () => {
  let server: TestServer;
  /** Echoes the payload in a reply envelope hashed in the layout the path names (`/current`, `/legacy`, `/forged`). */
  before(async () => {
    server = await startServer(async (req, res) => {
      const sent = req.body as { id: string; stype: string; payload: unknown };
      const layout = req.path.slice(1);
      const sem_hash = layout === 'forged'
        ? await semanticHash({ ...(sent.payload as object), title: 'forged' }, { hashLayout: 'legacy' })
        : await semanticHash(sent.payload, { hashLayout: layout as HashLayout });
      json(res, 200, { id: 'r1', stype: sent.stype, payload: sent.payload, sem_hash, in_reply_to: sent.id });
    });
  });
  after(() => server.close());

  for (const layout of ['current', 'legacy'] as const) {
    it(`accepts a reply hashed in the ${layout} layout, whatever the client writes`, async () => {
      for (const hashLayout of ['current', 'legacy'] as const) {
        const result = await new Client(`${server.url}/${layout}`, { hashLayout }).send('org.calendar.Event.v1', BIG_EVENT);
        assert.deepEqual(ok(result), BIG_EVENT);
        assert.equal(result.semHash, await semanticHash(BIG_EVENT, { hashLayout: layout }));
      }
    });
  }

  it('refuses a reply hash that matches the payload in neither layout', async () => {
    const result = await new Client(`${server.url}/forged`).send('org.calendar.Event.v1', BIG_EVENT);
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof HashMismatchError, String(result.error));
    assert.equal(result.error.actual, await semanticHash(BIG_EVENT));
    await assert.rejects(new Client(`${server.url}/forged`, { mode: Mode.Production, hashLayout: 'legacy' }).send('org.calendar.Event.v1', BIG_EVENT), HashMismatchError);
  });
});
