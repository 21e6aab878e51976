// Every failure path of Client.call, against small real servers: JSON-RPC errors, the
// proxy's 4xx block, 5xx, a server that never answers, a refused connection, malformed
// replies, aborts. In development mode a failure comes back in the result; in production
// the same MplError is thrown.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client, ConnectionError, ErrorCode, Mode, MplError, SchemaFidelityError, TimeoutError, type CallResult,
} from '../../src/index.ts';
import { closedPort, json, rpcResult, startServer, text, type TestServer } from './support/http-server.ts';

const dev = (url: string, options = {}) => new Client(`${url}/mcp`, { mode: Mode.Development, ...options });
const prod = (url: string, options = {}) => new Client(`${url}/mcp`, { mode: Mode.Production, ...options });

function failed(result: CallResult): MplError {
  assert.equal(result.valid, false, 'the call should have failed');
  if (result.valid) throw new Error('unreachable');
  assert.equal(result.data, undefined);
  assert.ok(result.error instanceof MplError);
  assert.equal(result.qomPassed, false, 'a failed call passed nothing, whatever its headers said');
  return result.error;
}

describe('Client.call: a JSON-RPC error', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => json(res, 200, {
      jsonrpc: '2.0', id: (req.body as { id: number }).id,
      error: { code: -32602, message: 'Invalid params: a must be a number', data: { details: ['/a: must be number'] } },
    }, { 'X-MPL-QoM-Result': 'fail' }));
  });
  after(() => server.close());

  it('comes back in development mode as E-JSON-RPC with the JSON-RPC code in details', async () => {
    const result = await dev(server.url).call('math.add', { a: 'x', b: 1 });
    const error = failed(result);
    assert.equal(error.code, 'E-JSON-RPC');
    assert.equal(error.details['jsonRpcCode'], -32602);
    assert.equal(error.details['jsonRpcMessage'], 'Invalid params: a must be a number');
    assert.deepEqual(error.details['data'], { details: ['/a: must be number'] });
    assert.equal(error.details['tool'], 'math.add');
    assert.match(error.message, /tools\/call math\.add failed: JSON-RPC error -32602: Invalid params/);
    assert.equal(result.status, 200);
    assert.equal(result.qomPassed, false);
  });

  it('is thrown in production mode', async () => {
    await assert.rejects(prod(server.url).call('math.add', { a: 'x', b: 1 }), (e: unknown) =>
      e instanceof MplError && e.code === 'E-JSON-RPC' && e.details['jsonRpcCode'] === -32602);
  });
});

describe('Client.call: an MPL error inside a JSON-RPC error', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => json(res, 200, {
      jsonrpc: '2.0', id: (req.body as { id: number }).id,
      error: { code: -32602, message: 'Invalid params', data: { error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['/start: must be a date-time'] } },
    }));
  });
  after(() => server.close());

  it('becomes the matching class, keeping the JSON-RPC code', async () => {
    const error = failed(await dev(server.url).call<unknown>('calendar.create_event', { title: 'x' }, { stype: 'org.calendar.Event.v1' })); // call<unknown>: arguments the compiler would refuse
    assert.ok(error instanceof SchemaFidelityError);
    assert.equal(error.stype, 'org.calendar.Event.v1');
    assert.deepEqual(error.validationErrors, [{ path: '/start', message: 'must be a date-time', keyword: 'server' }]);
    assert.equal(error.details['jsonRpcCode'], -32602);
  });
});

