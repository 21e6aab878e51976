// The parts of the SDK that load on first use (test/build/size.mjs's ON_DEMAND chunks), as
// built: when the file of one cannot be loaded (an offline page, a deployment that left it
// out), the call that needed it rejects with an MplError E-MODULE-LOAD naming the part,
// instead of a bare TypeError or a promise that never settles; once the file is back, the
// next call loads it.
import assert from 'node:assert/strict';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../runtimes/support/exports.mjs';
import { startTestServer } from '../support/mpl-test-server.ts';

const copies = [];
after(() => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fresh copy of dist/ (nothing loaded yet), without the file `remove` if given, and the SDK of its Node build. */
async function freshCopy(remove) {
  // Inside the package, so that the build finds its node_modules (ws, on Node 20) as from dist/.
  const dir = await mkdtemp(join(packageRoot, '.on-demand-test-'));
  copies.push(dir);
  await cp(join(packageRoot, 'dist'), dir, { recursive: true });
  if (remove) await rm(join(dir, remove));
  return { dir, sdk: await import(pathToFileURL(join(dir, 'node.js')).href) };
}

/**
 * A fresh copy of dist/ without the chunk `file`: runs `call` with the
 * copy's SDK, expecting E-MODULE-LOAD for `part`; then puts the file back and runs `afterwards`.
 */
async function withoutChunk(file, part, call, afterwards) {
  const { dir, sdk } = await freshCopy();
  // The Node build's chunks are node-*.js; QoM evaluation is the entry mpl-sdk/qom, qom.node.js.
  const path = join(dir, file === 'qom.js' ? 'qom.node.js' : `node-${file}`);
  await rename(path, `${path}.gone`);
  try {
    await assert.rejects(call(sdk), (error) => {
      assert.ok(error instanceof sdk.MplError, `${error?.name}: ${error?.message}`);
      assert.equal(error.code, 'E-MODULE-LOAD');
      assert.equal(error.details.module, part);
      assert.match(error.message, new RegExp(`^Could not load mpl-sdk's ${part.replace(/[()]/g, '\\$&')}, which loads on first use`));
      assert.ok(error.cause !== undefined);
      return true;
    });
  } finally {
    await rename(`${path}.gone`, path);
  }
  await afterwards(sdk);
}

describe('a part loaded on first use whose file cannot be loaded', () => {
  const httpSession = (sdk) => new sdk.Session({ endpoint: 'http://127.0.0.1:9/mcp', stypes: ['org.calendar.Event.v1'], timeoutMs: 5000 });
  const wsSession = (sdk) => new sdk.Session({ endpoint: 'ws://127.0.0.1:9/ws', stypes: ['org.calendar.Event.v1'], timeoutMs: 5000, reconnect: false });
  // Loaded now: the connection itself fails (nothing listens on port 9), as a ConnectionError.
  const unreachable = (sdk) => (e) => e instanceof sdk.ConnectionError;

  it('the HTTP transport: connect() rejects with E-MODULE-LOAD; the next connect() loads it', async () => {
    await withoutChunk('http-link.js', 'HTTP transport', (sdk) => httpSession(sdk).connect(), async (sdk) => {
      await assert.rejects(httpSession(sdk).connect(), unreachable(sdk));
    });
  });

  it('an HTTP session needs no ky: with its file gone, it connects, sends and is answered', async () => {
    const server = await startTestServer();
    try {
      const { sdk } = await freshCopy('node-ky-module.js');
      const session = new sdk.Session({ endpoint: server.httpUrl, stypes: ['org.calendar.Event.v1'], timeoutMs: 5000 });
      await session.connect();
      try {
        const reply = await session.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' });
        assert.equal(reply.semHash, await sdk.semanticHash(reply.getPayload()));
      } finally {
        await session.close();
      }
    } finally {
      await server.close();
    }
  });

  it('a Client\'s POSTs need no ky (tried once, they go to fetch): with its file gone it sends; a retried GET then needs ky', async () => {
    const server = await startTestServer();
    try {
      await withoutChunk('ky-module.js', 'HTTP client (ky)', async (sdk) => {
        const client = new sdk.Client(server.httpUrl, { mode: 'production' });
        const result = await client.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' });
        assert.equal(result.data.title, 'Sync');
        return client.health(); // GETs are retried (retry: 2 by default): through ky
      }, async (sdk) => {
        // ky loads now: the GET reaches the server, which has no /health (an answer, not a failed load).
        await assert.rejects(new sdk.Client(server.httpUrl).health(), (e) => e.code === 'E-HTTP-STATUS' && e.details.status === 405);
      });
    } finally {
      await server.close();
    }
  });

  it('the WebSocket transport (with partysocket): connect() rejects with E-MODULE-LOAD', async () => {
    await withoutChunk('websocket-transport.js', 'WebSocket transport', (sdk) => wsSession(sdk).connect(), async (sdk) => {
      await assert.rejects(wsSession(sdk).connect(), unreachable(sdk));
    });
  });

  it('a WebSocketTransport closed before start() refuses with ConnectionError and loads nothing (its chunk may be gone)', async () => {
    const { dir, sdk } = await freshCopy();
    await rm(join(dir, 'node-websocket-transport.js'));
    const transport = new sdk.WebSocketTransport({
      url: () => 'ws://127.0.0.1:9/ws', endpoint: 'ws://127.0.0.1:9/ws', openTimeoutMs: 1000, maxFrameBytes: 1 << 20,
      reconnect: { enabled: false, minDelayMs: 100, maxDelayMs: 100, growFactor: 1, maxRetries: 0 },
    });
    await transport.close();
    await assert.rejects(transport.start(new AbortController().signal), (e) => e instanceof sdk.ConnectionError && /closed before it was open/.test(e.message));
  });

  it('the Client: its first request rejects with E-MODULE-LOAD (the constructor still checks options at once)', async () => {
    let client;
    await withoutChunk('client.js', 'Client', (sdk) => {
      assert.throws(() => new sdk.Client('ws://127.0.0.1:9/ws'), (e) => e.code === 'E-INVALID-ARGUMENT');
      client = new sdk.Client('http://127.0.0.1:9/mcp', { retry: 0 });
      return client.health();
    }, async (sdk) => {
      await assert.rejects(client.health(), unreachable(sdk));
    });
  });

  const event = { title: 'Sync', start: '2024-01-15T10:00:00Z' };
  for (const [file, part] of [['embedded-registry.js', 'embedded registry'], ['engine.js', 'schema validator engine']]) {
    it(`the ${part}: validation (a session's first checked send) rejects with E-MODULE-LOAD`, async () => {
      await withoutChunk(file, part, (sdk) => new sdk.SchemaValidator().validate('org.calendar.Event.v1', event), async (sdk) => {
        assert.deepEqual(await new sdk.SchemaValidator().validate('org.calendar.Event.v1', event), []);
      });
    });
  }

  it('the full schema check: a valid payload never needs it; an invalid one rejects with E-MODULE-LOAD, and the next reports its issues', async () => {
    await withoutChunk('full-check.js', 'full schema check', async (sdk) => {
      const validator = new sdk.SchemaValidator();
      assert.deepEqual(await validator.validate('org.calendar.Event.v1', event), [], 'the fast check passes it, without the full check');
      return validator.validate('org.calendar.Event.v1', { title: 'Sync' });
    }, async (sdk) => {
      const issues = await new sdk.SchemaValidator().validate('org.calendar.Event.v1', { title: 'Sync' });
      assert.deepEqual(issues, [{ path: '', message: 'is missing required property "start"', keyword: 'required' }]);
    });
  });

  it('the folder registry: its first read rejects with E-MODULE-LOAD', async () => {
    const folder = join(packageRoot, 'registry');
    await withoutChunk('directory-registry.js', 'folder registry', (sdk) => sdk.directoryRegistry(folder).list(), async (sdk) => {
      assert.ok((await sdk.directoryRegistry(folder).list()).includes('org.calendar.Event.v1'));
    });
  });

  it('the URL registry: its first read rejects with E-MODULE-LOAD', async () => {
    await withoutChunk('http-registry.js', 'URL registry', (sdk) => sdk.httpRegistry('http://127.0.0.1:9/registry/').list(), async (sdk) => {
      await assert.rejects(sdk.httpRegistry('http://127.0.0.1:9/registry/').list(), (e) => e instanceof sdk.MplError && e.code !== 'E-MODULE-LOAD');
    });
  });

  it('ky, which the URL registry loads for its first GET: the read rejects with E-MODULE-LOAD, not a network failure', async () => {
    await withoutChunk('ky-module.js', 'HTTP client (ky)', (sdk) => sdk.httpRegistry('http://127.0.0.1:9/registry/').list(), async (sdk) => {
      await assert.rejects(sdk.httpRegistry('http://127.0.0.1:9/registry/').list(), (e) => e instanceof sdk.MplError && e.code === 'E-REGISTRY');
    });
  });

  describe('QoM evaluation, loaded when a reply carries a QoM report', () => {
    const report = { profile: 'qom-strict-argcheck', metrics: { schema_fidelity: 1, instruction_compliance: 0.5 } };
    let server;
    before(async () => { server = await startTestServer({ qomReport: report }); });
    after(() => server.close());

    it('a Session under a negotiated profile: that reply rejects with E-MODULE-LOAD (not a skipped check); the next reply loads it and enforces the profile', async () => {
      let session;
      await withoutChunk('qom.js', 'QoM evaluation', async (sdk) => {
        session = new sdk.Session({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'], qomProfile: 'qom-strict-argcheck', timeoutMs: 5000 });
        await session.connect();
        return session.send('org.calendar.Event.v1', event);
      }, async (sdk) => {
        try {
          await assert.rejects(session.send('org.calendar.Event.v1', event), (e) => e instanceof sdk.QomBreachError && e.metric === 'instructionCompliance');
        } finally {
          await session.close();
        }
      });
    });

    it('a Client: the send whose reply carries a report fails with E-MODULE-LOAD; the next send loads it', async () => {
      await withoutChunk('qom.js', 'QoM evaluation', (sdk) => new sdk.Client(server.httpUrl, { mode: 'production' }).send('org.calendar.Event.v1', event), async (sdk) => {
        const result = await new sdk.Client(server.httpUrl).send('org.calendar.Event.v1', event);
        assert.equal(result.valid, true);
        assert.equal(result.qomPassed, true, 'the reporter itself names no failure');
      });
    });

    it('replies without a QoM report never need it: a Session under a profile and a Client without one work with the file gone', async () => {
      const bare = await startTestServer();
      try {
        const { sdk } = await freshCopy('qom.node.js');
        const session = new sdk.Session({ endpoint: bare.wsUrl, stypes: ['org.calendar.Event.v1'], qomProfile: 'qom-strict-argcheck', timeoutMs: 5000 });
        await session.connect();
        try {
          assert.equal(session.capabilities.selectedProfile, 'qom-strict-argcheck');
          assert.deepEqual((await session.send('org.calendar.Event.v1', event)).getPayload(), event);
        } finally {
          await session.close();
        }
        const result = await new sdk.Client(bare.httpUrl, { mode: 'production' }).send('org.calendar.Event.v1', event);
        assert.deepEqual(result.data, event);
      } finally {
        await bare.close();
      }
    });

    it('a Client with a profile: its first send rejects with E-MODULE-LOAD before anything is sent', async () => {
      const before = server.received.length;
      await withoutChunk('qom.js', 'QoM evaluation', (sdk) => new sdk.Client(server.httpUrl, { profile: 'qom-basic' }).send('org.calendar.Event.v1', event), async () => {
        assert.equal(server.received.length, before);
      });
    });
  });

  it('the /capabilities lookup needs no ky: with its file gone, a refused handshake still names the server\'s STypes', async () => {
    const { MplServer } = await import(pathToFileURL(join(packageRoot, 'dist/server.node.js')).href);
    const { serveNode } = await import(pathToFileURL(join(packageRoot, 'dist/server-node.js')).href);
    const running = await serveNode(new MplServer());
    try {
      const { sdk } = await freshCopy('node-ky-module.js');
      const session = new sdk.Session({ endpoint: `${running.url.replace('http', 'ws')}/ws`, stypes: ['com.acme.Nope.v1'], timeoutMs: 5000 });
      const error = await session.connect().then(() => undefined, (e) => e);
      await session.close();
      assert.ok(error instanceof sdk.NegotiationError, String(error));
      assert.equal(error.details.capabilitiesLookup, 'ok');
      assert.ok(error.serverStypes.includes('org.calendar.Event.v1'), String(error.serverStypes));
    } finally {
      await running.close();
    }
  });

  it('the /capabilities lookup: the NegotiationError stands, its details say the lookup could not load', async () => {
    const server = await startTestServer();
    try {
      const { sdk } = await freshCopy('node-capabilities-lookup.js');
      const session = new sdk.Session({ endpoint: server.wsUrl, stypes: ['com.acme.Nope.v1'], timeoutMs: 5000 });
      const error = await session.connect().then(() => undefined, (e) => e);
      await session.close();
      assert.ok(error instanceof sdk.NegotiationError, String(error));
      assert.deepEqual(error.serverStypes, []);
      assert.match(String(error.details.capabilitiesLookup), /^failed: Could not load mpl-sdk's \/capabilities lookup, which loads on first use/);
    } finally {
      await server.close();
    }
  });
});

describe('what a session or Client loads ahead of its first send', () => {
  const event = { title: 'Sync', start: '2024-01-15T10:00:00Z' };
  // The files the first validated, hashed send needs: the engine, the embedded registry, the wasm (and its inlined copy, the fallback).
  const FIRST_SEND = ['node-engine.js', 'node-embedded-registry.js', 'blake3.wasm', 'node-blake3-inline.js'];
  const hide = (dir, files) => Promise.all(files.map((file) => rename(join(dir, file), join(dir, `${file}.gone`))));
  const unhide = (dir, files) => Promise.all(files.map((file) => rename(join(dir, `${file}.gone`), join(dir, file))));
  /** Lets loads already started finish: reading a few kilobytes from a local disk takes milliseconds. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
  let server;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  it('connect() starts loading them all: with the files gone after it, the first send is validated and hashed', async () => {
    const { dir, sdk } = await freshCopy();
    const session = new sdk.Session({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'], timeoutMs: 5000 });
    try {
      await session.connect();
      await settle(); // the loads began with connect()
      await hide(dir, FIRST_SEND);
      const reply = await session.send('org.calendar.Event.v1', event);
      assert.equal(reply.semHash, await sdk.semanticHash(event));
      // An invalid payload loads the full check, a file of its own that imports no other (the engine's is still gone).
      await assert.rejects(session.send('org.calendar.Event.v1', { title: 'Sync' }), (e) => e instanceof sdk.SchemaFidelityError);
    } finally {
      await session.close();
    }
  });

  it('with autoValidate and autoHash off, connect() loads none of them (a send that asks for the checks loads them then)', async () => {
    const { dir, sdk } = await freshCopy();
    const session = new sdk.Session({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'], timeoutMs: 5000, autoValidate: false, autoHash: false });
    try {
      await session.connect();
      await settle();
      await rename(join(dir, 'node-engine.js'), join(dir, 'node-engine.js.gone'));
      await assert.rejects(session.send('org.calendar.Event.v1', event, { validate: true }), (e) => e instanceof sdk.MplError && e.code === 'E-MODULE-LOAD' && e.details.module === 'schema validator engine');
      await rename(join(dir, 'node-engine.js.gone'), join(dir, 'node-engine.js'));
      assert.equal((await session.send('org.calendar.Event.v1', event, { validate: true, computeHash: true })).stype, 'org.calendar.Event.v1');
    } finally {
      await session.close();
    }
  });

  it("a Client's send starts loading them beside the Client's code: a first send that cannot load that code still loads them", async () => {
    const { dir, sdk } = await freshCopy();
    await rename(join(dir, 'node-client.js'), join(dir, 'node-client.js.gone'));
    const client = new sdk.Client(server.httpUrl, { mode: 'production' });
    await assert.rejects(client.send('org.calendar.Event.v1', event), (e) => e instanceof sdk.MplError && e.code === 'E-MODULE-LOAD' && e.details.module === 'Client');
    await settle();
    await hide(dir, FIRST_SEND);
    await rename(join(dir, 'node-client.js.gone'), join(dir, 'node-client.js'));
    const result = await client.send('org.calendar.Event.v1', event);
    assert.equal(result.semHash, await sdk.semanticHash(event));
    await unhide(dir, FIRST_SEND);
    await assert.rejects(client.send('org.calendar.Event.v1', { title: 'Sync' }), (e) => e instanceof sdk.SchemaFidelityError);
  });

  it('with another registry than the embedded one, connect() does not load the embedded registry', async () => {
    const { dir, sdk } = await freshCopy();
    const session = new sdk.Session({ endpoint: server.wsUrl, stypes: ['org.calendar.Event.v1'], timeoutMs: 5000, registryPath: join(packageRoot, 'registry') });
    try {
      await session.connect();
      await settle();
      await rm(join(dir, 'node-embedded-registry.js'));
      assert.equal((await session.send('org.calendar.Event.v1', event)).stype, 'org.calendar.Event.v1', 'validated against the folder registry');
      await assert.rejects(sdk.embeddedRegistry().list(), (e) => e instanceof sdk.MplError && e.code === 'E-MODULE-LOAD');
    } finally {
      await session.close();
    }
  });
});
