// Client.call: JSON-RPC tools/call against the team's reference server (real tools, real
// validation) and against a small server that shows exactly what went over the wire.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Mode, MplError, SchemaFidelityError, type CallResult } from '../../src/index.ts';
import { json, rpcResult, startServer, type TestServer } from './support/http-server.ts';
import { useReferenceServer } from './support/reference-server.ts';

const EVENT = { title: 'Design review', start: '2024-01-15T10:00:00Z', duration_minutes: 30 };

function ok<T>(result: CallResult<T>): T {
  if (!result.valid) assert.fail(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

describe('Client.call against the reference server (development mode)', () => {
  const server = useReferenceServer();
  let client: Client;
  before(() => {
    client = new Client(`${server().url}/mcp`);
  });

  it('calls a tool and returns its structured result', async () => {
    const result = await client.call<{ sum: number }>('math.add', { a: 2, b: 40 });
    assert.deepEqual(ok(result), { sum: 42 });
    assert.equal(result.status, 200);
    assert.equal(result.qomPassed, true);
    assert.equal(result.stype, undefined);
    const raw = result.raw as { jsonrpc: string; result: { structuredContent: unknown } };
    assert.equal(raw.jsonrpc, '2.0');
    assert.deepEqual(raw.result.structuredContent, { sum: 42 });
  });

  it('echo returns the arguments unchanged', async () => {
    const args = { text: 'héllo', nested: { list: [1, 2, { deep: true }] } };
    assert.deepEqual(ok(await client.call('echo', args)), args);
  });

  it('sends X-MPL-SType when given, and reads the reply\'s X-MPL-* headers', async () => {
    const result = await client.call<{ status: string; event_id: string }>('calendar.create_event', EVENT, { stype: 'urn:stype:org.calendar.Event.v1' });
    assert.equal(ok(result).status, 'scheduled');
    assert.equal(result.stype, 'org.calendar.Event.v1');
    assert.equal(result.qomPassed, true);
    assert.equal(result.mplHeaders['x-mpl-qom-result'], 'pass');
    const seen = server().recorded.at(-1)!;
    assert.equal(seen.kind, 'json-rpc');
    assert.equal(seen.valid, true);
  });

  it('numbers requests with ids unique per client, as JSON-RPC 2.0 tools/call', async () => {
    const fresh = new Client(`${server().url}/mcp`);
    const start = server().recorded.length;
    await Promise.all([fresh.call('echo', { n: 1 }), fresh.call('echo', { n: 2 }), fresh.call('echo', { n: 3 })]);
    const wires = server().recorded.slice(start).map((r) => r.wire as { jsonrpc: string; id: number; method: string; params: unknown });
    assert.deepEqual(wires.map((w) => w.id).sort(), [1, 2, 3]);
    for (const w of wires) assert.equal(w.method, 'tools/call');
    assert.deepEqual(wires.find((w) => w.id === 1), { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { n: 1 } } });
  });

  it('a tool\'s JSON-RPC error (-32602) comes back in the result', async () => {
    const result = await client.call('math.add', { a: 'two', b: 1 });
    assert.equal(result.valid, false);
    assert.equal(result.error?.code, 'E-JSON-RPC');
    assert.equal(result.error?.details['jsonRpcCode'], -32602);
  });

  it('an unknown tool is a JSON-RPC -32601', async () => {
    const result = await client.call('calendar.delete_everything', {});
    assert.equal(result.error?.details['jsonRpcCode'], -32601);
  });

  it('arguments that break the declared SType: valid false, QoM fail', async () => {
    const result = await client.call<unknown>('calendar.create_event', { title: 'no start' }, { stype: 'org.calendar.Event.v1' }); // call<unknown>: no compile-time check of the arguments, so the proxy gets to block them
    assert.equal(result.valid, false);
    assert.equal(result.qomPassed, false);
    assert.equal(result.mplHeaders['x-mpl-qom-result'], 'fail');
  });
});

describe('Client.call against the reference server in production mode (blocks like the proxy)', () => {
  const server = useReferenceServer({ mode: 'production' });

  it('Mode.Production resolves successes and throws the proxy block as SchemaFidelityError', async () => {
    const client = new Client(`${server().url}/mcp`, { mode: Mode.Production });
    const { data } = await client.call<{ status: string }>('calendar.create_event', EVENT, { stype: 'org.calendar.Event.v1' });
    assert.equal(data.status, 'scheduled');
    await assert.rejects(client.call<unknown>('calendar.create_event', { title: 'no start' }, { stype: 'org.calendar.Event.v1' }), (e: unknown) => {
      assert.ok(e instanceof SchemaFidelityError);
      assert.equal(e.stype, 'org.calendar.Event.v1');
      assert.equal(e.details['status'], 400);
      assert.ok(e.validationErrors.length > 0);
      return true;
    });
    assert.equal(server().recorded.at(-1)?.blocked, true);
  });

  it('Mode.Development returns the same block as a result', async () => {
    const result = await new Client(`${server().url}/mcp`).call<unknown>('calendar.create_event', { title: 'no start' }, { stype: 'org.calendar.Event.v1' });
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof SchemaFidelityError);
    assert.equal(result.status, 400);
  });
});