describe('Client.call: the proxy blocks the request (HTTP 400 E-SCHEMA-FIDELITY)', () => {
  let server: TestServer;
  const block = {
    error: 'E-SCHEMA-FIDELITY', message: 'Request validation failed',
    details: ['/attendees/1: "not-an-email" is not a "email"', '"start" is a required property'],
  };
  before(async () => {
    server = await startServer((_req, res) => json(res, 400, block, { 'X-MPL-QoM-Result': 'fail', 'X-MPL-SType': 'org.calendar.Event.v1' }));
  });
  after(() => server.close());

  it('comes back as a SchemaFidelityError with every detail, the status and the headers', async () => {
    const result = await dev(server.url).call<unknown>('calendar.create_event', { title: 'x' }, { stype: 'org.calendar.Event.v1' });
    const error = failed(result);
    assert.ok(error instanceof SchemaFidelityError);
    assert.equal(error.code, ErrorCode.SchemaFidelity);
    assert.equal(error.stype, 'org.calendar.Event.v1');
    assert.deepEqual(error.validationErrors.map((v) => v.path), ['/attendees/1', '']);
    assert.equal(error.details['status'], 400);
    assert.deepEqual(error.details['server'], block);
    assert.equal(result.status, 400);
    assert.equal(result.qomPassed, false);
    assert.equal(result.stype, 'org.calendar.Event.v1');
    assert.deepEqual(result.raw, block);
  });

  it('is thrown in production mode', async () => {
    await assert.rejects(prod(server.url).call<unknown>('calendar.create_event', {}, { stype: 'org.calendar.Event.v1' }), SchemaFidelityError);
  });
});

describe('Client.call: HTTP errors without an MPL body', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.path === '/fail/500') return text(res, 500, 'upstream exploded');
      if (req.path === '/fail/503') return text(res, 503, 'busy', { 'Retry-After': '0' });
      if (req.path === '/fail/404') return json(res, 404, { message: 'no such route' });
      if (req.path === '/fail/502-rpc') return json(res, 502, { jsonrpc: '2.0', id: (req.body as { id: number }).id, error: { code: -32000, message: 'upstream down' } });
      if (req.path === '/fail/500-json-string') return json(res, 500, '123');
      if (req.path === '/fail/500-json-text') return json(res, 500, 'Bad Gateway');
      if (req.path === '/fail/500-mislabelled') return text(res, 500, 'Bad Gateway', { 'Content-Type': 'application/json' });
      return text(res, 418, '');
    });
  });
  after(() => server.close());

  it('5xx: E-HTTP-STATUS with the status and the body', async () => {
    const error = failed(await new Client(`${server.url}/fail/500`).call('echo', {}));
    assert.equal(error.code, 'E-HTTP-STATUS');
    assert.equal(error.details['status'], 500);
    assert.equal(error.details['body'], 'upstream exploded');
    assert.match(error.message, /answered HTTP 500 Internal Server Error with upstream exploded/);
  });

  it('4xx without an MPL error body: E-HTTP-STATUS; an empty body is said to be empty', async () => {
    assert.equal(failed(await new Client(`${server.url}/fail/404`).call('echo', {})).details['status'], 404);
    assert.match(failed(await new Client(`${server.url}/fail/418`).call('echo', {})).message, /HTTP 418 .*an empty body/);
  });

  it('a JSON-RPC error in a 5xx body is read as the JSON-RPC error, with the status', async () => {
    const error = failed(await new Client(`${server.url}/fail/502-rpc`).call('echo', {}));
    assert.equal(error.code, 'E-JSON-RPC');
    assert.equal(error.details['jsonRpcCode'], -32000);
    assert.equal(error.details['status'], 502);
  });

  it('a body is read once, whether the request goes to fetch or through ky (retries): a JSON string stays a string', async () => {
    for (const retry of [0, 1]) {
      const read = async (path: string): Promise<MplError> => failed(await new Client(`${server.url}${path}`, { retry: { limit: retry, post: true } }).call('echo', {}));
      const jsonString = await read('/fail/500-json-string'); // the JSON text "123": the string 123, not the number
      assert.equal(jsonString.details['body'], '123', `retry ${retry}`);
      assert.equal((await read('/fail/500-json-text')).details['body'], 'Bad Gateway', `retry ${retry}`);
      assert.equal((await read('/fail/500-mislabelled')).details['body'], 'Bad Gateway', `retry ${retry}`); // labelled JSON, not JSON: its text
      assert.equal((await read('/fail/500')).details['body'], 'upstream exploded', `retry ${retry}`);
      assert.equal((await read('/fail/404')).details['body']?.constructor, Object, `retry ${retry}`);
    }
  });

  it('a POST is not retried on 5xx unless the caller opts in', async () => {
    const before = server.requests.length;
    await new Client(`${server.url}/fail/503`).call('echo', {});
    assert.equal(server.requests.length - before, 1);
    const optedIn = await new Client(`${server.url}/fail/503`, { retry: { limit: 2, post: true } }).call('echo', {});
    assert.equal(optedIn.valid, false);
    assert.equal(server.requests.length - before, 4);
    await new Client(`${server.url}/fail/503`).call('echo', {}, { retry: 1 });
    assert.equal(server.requests.length - before, 6);
  });

  it('production mode throws them', async () => {
    await assert.rejects(prod(server.url).call('echo', {}), (e: unknown) => e instanceof MplError && e.code === 'E-HTTP-STATUS');
  });
});

