// The Client's requests as a demanding caller meets them: no secret from the endpoint in an
// error, bad options refused where they are given (credentials in the URL, a header fetch
// would refuse, a signal that is none), a polyfill's signal honoured, time limits that hold
// with a `fetch` ignoring `init.signal` (tried once, and through ky), and an answer cut off
// mid-body told from one that never came. Real node:http servers on ephemeral ports.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, ConnectionError, Mode, MplError, TimeoutError } from '../../src/index.ts';
import { closedPort, json, rpcResult, startServer, type TestServer } from './support/http-server.ts';

const SECRET = 'tok_S3CR3T';
const prod = (endpoint: string, options = {}) => new Client(endpoint, { mode: Mode.Production, ...options });
const everything = (error: unknown): string => {
  const e = error as MplError;
  return `${e.message} ${JSON.stringify(e.details)} ${e.stack} ${(e as { endpoint?: string }).endpoint ?? ''}`;
};

/** `fetch` that drops `init.signal`, as a careless wrapper does. */
const deaf: typeof fetch = (input, init) => {
  const { signal: _dropped, ...rest } = init ?? {};
  return globalThis.fetch(input, rest);
};

describe('Client: what its errors show of the endpoint', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.path.startsWith('/slow')) return; // never answers
      json(res, 500, { oops: true });
    });
  });
  after(() => server.close());

  it('keeps a token in the query out of every error: a time limit, an HTTP error, a refused connection', async () => {
    const refused = await closedPort();
    const cases: [string, () => Promise<unknown>, new (...args: never[]) => Error][] = [
      ['timeout', () => prod(`${server.url}/slow?token=${SECRET}`, { timeoutMs: 200 }).call('echo', {}), TimeoutError],
      ['HTTP 500', () => prod(`${server.url}/mcp?token=${SECRET}`).call('echo', {}), MplError],
      ['refused', () => prod(`http://127.0.0.1:${refused}/mcp?token=${SECRET}`).call('echo', {}), ConnectionError],
    ];
    for (const [name, call, type] of cases) {
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof type, `${name}: ${String(error)}`);
        assert.doesNotMatch(everything(error), new RegExp(SECRET), name);
        assert.match((error as Error).message, /http:\/\/127\.0\.0\.1:\d+\/(slow|mcp)/, name);
        return true;
      });
    }
  });

  it('refuses an endpoint with credentials, without showing them', () => {
    assert.throws(() => new Client(`http://alice:pa55word@127.0.0.1:1/mcp?token=${SECRET}`), (error: unknown) => {
      assert.ok(error instanceof MplError);
      assert.equal(error.code, 'E-INVALID-ARGUMENT');
      assert.match(error.message, /holds credentials/);
      assert.doesNotMatch(everything(error), /pa55word|alice|tok_/);
      return true;
    });
  });

  it('refuses an option it does not have, as the Session does (a misspelt one was ignored without a word); the Session\'s qomProfile is named as such', () => {
    const refused = (options: object, message: RegExp): void => {
      assert.throws(() => new Client('http://127.0.0.1:1/mcp', options as never), (error: unknown) =>
        error instanceof MplError && error.code === 'E-INVALID-ARGUMENT' && message.test(error.message));
    };
    refused({ timout: 1000 }, /Client options\.timout is not an option \(the options are mode, timeoutMs, headers, fetch, retry, registry, profile, hashLayout\)/);
    refused({ qomProfile: 'qom-basic' }, /options\.qomProfile is the Session's name of it: the Client's is options\.profile/);
    refused({ fetch: 'not a function' }, /Client options\.fetch must be a function/);
    assert.ok(new Client('http://127.0.0.1:1/mcp', { timeoutMs: undefined, profile: undefined }), 'undefined: the default');
  });

  it('refuses a header fetch would refuse with its first request, naming it but not its value', async () => {
    const before = server.requests.length;
    await assert.rejects(new Client(`${server.url}/mcp`, { headers: { 'X Tenant': 'a' } }).call('echo', {}), /"X Tenant" is not a valid header name/);
    const client = new Client(`${server.url}/mcp`, { headers: { authorization: `Bearer ${SECRET}\u201C` } });
    for (const call of [() => client.call('echo', {}), () => client.health()]) {
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof MplError);
        assert.equal(error.code, 'E-INVALID-ARGUMENT');
        assert.match(error.message, /the value of "authorization" is not a valid header value/);
        assert.doesNotMatch(everything(error), new RegExp(SECRET));
        return true;
      });
    }
    assert.equal(server.requests.length, before, 'nothing was sent');
  });
});

describe('Client: signals and time limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer((req, res) => {
      if (req.path.startsWith('/slow') || req.path.startsWith('/health-slow')) return; // never answers
      if (req.path === '/health') return json(res, 200, { status: 'healthy' });
      json(res, 200, rpcResult(req, { content: [{ type: 'text', text: 'ok' }] }));
    });
  });
  after(() => server.close());

  it('takes a polyfill\'s signal (no throwIfAborted) on both request paths', async () => {
    const controller = new AbortController();
    const polyfill = { aborted: false, reason: undefined, addEventListener: controller.signal.addEventListener.bind(controller.signal), removeEventListener: controller.signal.removeEventListener.bind(controller.signal) } as unknown as AbortSignal;
    const client = prod(`${server.url}/mcp`);
    assert.equal((await client.health({ signal: polyfill, retry: 0 })).status, 'healthy');
    assert.equal((await client.health({ signal: polyfill, retry: 2 })).status, 'healthy');
    assert.equal((await client.call('echo', {}, { signal: polyfill })).valid, true);
  });

  it('refuses a signal that is none with E-INVALID-ARGUMENT', async () => {
    for (const signal of ['nope', 42, {}]) {
      await assert.rejects(prod(`${server.url}/mcp`).call('echo', {}, { signal: signal as unknown as AbortSignal }), (error: unknown) =>
        error instanceof MplError && error.code === 'E-INVALID-ARGUMENT' && /signal must be an AbortSignal/.test(error.message));
    }
  });

  it('keeps its time limit with a fetch that ignores init.signal, tried once and through ky', async () => {
    const client = prod(`${server.url}/slow`, { fetch: deaf, timeoutMs: 300 });
    for (const retry of [0, 1]) {
      const started = performance.now();
      await assert.rejects(client.call('echo', {}, { retry }), TimeoutError);
      assert.ok(performance.now() - started < 3000, `retry ${retry}`);
    }
  });

  it('keeps the caller\'s cancel with a fetch that ignores init.signal', async () => {
    const client = prod(`${server.url}/slow`, { fetch: deaf });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await assert.rejects(client.call('echo', {}, { signal: controller.signal }), (error: unknown) => error === reason);
  });
});

describe('Client: an answer cut off mid-body', () => {
  it('says the request may have been processed, and gives the status it came with', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"jsonrpc":"2.0",');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    try {
      await assert.rejects(prod(`${server.url}/mcp?token=${SECRET}`).call('echo', {}), (error: unknown) => {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.match(error.message, /^tools\/call echo: the answer from http:\/\/127\.0\.0\.1:\d+\/mcp \(HTTP 200\) was cut off \(.+\); the request may have been processed$/);
        assert.equal(error.details['status'], 200);
        assert.doesNotMatch(everything(error), new RegExp(SECRET));
        return true;
      });
    } finally {
      await server.close();
    }
  });
});
