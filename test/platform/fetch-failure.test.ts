// The one translation of fetch/ky failures, against real sockets.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import ky from 'ky';
import { ConnectionError, ErrorCode, TimeoutError } from '../../src/index.ts';
import { corsHint, describeFailure, fetchFailure } from '../../src/platform/fetch-failure.ts';
import { closedPort } from '../support/session-helpers.ts';

async function failureOf(request: Promise<unknown>): Promise<unknown> {
  try {
    await request;
  } catch (error) {
    return error;
  }
  throw new Error('the request did not fail');
}

describe('fetchFailure', () => {
  it('turns a refused connection into a ConnectionError naming the endpoint and the runtime cause, without a CORS hint outside a page', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp`;
    const raw = await failureOf(ky.post(url, { retry: 0, json: {} }));
    const error = fetchFailure(raw, { url, operation: 'send org.x.Y.v1' });
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.code, ErrorCode.ConnectionFailed);
    assert.equal(error.endpoint, url);
    assert.match(error.message, /^send org\.x\.Y\.v1: cannot reach http:\/\/127\.0\.0\.1:\d+\/mcp \(.*ECONNREFUSED/);
    assert.doesNotMatch(error.message, /CORS/);
    assert.ok(error.cause instanceof Error);
    assert.equal(corsHint(url, error.cause), '');
  });

  it('shows the given endpoint instead of the URL (no token query in messages)', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/mcp?token=secret`;
    const raw = await failureOf(ky.get(url, { retry: 0 }));
    const error = fetchFailure(raw, { url, endpoint: url.replace(/\?.*/, ''), operation: 'AI-ALPN handshake' }) as ConnectionError;
    assert.doesNotMatch(error.message, /secret/);
    assert.equal(error.endpoint, url.replace(/\?.*/, ''));
  });

  it('turns ky\'s timeout into TimeoutError(operation, timeoutMs)', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/health`;
      const raw = await failureOf(ky.get(url, { retry: 0, timeout: 100 }));
      const error = fetchFailure(raw, { url, operation: 'GET /health', method: 'get', timeoutMs: 100 });
      assert.ok(error instanceof TimeoutError);
      assert.equal(error.timeoutMs, 100);
      assert.equal(error.operation, `GET /health (GET ${url})`);
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });

  it('returns the caller\'s abort reason as it is', () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    assert.equal(fetchFailure(new TypeError('fetch failed'), { url: 'http://127.0.0.1:9/', operation: 'x', signal: controller.signal }), reason);
  });

  it('describes nested causes once each', () => {
    assert.equal(describeFailure(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })), 'fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    assert.equal(describeFailure('plain'), 'plain');
  });
});