describe('Client.call: a server that never answers', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(() => { /* holds the request open until close() */ });
  });
  after(() => server.close());

  it('times out with TimeoutError(operation, timeoutMs), once, without retrying the POST', async () => {
    const started = Date.now();
    const result = await dev(server.url, { timeoutMs: 150 }).call('echo', { x: 1 });
    const elapsed = Date.now() - started;
    const error = failed(result);
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.code, ErrorCode.Timeout);
    assert.equal(error.timeoutMs, 150);
    assert.match(error.operation, /tools\/call echo \(POST http:\/\/127\.0\.0\.1:\d+\/mcp\)/);
    assert.ok(elapsed >= 140 && elapsed < 2000, `settled after ${elapsed} ms`);
    assert.equal(result.status, 0);
    assert.equal(result.qomPassed, false);
  });

  it('a per-call timeout overrides the client\'s, and production mode throws', async () => {
    await assert.rejects(prod(server.url, { timeoutMs: 60_000 }).call('echo', {}, { timeoutMs: 100 }), (e: unknown) => e instanceof TimeoutError && e.timeoutMs === 100);
  });

  it('an abort rejects with the signal\'s reason, in development mode too', async () => {
    const controller = new AbortController();
    const pending = dev(server.url).call('echo', {}, { signal: controller.signal });
    const reason = new Error('user left the page');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(pending, (e: unknown) => e === reason);
  });
});