describe('Client.call: what goes over the wire and how replies are read', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      const name = (req.body as { params: { name: string } }).params.name;
      const results: Record<string, unknown> = {
        structured: { content: [{ type: 'text', text: '{"ignored":true}' }], structuredContent: { kept: 1 } },
        'json-text': { content: [{ type: 'text', text: '{"n":7}' }] },
        'plain-text': { content: [{ type: 'text', text: 'just words' }] },
        'two-texts': { content: [{ type: 'text', text: '1' }, { type: 'image', data: 'AA==' }, { type: 'text', text: 'two' }] },
        'no-content': { anything: ['else'] },
      };
      if (name === 'not-json-rpc') return json(res, 200, { upstream: 'plain json' });
      json(res, 200, rpcResult(req, results[name]), {
        'X-MPL-QoM-Result': name === 'structured' ? 'FAIL' : 'pass',
        'X-MPL-SType': 'org.agent.TaskResult.v1',
        'X-MPL-Sem-Hash': `b3:${'ab'.repeat(32)}`,
        'X-MPL-Profile': 'qom-outcome',
        'X-MPL-TOC-Result': 'pass',
        'X-Other': 'not mpl',
      });
    });
  });
  after(() => server.close());

  it('POSTs JSON-RPC with the content type, the client headers and X-MPL-SType', async () => {
    const client = new Client(`${server.url}/tools/mcp?tenant=a`, { headers: { Authorization: 'Bearer t0k3n', 'X-Trace': 'abc' } });
    await client.call<unknown>('structured', { q: 1 }, { stype: 'org.agent.TaskPlan.v1' });
    const seen = server.requests.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.path, '/tools/mcp?tenant=a');
    assert.match(String(seen.headers['content-type']), /^application\/json/);
    assert.equal(seen.headers['authorization'], 'Bearer t0k3n');
    assert.equal(seen.headers['x-trace'], 'abc');
    assert.equal(seen.headers['x-mpl-stype'], 'org.agent.TaskPlan.v1');
    assert.deepEqual(seen.body, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'structured', arguments: { q: 1 } } });
    await client.call('structured');
    assert.equal(server.requests.at(-1)!.headers['x-mpl-stype'], undefined);
    assert.deepEqual((server.requests.at(-1)!.body as { params: unknown }).params, { name: 'structured', arguments: {} });
  });

  it('reads X-MPL-QoM-Result, X-MPL-SType, X-MPL-Sem-Hash, X-MPL-Profile and keeps every X-MPL-* header', async () => {
    const client = new Client(server.url);
    const failing = await client.call('structured', {});
    assert.equal(failing.qomPassed, false, 'FAIL (any case) is a failed QoM check');
    assert.equal(failing.valid, true, 'a QoM fail header alone is not a failed call');
    const r = await client.call('json-text', {});
    assert.equal(r.qomPassed, true);
    assert.equal(r.stype, 'org.agent.TaskResult.v1');
    assert.equal(r.semHash, `b3:${'ab'.repeat(32)}`);
    assert.equal(r.profile, 'qom-outcome');
    assert.deepEqual(Object.keys(r.mplHeaders).sort(), ['x-mpl-profile', 'x-mpl-qom-result', 'x-mpl-sem-hash', 'x-mpl-stype', 'x-mpl-toc-result']);
  });

  it('data: structuredContent first, else text content parsed as JSON, else the result', async () => {
    const client = new Client(server.url, { mode: Mode.Production });
    assert.deepEqual((await client.call('structured', {})).data, { kept: 1 });
    assert.deepEqual((await client.call('json-text', {})).data, { n: 7 });
    assert.equal((await client.call('plain-text', {})).data, 'just words');
    assert.deepEqual((await client.call('two-texts', {})).data, [1, 'two']);
    assert.deepEqual((await client.call('no-content', {})).data, { anything: ['else'] });
  });

  it('a reply that is not JSON-RPC is kept whole as data', async () => {
    const result = await new Client(server.url).call('not-json-rpc', {});
    assert.deepEqual(ok(result), { upstream: 'plain json' });
    assert.equal(result.qomPassed, true, 'no X-MPL-QoM-Result: nobody reported a failure');
  });

  it('uses the fetch it is given', async () => {
    const urls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    const result = await new Client(server.url, { fetch: counting }).call('json-text', {});
    assert.deepEqual(ok(result), { n: 7 });
    assert.deepEqual(urls, [`${server.url}/`]);
  });

  it('production results are plain successes; errors are MplErrors', async () => {
    const client = new Client(server.url, { mode: Mode.Production });
    const result = await client.call<{ n: number }>('json-text', {});
    assert.equal(result.valid, true);
    assert.equal(result.data.n, 7);
    assert.equal(result.error, undefined);
    await assert.rejects(client.call('structured', {}, { stype: 'bad stype' }), MplError);
  });
});
