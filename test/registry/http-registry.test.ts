// httpRegistry against a real static server on an ephemeral port: caching and
// de-duplication seen in request counts, layout detection, retries, and every way a
// registry can be broken, each an MplError naming the SType and the URL.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ErrorCode, MplError, SchemaValidator, UnknownStypeError, httpRegistry } from '../../src/index.ts';
import { closedPort, startRegistryServer, type RegistryServer } from './support/registry-server.ts';

const EVENT = 'stypes/org/calendar/Event/v1/schema.json';
const event = { title: 'Sync', start: '2024-01-15T10:00:00Z' };

async function rejectsWith(promise: Promise<unknown>, code: string, ...fragments: string[]): Promise<MplError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MplError, `not an MplError: ${error}`);
    assert.equal(error.code, code, error.message);
    for (const f of fragments) assert.ok(error.message.includes(f), `"${error.message}" does not mention ${f}`);
    return error;
  }
  assert.fail('resolved');
}

describe('httpRegistry', () => {
  let server: RegistryServer;
  before(async () => { server = await startRegistryServer(); });

  /** Answers `path` with a bodiless `status` the first time, then with a `{"type":"object"}` schema; counts the requests. */
  function failingOnce(path: string, status: number): { calls: number } {
    const seen = { calls: 0 };
    server.override(path, (_req, res) => {
      seen.calls++;
      if (seen.calls === 1) { res.writeHead(status); res.end(); return; }
      res.end('{"type":"object"}');
    });
    return seen;
  }
  afterEach(() => { server.requests.length = 0; });
  after(() => server.close());

  it('gives a body that never ends its own time limit, after the headers came', async () => {
    server.override('stypes/org/test/Trickle/v1/schema.json', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":'); // and nothing more
    });
    const registry = httpRegistry(server.url, { layout: 'static', timeoutMs: 300, retry: 0 });
    const started = performance.now();
    await assert.rejects(registry.getSchema('org.test.Trickle.v1'), (error: unknown) =>
      error instanceof MplError && error.code === ErrorCode.Registry && /did not come within 300 ms/.test(error.message));
    assert.ok(performance.now() - started < 3000);
  });

  it('fetches a schema once, then answers from memory (fresh copies each time)', async () => {
    const registry = httpRegistry(server.url, { layout: 'static' });
    const a = await registry.getSchema('org.calendar.Event.v1');
    const b = await registry.getSchema('urn:stype:org.calendar.Event.v1');
    assert.deepEqual(a, b);
    assert.notEqual(a, b);
    (a as { title?: string }).title = 'changed';
    assert.notEqual((await registry.getSchema('org.calendar.Event.v1') as { title?: string }).title, 'changed');
    assert.equal(server.count(EVENT), 1);
  });

  it('makes one request for twenty concurrent getSchema/has/validate calls of one SType', async () => {
    const registry = httpRegistry(server.url, { layout: 'static' });
    const validator = new SchemaValidator(registry);
    await Promise.all([
      ...Array.from({ length: 10 }, () => registry.getSchema('org.calendar.Event.v1')),
      ...Array.from({ length: 5 }, () => registry.has('org.calendar.Event.v1')),
      ...Array.from({ length: 5 }, () => validator.validate('org.calendar.Event.v1', event)),
    ]);
    assert.equal(server.count(EVENT), 1);
  });

  it('auto layout: static answers first; a service layout costs one 404 once, then goes straight to /schema', async () => {
    await httpRegistry(server.url).getSchema('org.calendar.Event.v1');
    assert.deepEqual(server.requests, [`/registry/${EVENT}`]);
    const service = await startRegistryServer({ layout: 'service' });
    try {
      const registry = httpRegistry(service.url);
      await registry.getSchema('org.calendar.Event.v1');
      await registry.getSchema('org.agent.Heartbeat.v1');
      assert.deepEqual(service.requests, [
        `/registry/${EVENT}`,
        '/registry/stypes/org/calendar/Event/v1/schema',
        '/registry/stypes/org/agent/Heartbeat/v1/schema',
      ]);
    } finally {
      await service.close();
    }
  });

  it('resolves urn:stype $refs from the same registry, and nothing else', async () => {
    const validator = new SchemaValidator(httpRegistry(server.url, { layout: 'static' }));
    const issues = await validator.validate('eval.rag.RAGResponse.v1', { answer: 'a', sources: [], query: { top_k: 0 } });
    assert.deepEqual(issues.map((i) => i.path).sort(), ['/query', '/query/top_k']);
    assert.deepEqual(server.requests.map((r) => r.replace('/registry/', '')).sort(), [
      'stypes/eval/rag/RAGQuery/v1/schema.json', 'stypes/eval/rag/RAGResponse/v1/schema.json',
    ]);
  });

  it('refuses a $ref to another URL with E-REGISTRY, and fetches nothing from it', async () => {
    const elsewhere = await startRegistryServer();
    try {
      server.override('stypes/org/evil/Ref/v1/schema.json', (_req, res) => res.end(JSON.stringify({
        $id: 'urn:stype:org.evil.Ref.v1', type: 'object', properties: { x: { $ref: `${elsewhere.url}stypes/org/calendar/Event/v1/schema.json` } },
      })));
      const validator = new SchemaValidator(httpRegistry(server.url, { layout: 'static' }));
      await rejectsWith(validator.validate('org.evil.Ref.v1', { x: {} }), ErrorCode.Registry, 'org.evil.Ref.v1', elsewhere.url, 'urn:stype:');
      assert.equal(elsewhere.requests.length, 0);
    } finally {
      await elsewhere.close();
    }
  });

  it('a missing schema is UnknownStypeError naming every URL it tried', async () => {
    const error = await rejectsWith(httpRegistry(server.url).getSchema('org.nothing.Here.v1'), ErrorCode.UnknownStype,
      `${server.url}stypes/org/nothing/Here/v1/schema.json`, `${server.url}stypes/org/nothing/Here/v1/schema`);
    assert.ok(error instanceof UnknownStypeError);
    assert.equal(error.stype, 'org.nothing.Here.v1');
    const validator = new SchemaValidator(httpRegistry(server.url, { layout: 'static' }));
    await assert.rejects(validator.validate('org.nothing.Here.v1', {}), UnknownStypeError);
  });

  it('a body that is not JSON is E-REGISTRY naming the SType and URL', async () => {
    server.override('stypes/org/bad/Json/v1/schema.json', (_req, res) => res.end('<html>oops</html>'));
    await rejectsWith(httpRegistry(server.url).getSchema('org.bad.Json.v1'), ErrorCode.Registry, 'org.bad.Json.v1', `${server.url}stypes/org/bad/Json/v1/schema.json`, 'not JSON');
  });

  it('JSON that is not a valid schema is E-REGISTRY saying what is wrong', async () => {
    server.override('stypes/org/bad/Schema/v1/schema.json', (_req, res) => res.end(JSON.stringify({ type: 'strnig', required: 'title', pattern: '(' })));
    const error = await rejectsWith(httpRegistry(server.url).getSchema('org.bad.Schema.v1'), ErrorCode.Registry, 'org.bad.Schema.v1', 'not a valid JSON Schema');
    assert.match(error.message, /\/type must be/);
    assert.match(error.message, /\/required must be an array/);
    assert.match(error.message, /\/pattern must be a valid regular expression/);
    server.override('stypes/org/bad/Array/v1/schema.json', (_req, res) => res.end('[1, 2]'));
    await rejectsWith(httpRegistry(server.url).getSchema('org.bad.Array.v1'), ErrorCode.Registry, 'org.bad.Array.v1', 'not a JSON object');
    server.override('stypes/org/bad/Id/v1/schema.json', (_req, res) => res.end('{"$id": "https://elsewhere.example/x.json"}'));
    await rejectsWith(httpRegistry(server.url).getSchema('org.bad.Id.v1'), ErrorCode.Registry, 'org.bad.Id.v1', 'urn:stype:org.bad.Id.v1');
  });

  it('HTTP errors other than 404 are E-REGISTRY with the status; 5xx is retried', async () => {
    const flaky = failingOnce('stypes/org/flaky/Thing/v1/schema.json', 503);
    assert.deepEqual(await httpRegistry(server.url, { layout: 'static' }).getSchema('org.flaky.Thing.v1'), { type: 'object' });
    assert.equal(flaky.calls, 2);
    server.override('stypes/org/locked/Thing/v1/schema.json', (_req, res) => { res.writeHead(403); res.end('{"error":"forbidden"}'); });
    const error = await rejectsWith(httpRegistry(server.url).getSchema('org.locked.Thing.v1'), ErrorCode.Registry, 'HTTP 403', 'org.locked.Thing.v1');
    assert.equal(error.details['status'], 403);
  });

  it('a failed fetch is not cached: the next call asks again', async () => {
    const later = failingOnce('stypes/org/later/Thing/v1/schema.json', 500);
    const registry = httpRegistry(server.url, { layout: 'static', retry: 0 });
    await rejectsWith(registry.getSchema('org.later.Thing.v1'), ErrorCode.Registry, 'HTTP 500');
    assert.deepEqual(await registry.getSchema('org.later.Thing.v1'), { type: 'object' });
    assert.equal(later.calls, 2);
  });

  it('an unreachable registry is E-REGISTRY naming the URL, after the retries', async () => {
    const port = await closedPort();
    let attempts = 0;
    const counting: typeof fetch = (input, init) => { attempts++; return fetch(input, init); };
    await rejectsWith(httpRegistry(`http://127.0.0.1:${port}/reg`, { retry: 1, fetch: counting, layout: 'static' }).getSchema('org.calendar.Event.v1'),
      ErrorCode.Registry, `http://127.0.0.1:${port}/reg/stypes/org/calendar/Event/v1/schema.json`, 'org.calendar.Event.v1');
    assert.equal(attempts, 2);
  });

  it("retries Bun's and workerd's network errors too, which ky does not recognise", async () => {
    for (const make of [() => Object.assign(new TypeError('Unable to connect. Is the computer able to access the url?'), { code: 'ConnectionRefused' }), () => new Error('Network connection lost.')]) {
      let attempts = 0;
      const flaky: typeof fetch = (input, init) => (++attempts === 1 ? Promise.reject(make()) : fetch(input, init));
      assert.equal(typeof (await httpRegistry(server.url, { fetch: flaky, layout: 'static' }).getSchema('org.agent.Heartbeat.v1')), 'object');
      assert.equal(attempts, 2);
    }
  });

  it('a registry slower than timeoutMs is E-REGISTRY "timed out", and no timer is left behind', async () => {
    server.override('stypes/org/slow/Thing/v1/schema.json', (_req, res) => { const t = setTimeout(() => res.end('{}'), 2000); res.on('close', () => clearTimeout(t)); });
    const started = Date.now();
    await rejectsWith(httpRegistry(server.url, { timeoutMs: 100, retry: 0, layout: 'static' }).getSchema('org.slow.Thing.v1'), ErrorCode.Registry, 'timed out after 100 ms', 'org.slow.Thing.v1');
    assert.ok(Date.now() - started < 1500);
  });

  it('does not follow a redirect, even to its own origin', async () => {
    const elsewhere = await startRegistryServer();
    try {
      server.override('stypes/org/moved/Thing/v1/schema.json', (_req, res) => { res.writeHead(302, { location: `${elsewhere.url}${EVENT}` }); res.end(); });
      await rejectsWith(httpRegistry(server.url, { layout: 'static' }).getSchema('org.moved.Thing.v1'), ErrorCode.Registry, 'redirects', elsewhere.url);
      assert.equal(elsewhere.requests.length, 0);
    } finally {
      await elsewhere.close();
    }
  });

  it('injects a fetch, sends configured headers, and lists STypes from index.json', async () => {
    const seen: string[] = [];
    const recording: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      seen.push(`${request.url} ${request.headers.get('x-api-key')}`);
      return fetch(request);
    };
    const registry = httpRegistry(server.url, { fetch: recording, headers: { 'x-api-key': 'k1' } });
    const ids = await registry.list();
    assert.ok(ids.includes('org.calendar.Event.v1'));
    assert.deepEqual(seen, [`${server.url}index.json k1`]);
  });

  it('refuses options it does not know or of the wrong kind when it is made, naming them (a misspelt layout looked in …/undefined)', () => {
    const cases: [unknown, RegExp][] = [
      [{ layout: 'servce' }, /^httpRegistry options\.layout must be "auto", "static" or "service", got "servce"$/],
      [{ timeoutMs: -1 }, /options\.timeoutMs must be a positive number of milliseconds up to 2147483647, got -1/],
      [{ timeoutMs: 'abc' }, /options\.timeoutMs must be a positive number of milliseconds up to 2147483647, got "abc"/],
      [{ timeoutMs: Infinity }, /options\.timeoutMs must be a positive number of milliseconds up to 2147483647, got Infinity/],
      ['static', /^httpRegistry options must be an object, got "static"$/],
      [{ retry: -3 }, /options\.retry must be a whole number of retries/],
      [{ headers: 5 }, /options\.headers must be an object of header names to string values, got 5/],
      [{ fetch: 'yes' }, /options\.fetch must be a function/],
      [{ timeout: 5 }, /^httpRegistry options\.timeout is not an option \(the options are layout, timeoutMs, retry, headers, fetch\)$/],
    ];
    for (const [options, pattern] of cases) {
      assert.throws(() => httpRegistry('http://127.0.0.1:9/', options as never), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidArgument && pattern.test(e.message), JSON.stringify(options));
    }
    httpRegistry('http://127.0.0.1:9/', null as never);
    httpRegistry('http://127.0.0.1:9/', { layout: 'service', timeoutMs: 500, retry: 0, headers: { 'x-api-key': 'k' }, fetch: globalThis.fetch });
  });

  it('refuses a base URL that is not http(s)', () => {
    for (const bad of ['ftp://x/registry', 'file:///etc/', 'javascript:alert(1)', 'not a url']) {
      assert.throws(() => httpRegistry(bad), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidArgument);
    }
  });
});