describe('Client.call: many calls under one signal of the caller\'s', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => void setTimeout(() => json(res, 200, rpcResult(req, { content: [{ type: 'text', text: 'ok' }] })), 20));
  });
  after(() => server.close());

  it('hold one listener on it, not one each (Node warns past ten), and all settle; aborting it then ends the ones still waiting', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const cancelAll = new AbortController();
      const client = dev(server.url);
      const results = await Promise.all(Array.from({ length: 20 }, () => client.call('echo', {}, { signal: cancelAll.signal })));
      assert.ok(results.every((r) => r.valid), 'every call answered');
      const pending = Array.from({ length: 12 }, () => client.call('echo', {}, { signal: cancelAll.signal }));
      const reason = new Error('the page closed');
      cancelAll.abort(reason);
      for (const call of pending) await assert.rejects(call, (e: unknown) => e === reason);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings.map((w) => w.name), []);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('Client.call: a server that stops in the middle of its answer', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"jsonrpc":"2.0",'); // then nothing more, until close()
    });
  });
  after(() => server.close());

  it('the time limit covers the body too: TimeoutError, not a promise that never settles', async () => {
    const started = Date.now();
    const error = failed(await dev(server.url, { timeoutMs: 150 }).call('echo', {}));
    assert.ok(error instanceof TimeoutError, `${(error as Error).name}: ${(error as Error).message}`);
    assert.equal(error.timeoutMs, 150);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('Client.call: nothing listens', () => {
  it('gives a ConnectionError naming the endpoint, with the runtime error as cause', async () => {
    const port = await closedPort();
    const result = await dev(`http://127.0.0.1:${port}`).call('echo', {});
    const error = failed(result);
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.code, ErrorCode.ConnectionFailed);
    assert.equal(error.endpoint, `http://127.0.0.1:${port}/mcp`);
    assert.ok(error.cause instanceof Error);
    assert.match(error.message, /cannot reach http:\/\/127\.0\.0\.1:\d+\/mcp \(.*ECONNREFUSED/);
    assert.equal(result.status, 0);
    await assert.rejects(prod(`http://127.0.0.1:${port}`).call('echo', {}), ConnectionError);
  });
});

describe('Client.call: replies that are not what a tools/call answer should be', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      const id = (req.body as { id: number }).id;
      switch (req.path) {
        case '/empty': return text(res, 200, '');
        case '/text': return text(res, 200, 'OK');
        case '/wrong-id': return json(res, 200, { jsonrpc: '2.0', id: id + 1000, result: {} });
        case '/tool-error': return json(res, 200, rpcResult(req, { content: [{ type: 'text', text: 'calendar is read-only' }], isError: true }));
        case '/wire-error-200': return json(res, 200, { error: 'E-POLICY-DENIED', message: 'not on weekends' });
        default: return text(res, 404, 'no');
      }
    });
  });
  after(() => server.close());

  it('an empty body or text is E-INVALID-ENVELOPE', async () => {
    const empty = failed(await new Client(`${server.url}/empty`).call('echo', {}));
    assert.equal(empty.code, ErrorCode.InvalidEnvelope);
    assert.match(empty.message, /expected a JSON-RPC reply .* got an empty body/);
    assert.match(failed(await new Client(`${server.url}/text`).call('echo', {})).message, /got text "OK"/);
  });

  it('a reply to another id is refused', async () => {
    assert.match(failed(await new Client(`${server.url}/wrong-id`).call('echo', {})).message, /reply has id \d+, the request had \d+/);
  });

  it('a tool result flagged isError is E-TOOL-ERROR with the tool\'s words', async () => {
    const error = failed(await new Client(`${server.url}/tool-error`).call('calendar.create_event', {}));
    assert.equal(error.code, 'E-TOOL-ERROR');
    assert.match(error.message, /Tool calendar\.create_event reported an error: "?calendar is read-only/);
    await assert.rejects(new Client(`${server.url}/tool-error`, { mode: Mode.Production }).call('x', {}), (e: unknown) => e instanceof MplError && e.code === 'E-TOOL-ERROR');
  });

  it('an MPL error body with status 200 is still an error', async () => {
    assert.equal(failed(await new Client(`${server.url}/wire-error-200`).call('echo', {})).code, ErrorCode.PolicyDenied);
  });
});

describe('Client: bad arguments throw in both modes', () => {
  it('refuses bad endpoints, modes, timeouts, tool names, arguments and STypes', async () => {
    assert.throws(() => new Client('not a url'), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidArgument);
    assert.throws(() => new Client('ws://127.0.0.1:1/ws'), /http:\/\/ or https:\/\//);
    assert.throws(() => new Client('http://127.0.0.1:1', { mode: 'strict' as Mode }), /Mode\.Development or Mode\.Production/);
    assert.throws(() => new Client('http://127.0.0.1:1', { timeoutMs: 0 }), /timeoutMs/);
    assert.throws(() => new Client('http://127.0.0.1:1', { retry: -1 }), /retry/);
    assert.throws(() => new Client('http://127.0.0.1:1', { profile: '' }), /profile/);
    await assert.rejects(new Client('http://127.0.0.1:1', { profile: 'qom-nope' }).send('org.agent.Heartbeat.v1', { status: 'alive' }), (e: unknown) =>
      e instanceof MplError && e.code === ErrorCode.InvalidArgument && /qom-nope/.test(e.message));
    const client = new Client('http://127.0.0.1:1/mcp');
    await assert.rejects(client.call('', {}), /tool name/);
    await assert.rejects(client.call('echo', [] as unknown as Record<string, unknown>), /arguments must be an object/);
    await assert.rejects(client.call('echo', {}, { stype: 'not-an-stype' }), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidStype);
    await assert.rejects(client.call('echo', {}, { timeoutMs: -5 }), /timeoutMs/);
  });
});
