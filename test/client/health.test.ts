// Client.health and Client.capabilities: GETs at the endpoint's origin, retried after
// network failures and 5xx, failures thrown in both modes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, ConnectionError, ErrorCode, MplError, PolicyDeniedError, TimeoutError } from '../../src/index.ts';
import { closedPort, json, startServer, text, type TestServer } from './support/http-server.ts';
import { useReferenceServer } from './support/reference-server.ts';

describe('Client.health and capabilities against the reference server', () => {
  const server = useReferenceServer();

  it('health() reads GET /health at the origin, whatever the endpoint path', async () => {
    const health = await new Client(`${server().url}/some/deep/mcp`).health();
    assert.equal(health.status, 'healthy');
    assert.equal(health.version, '0.1.2');
  });

  it('null for an options argument (plain JavaScript) means no options, in the constructor and every method', async () => {
    const client = new Client(`${server().url}/mcp`, null as never);
    assert.equal((await client.health(null as never)).status, 'healthy');
    assert.equal((await client.capabilities(null as never)).version, '0.1.2');
    const sent = await client.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' }, null as never);
    assert.equal(sent.valid, true);
    await assert.doesNotReject(client.call('echo', { q: 1 }, null as never).catch((error: unknown) => {
      if (error instanceof TypeError) throw error; // what the reference server says of the tool is not the point
    }));
  });

  it('capabilities() reads GET /capabilities into camelCase', async () => {
    const caps = await new Client(`${server().url}/mcp`).capabilities();
    assert.equal(caps.version, '0.1.2');
    assert.equal(caps.mplVersion, '1.0');
    assert.ok(caps.stypes.includes('org.calendar.Event.v1'));
    assert.deepEqual(caps.profiles, ['qom-basic', 'qom-strict-argcheck', 'qom-outcome', 'qom-comprehensive']);
    assert.equal(caps.capabilities['schema_validation'], true);
    assert.equal(caps.mode, 'development');
    assert.equal((caps.raw as { mpl_version: string }).mpl_version, '1.0');
  });
});

describe('Client GETs: retries, errors', () => {
  let server: TestServer;
  let flaky = 0;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.path === '/health' && flaky > 0) {
        flaky -= 1;
        return text(res, 503, 'warming up');
      }
      if (req.path === '/health') return json(res, 200, { status: 'healthy', version: 'x' });
      if (req.path === '/capabilities') return json(res, 200, ['not', 'an', 'object']);
      return text(res, 404, 'no');
    });
  });
  after(() => server.close());

  it('retries a GET after a 503 (twice by default) and succeeds', async () => {
    flaky = 2;
    const before = server.requests.length;
    assert.equal((await new Client(server.url).health()).status, 'healthy');
    assert.equal(server.requests.length - before, 3);
  });

  it('gives up after the retry limit and throws E-HTTP-STATUS, in development mode too', async () => {
    flaky = 5;
    const before = server.requests.length;
    await assert.rejects(new Client(server.url, { retry: 1 }).health(), (e: unknown) => e instanceof MplError && e.code === 'E-HTTP-STATUS' && e.details['status'] === 503);
    assert.equal(server.requests.length - before, 2);
    flaky = 0;
  });

  it('a body of the wrong shape is E-INVALID-ENVELOPE', async () => {
    await assert.rejects(new Client(server.url).capabilities(), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidEnvelope);
  });

  it('retries a GET after a network failure, then throws ConnectionError', async () => {
    const port = await closedPort();
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts += 1;
      return fetch(input, init);
    };
    const client = new Client(`http://127.0.0.1:${port}/mcp`, { fetch: counting, retry: 1 });
    await assert.rejects(client.health(), (e: unknown) => e instanceof ConnectionError && e.endpoint === `http://127.0.0.1:${port}/health`);
    assert.equal(attempts, 2);
  });

  it('times out a GET that never answers, without retrying the timeout', async () => {
    const silent = await startServer(() => { /* never answers */ });
    try {
      const started = Date.now();
      await assert.rejects(new Client(silent.url, { timeoutMs: 100 }).health(), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 100 && /GET \/health/.test(e.operation));
      assert.ok(Date.now() - started < 2000);
      assert.equal(silent.requests.length, 1);
    } finally {
      await silent.close();
    }
  });
});

describe('Client GETs: what a peer that answers otherwise says', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.path === '/health' || req.path === '/capabilities') {
        if (req.headers['x-case'] === 'policy') return json(res, 200, { error: 'E-POLICY-DENIED', message: 'this token may not read /health', details: { policy: 'ops-only' } });
        if (req.headers['x-case'] === 'busy') return text(res, 503, 'come back later', { 'Retry-After': '3600' });
        if (req.headers['x-case'] === 'soon') return json(res, 200, { status: 'healthy' });
        if (req.headers['x-case'] === 'broken') return text(res, 400, '{"error":"E-SCHEMA-FIDELITY","message":"bad",}', { 'Content-Type': 'application/json' });
      }
      return text(res, 404, 'no');
    });
  });
  after(() => server.close());
  const client = (kase: string, options: ConstructorParameters<typeof Client>[1] = {}) => new Client(`${server.url}/mcp`, { headers: { 'x-case': kase }, ...options });

  it('an MPL error in a 200 answer is that error, for health() and capabilities() (not a health, not empty capabilities)', async () => {
    for (const call of [(c: Client) => c.health(), (c: Client) => c.capabilities()]) {
      await assert.rejects(call(client('policy')), (e: unknown) => e instanceof PolicyDeniedError && /may not read/.test(e.message));
    }
  });

  it('a Retry-After longer than timeoutMs is not waited for: the 503 comes back at once, saying how long', async () => {
    const started = performance.now();
    await assert.rejects(client('busy', { timeoutMs: 500 }).health(), (e: unknown) => e instanceof MplError && e.code === 'E-HTTP-STATUS'
      && e.details['status'] === 503 && e.details['retryAfter'] === '3600' && /Retry-After: 3600/.test(e.message));
    assert.ok(performance.now() - started < 5_000, 'not an hour, nor retries clamped to the timeout');
  });

  it('an error body labelled JSON that does not parse is kept as its text, not reported as an empty body', async () => {
    const body = '{"error":"E-SCHEMA-FIDELITY","message":"bad",}';
    await assert.rejects(client('broken').health(), (e: unknown) => e instanceof MplError && e.code === 'E-HTTP-STATUS'
      && e.details['body'] === body && e.message.includes(body));
  });

  it('the caller\'s abort reason is thrown as it is in development mode too, even an MplError', async () => {
    const controller = new AbortController();
    const reason = new ConnectionError('the user cancelled');
    controller.abort(reason);
    const dev = new Client(`${server.url}/mcp`, { headers: { 'x-case': 'soon' } });
    await assert.rejects(dev.send('org.calendar.Event.v1', { title: 'Sync', start: '2024-03-01T14:00:00Z' }, { signal: controller.signal }), (e: unknown) => e === reason);
  });
});

