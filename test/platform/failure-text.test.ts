// A wss:// or https:// endpoint answered in plain text: each runtime's words for it (as
// measured here: Node 20's OpenSSL, Deno's rustls, Bun's BoringSSL) and the hint made of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainServerHint, tidyTlsText } from '../../src/platform/failure-text.ts';

const NODE = 'write EPROTO 80ECC886607F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n';
const DENO = 'failed to connect to WebSocket: received corrupt message of type InvalidContentType';
const BUN_WS = "WebSocket connection to 'wss://127.0.0.1:47123/ws' failed: TLS handshake failed: error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER";
const BUN_FETCH = 'EPROTO: The TLS handshake failed. Does the server speak TLS on this port?';

describe('plainServerHint', () => {
  it('says to use ws:// or http:// when a runtime says a plain server answered the TLS hello', () => {
    for (const said of [NODE, DENO, BUN_WS, BUN_FETCH]) {
      assert.equal(plainServerHint('wss://127.0.0.1:8080/ws?x=1', said), '; the server there does not speak TLS: if it serves plain text, use ws://127.0.0.1:8080/ws?x=1', said);
      assert.equal(plainServerHint('HTTPS://example.test/mcp', said), '; the server there does not speak TLS: if it serves plain text, use http://example.test/mcp', said);
    }
  });

  it('says nothing for a plain endpoint, or for another failure', () => {
    assert.equal(plainServerHint('ws://127.0.0.1:8080/ws', NODE), '');
    assert.equal(plainServerHint('http://127.0.0.1:8080/mcp', DENO), '');
    assert.equal(plainServerHint('wss://127.0.0.1:8080/ws', 'connect ECONNREFUSED 127.0.0.1:8080'), '');
    assert.equal(plainServerHint('https://example.test/mcp', 'self-signed certificate'), '');
    // Bun says "TLS handshake failed" before every TLS failure: a certificate it does not trust is no plain server.
    assert.equal(plainServerHint('wss://127.0.0.1:47999/ws', "WebSocket connection to 'wss://127.0.0.1:47999/ws' failed: TLS handshake failed: self signed certificate"), '');
  });
});

describe('tidyTlsText', () => {
  it("cuts OpenSSL's error line to its reason, and leaves other text as it is", () => {
    assert.equal(tidyTlsText(NODE), 'write EPROTO TLS: wrong version number');
    assert.equal(tidyTlsText(`fetch failed: ${NODE.slice('write EPROTO '.length)}`), 'fetch failed: TLS: wrong version number');
    assert.equal(tidyTlsText(DENO), DENO);
    assert.equal(tidyTlsText('connect ECONNREFUSED 127.0.0.1:9'), 'connect ECONNREFUSED 127.0.0.1:9');
  });
});

describe('an error from another realm (Node\'s errors inside Jest\'s or Vitest\'s vm sandbox)', () => {
  it('is read as an error: its message and cause are said, not dropped', async () => {
    const { runInNewContext } = await import('node:vm');
    const { isErrorLike } = await import('../../src/platform/failure-text.ts');
    const { describeFailure } = await import('../../src/platform/fetch-failure.ts');
    const foreign = runInNewContext("new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })") as Error;
    assert.equal(foreign instanceof Error, false, 'the premise: another realm');
    assert.equal(isErrorLike(foreign), true);
    assert.equal(describeFailure(foreign), 'fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    for (const notError of [null, undefined, 'text', { message: 'no name' }, 42]) assert.equal(isErrorLike(notError), false, String(notError));
  });
});

describe('a runtime without fetch (Jest\'s jsdom environment removes it)', () => {
  it('is said as such, E-INVALID-ARGUMENT naming the `fetch` option, by an HTTP session and the Client: never "cannot reach" the server', async () => {
    const { fetchOf } = await import('../../src/platform/fetch-failure.ts');
    const { Client, MplError, Session } = await import('../../src/index.ts');
    const saved = globalThis.fetch;
    const fetchless = (error: unknown) => error instanceof MplError && error.code === 'E-INVALID-ARGUMENT' && /This runtime has no fetch .*pass one as the `fetch` option/.test(error.message);
    Reflect.deleteProperty(globalThis, 'fetch');
    try {
      assert.throws(() => fetchOf(undefined), fetchless);
      const given = (() => Promise.reject(new Error('unused'))) as unknown as typeof fetch;
      assert.equal(fetchOf(given), given);
      const session = new Session({ endpoint: 'http://127.0.0.1:9/mcp', stypes: ['org.agent.Heartbeat.v1'] });
      await assert.rejects(session.connect(), (error: unknown) => fetchless((error as { cause?: unknown }).cause ?? error) || fetchless(error));
      await session.close();
      await assert.rejects(new Client('http://127.0.0.1:9/mcp', { mode: 'production', retry: 0 }).send('org.agent.Heartbeat.v1', { status: 'alive' }), fetchless);
      await assert.rejects(new Client('http://127.0.0.1:9/mcp', { mode: 'production' }).health(), fetchless); // a GET, through ky
    } finally {
      globalThis.fetch = saved;
    }
  });
});
