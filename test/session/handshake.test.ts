import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError, MplError, NegotiationError, Session, TimeoutError } from '../../src/index.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';
import { closedPort, errorLog } from '../support/session-helpers.ts';

const STYPES = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'];

describe('handshake', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  for (const variant of ['ai-alpn-select', 'ai-alpn-response', 'ai-alpn-hello-ack'] as const) {
    for (const transport of ['ws', 'http'] as const) {
      it(`accepts an ${variant} reply over ${transport}`, async () => {
        server.behaviour.handshake = variant;
        const session = new Session({ endpoint: transport === 'ws' ? server.wsUrl : server.httpUrl, stypes: [...STYPES, 'com.other.Thing.v1'], qomProfile: 'qom-basic' });
        assert.equal(session.capabilities, undefined);
        assert.equal(session.isConnected, false);
        const caps = await session.connect();
        assert.deepEqual(caps, { commonStypes: STYPES, selectedProfile: 'qom-basic', serverExtensions: { test_server: true } });
        assert.equal(session.isConnected, true);
        assert.deepEqual(session.capabilities, caps);
        await session.close();
        assert.equal(session.isConnected, false);
      });
    }
  }

  it('sends the hello as the first WebSocket frame, with version, stypes and qom_profiles', async () => {
    server.behaviour.handshake = 'ai-alpn-select';
    const before = server.received.length;
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, qomProfile: 'qom-strict-argcheck' });
    await session.connect();
    assert.deepEqual(server.received[before]?.data, { type: 'ai-alpn-hello', version: '1.0', stypes: STYPES, qom_profiles: ['qom-strict-argcheck'] });
    await session.close();
  });

  it('offers stypes: [] (never omits it) and connects with nothing in common', async () => {
    const before = server.received.length;
    const session = new Session({ endpoint: server.wsUrl });
    const caps = await session.connect();
    assert.deepEqual(server.received[before]?.data, { type: 'ai-alpn-hello', version: '1.0', stypes: [] });
    assert.deepEqual(caps.commonStypes, []);
    await session.close();
  });

  it('says so (onError, E-PROFILE-NOT-SELECTED) when the server did not select the QoM profile asked for: a misspelt name went unseen', async () => {
    for (const [selected, named] of [[null, /it selected none \(a name it does not know/], ['qom-basic', /it selected qom-basic\./]] as const) {
      server.behaviour.script.hellos.push({ body: { type: 'ai-alpn-select', common_stypes: STYPES, selected_profile: selected } });
      const log = errorLog();
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, qomProfile: 'qom-strict', onError: log.onError });
      try {
        assert.equal((await session.connect()).selectedProfile, selected);
        assert.equal(log.errors.length, 1);
        const { error, source } = log.errors[0]!;
        assert.equal(source, 'connection');
        assert.equal((error as MplError).code, 'E-PROFILE-NOT-SELECTED');
        assert.match(error.message, /did not select the QoM profile "qom-strict" the session asked for/);
        assert.match(error.message, named);
      } finally {
        await session.close();
      }
    }
    const log = errorLog();
    const chosen = new Session({ endpoint: server.wsUrl, stypes: STYPES, qomProfile: 'qom-strict-argcheck', onError: log.onError });
    await chosen.connect();
    assert.deepEqual(log.errors, [], 'selected as asked: nothing to say');
    await chosen.close();
  });

  it('POSTs the HTTP hello to /.well-known/ai-alpn at the origin root, not below the endpoint', async () => {
    const before = server.received.length;
    const session = new Session({ endpoint: `http://127.0.0.1:${server.port}/api/v2/mcp`, stypes: STYPES });
    await session.connect();
    assert.equal(server.received[before]?.path, '/.well-known/ai-alpn');
    assert.equal(server.received.length, before + 1);
    await session.close();
  });

  it('falls back to the endpoint-relative path when the root answers 404', async () => {
    server.behaviour.rootHandshake404 = true;
    try {
      const before = server.received.length;
      const session = new Session({ endpoint: `http://127.0.0.1:${server.port}/api/mcp`, stypes: STYPES });
      await session.connect();
      assert.deepEqual(server.received.slice(before).map((r) => r.path), ['/.well-known/ai-alpn', '/api/mcp/.well-known/ai-alpn']);
      await session.close();
    } finally {
      server.behaviour.rootHandshake404 = false;
    }
  });

  for (const transport of ['ws', 'http'] as const) {
    it(`throws NegotiationError with reason and both STypes lists on ai-alpn-error (${transport})`, async () => {
      server.behaviour.handshake = 'error';
      try {
        const session = new Session({ endpoint: transport === 'ws' ? server.wsUrl : server.httpUrl, stypes: ['com.acme.Nope.v1'] });
        const error = await session.connect().then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof NegotiationError, String(error));
        assert.equal(error.code, 'E-HANDSHAKE-FAILED');
        assert.equal(error.reason, 'incompatible');
        assert.deepEqual(error.clientStypes, ['com.acme.Nope.v1']);
        assert.deepEqual(error.serverStypes, server.behaviour.stypes);
        assert.equal(session.isConnected, false);
        await session.close();
      } finally {
        server.behaviour.handshake = 'ai-alpn-select';
      }
    });

    it(`throws NegotiationError when no offered SType is common, as a real proxy says it (${transport})`, async () => {
      const session = new Session({ endpoint: transport === 'ws' ? server.wsUrl : server.httpUrl, stypes: ['com.acme.Nope.v1'] });
      await assert.rejects(session.connect(), (e: unknown) => e instanceof NegotiationError && e.clientStypes[0] === 'com.acme.Nope.v1' && /no SType/.test(e.reason));
      await session.close();
    });

    it(`throws NegotiationError when the answer is not AI-ALPN (${transport})`, async () => {
      server.behaviour.handshake = 'garbage';
      try {
        const session = new Session({ endpoint: transport === 'ws' ? server.wsUrl : server.httpUrl, stypes: STYPES });
        await assert.rejects(session.connect(), NegotiationError);
        await session.close();
      } finally {
        server.behaviour.handshake = 'ai-alpn-select';
      }
    });

    it(`throws ConnectionError (cause TimeoutError) when no handshake arrives within timeoutMs (${transport})`, async () => {
      server.behaviour.handshake = 'silent';
      try {
        const session = new Session({ endpoint: transport === 'ws' ? server.wsUrl : server.httpUrl, stypes: STYPES, timeoutMs: 200 });
        const started = Date.now();
        const error = await session.connect().then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof ConnectionError, String(error));
        assert.ok(error.cause instanceof TimeoutError);
        assert.equal((error.cause as TimeoutError).timeoutMs, 200);
        assert.ok(Date.now() - started < 2000);
        assert.deepEqual(session.stats.timers, 0);
        await session.close();
      } finally {
        server.behaviour.handshake = 'ai-alpn-select';
      }
    });

    it(`throws ConnectionError, not a bare TypeError or ErrorEvent, when nothing listens (${transport})`, async () => {
      const port = await closedPort();
      const session = new Session({ endpoint: `${transport}://127.0.0.1:${port}/x`, stypes: STYPES });
      const error = await session.connect().then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ConnectionError, String(error));
      assert.equal(error.endpoint, `${transport}://127.0.0.1:${port}/x`);
      assert.ok(error.cause !== undefined);
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      await session.close();
    });
  }

  it('throws ConnectionError when the WebSocket closes during the handshake', async () => {
    server.behaviour.handshake = 'close';
    try {
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
      await assert.rejects(session.connect(), ConnectionError);
      await session.close();
    } finally {
      server.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('reads an MPL error reply to the hello ({"error": "E-…"}) as NegotiationError', async () => {
    server.behaviour.handshake = 'wire-error';
    try {
      for (const endpoint of [server.wsUrl, server.httpUrl]) {
        const session = new Session({ endpoint, stypes: STYPES });
        await assert.rejects(session.connect(), (e: unknown) => e instanceof NegotiationError && /E-HANDSHAKE-FAILED: version 2.0 is not supported/.test(e.reason));
        await session.close();
      }
    } finally {
      server.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('reads the proxy\'s HTTP 422 refusal of a hello as NegotiationError', async () => {
    server.behaviour.handshake = 'http-422';
    try {
      const session = new Session({ endpoint: server.httpUrl, stypes: STYPES });
      await assert.rejects(session.connect(), (e: unknown) => e instanceof NegotiationError && /HTTP 422/.test(e.reason));
      await session.close();
    } finally {
      server.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('reads an HTTP 500 to the hello as ConnectionError', async () => {
    server.behaviour.handshake = 'close';
    try {
      const session = new Session({ endpoint: server.httpUrl, stypes: STYPES });
      await assert.rejects(session.connect(), (e: unknown) => e instanceof ConnectionError && e.details['status'] === 500);
      await session.close();
    } finally {
      server.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('rejects an endpoint that is not ws/wss/http/https with E-INVALID-ARGUMENT: a string when the session is made, one a function gives at connect()', async () => {
    assert.throws(() => new Session({ endpoint: 'ftp://127.0.0.1/x' }), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT' && /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/, got ftp:/.test(e.message));
    const session = new Session({ endpoint: () => 'ftp://127.0.0.1/x' });
    await assert.rejects(session.connect(), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT');
  });

  it('refuses, when the session is made, an option it does not know (misspelt) and an offered SType that is none, naming them', () => {
    const refused = (config: object, pattern: RegExp): void => {
      assert.throws(() => new Session({ endpoint: server.wsUrl, ...config } as never), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT' && pattern.test(e.message), JSON.stringify(config));
    };
    refused({ timeout: 5000 }, /^Session config\.timeout is not an option \(the options are /);
    refused({ reconnect: { maxRetry: 3 } }, /^Session config\.reconnect\.maxRetry is not an option/);
    refused({ stypes: ['org.calendar.Event.v1', 'not an stype'] }, /^Session config\.stypes\[1\] must be an SType \(.*\), got "not an stype"$/);
    new Session({ endpoint: server.wsUrl, stypes: ['urn:stype:org.calendar.Event.v1'], hashLayout: 'legacy', reconnect: { maxRetries: 3 } });
  });

  it('calls an async endpoint function and query before the connection, keeping tokens out of errors', async () => {
    let calls = 0;
    const before = server.received.length;
    const session = new Session({
      endpoint: async () => { calls++; return server.wsUrl; },
      query: async () => ({ token: `secret-${calls}` }),
      stypes: STYPES,
    });
    await session.connect();
    assert.equal(calls, 1);
    assert.equal(server.received[before]?.path, '/ws?token=secret-1');
    await session.close();
  });

  it('sends the configured headers with every HTTP request (from a function, evaluated each time)', async () => {
    let n = 0;
    const before = server.received.length;
    const session = new Session({ endpoint: server.httpUrl, stypes: STYPES, headers: () => ({ authorization: `Bearer t${++n}` }) });
    await session.connect();
    await session.send('org.calendar.Event.v1', { title: 'x', start: '2024-01-15T10:00:00Z' });
    const seen = server.received.slice(before).map((r) => r.headers?.['authorization']);
    assert.deepEqual(seen, ['Bearer t1', 'Bearer t2']);
    assert.equal(server.received.at(-1)?.headers?.['x-mpl-stype'], 'org.calendar.Event.v1');
    await session.close();
  });

  it('sends an HTTP endpoint\'s own query (a token) with the hello at the origin root too, as with every envelope', async () => {
    const before = server.received.length;
    const session = new Session({ endpoint: `${server.httpUrl}?token=secret`, stypes: STYPES });
    await session.connect();
    await session.send('org.calendar.Event.v1', { title: 'x', start: '2024-01-15T10:00:00Z' });
    assert.deepEqual(server.received.slice(before).map((r) => new URL(r.path ?? '', 'http://x').searchParams.get('token')), ['secret', 'secret']);
    assert.match(server.received[before]?.path ?? '', /^\/\.well-known\/ai-alpn\?/);
    await session.close();
  });

  it('rejects connect() with the signal\'s reason when aborted', async () => {
    server.behaviour.handshake = 'silent';
    try {
      const session = new Session({ endpoint: server.wsUrl, stypes: STYPES });
      const controller = new AbortController();
      const pending = session.connect({ signal: controller.signal });
      setTimeout(() => controller.abort(new Error('user gave up')), 50);
      await assert.rejects(pending, /user gave up/);
      assert.equal(session.stats.timers, 0);
      await session.close();
    } finally {
      server.behaviour.handshake = 'ai-alpn-select';
    }
  });

  it('uses an injected WebSocket constructor', async () => {
    const { WebSocket: WS } = await import('ws');
    const urls: string[] = [];
    class Counting extends WS {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        urls.push(url);
      }
    }
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, WebSocket: Counting as unknown as typeof globalThis.WebSocket });
    await session.connect();
    assert.deepEqual(urls, [server.wsUrl]);
    await session.close();
  });

  it('can connect again after a failed connect()', async () => {
    server.behaviour.handshake = 'error';
    const session = new Session({ endpoint: server.wsUrl, stypes: STYPES, onError: errorLog().onError });
    await assert.rejects(session.connect(), NegotiationError);
    server.behaviour.handshake = 'ai-alpn-select';
    const caps = await session.connect();
    assert.deepEqual(caps.commonStypes, STYPES);
    await session.close();
  });
});
