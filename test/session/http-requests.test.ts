// A Session's HTTP requests as a demanding caller meets them: its headers merged with the
// transport's whatever their case or form, a headers provider that fails or gives what
// fetch refuses, a `fetch` of the caller's that ignores `init.signal`, an endpoint at the
// origin's root, an answer cut off mid-body, and the /capabilities lookup's unread body.
// Real node:http servers on ephemeral ports.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ConnectionError, MplError, NegotiationError, Session, TimeoutError } from '../../src/index.ts';
import { json, startServer, type SeenRequest, type TestServer } from '../client/support/http-server.ts';

const STYPE = 'org.calendar.Event.v1';
const EVENT = { title: 'Sync', start: '2024-01-15T10:00:00Z' };

/** A minimal MPL peer over HTTP: the hello selects STYPE; an envelope is answered with its payload, in reply to it. */
function peer(req: SeenRequest, res: ServerResponse): void {
  if (req.path.startsWith('/.well-known/ai-alpn')) return json(res, 200, { type: 'ai-alpn-select', common_stypes: [STYPE], selected_profile: null });
  const wire = req.body as { id: string; stype: string; payload: unknown };
  json(res, 200, { id: `r-${wire.id}`, stype: wire.stype, payload: wire.payload, in_reply_to: wire.id });
}

/** `fetch` that drops `init.signal`, as a careless wrapper does. */
const deaf: typeof fetch = (input, init) => {
  const { signal: _dropped, ...rest } = init ?? {};
  return globalThis.fetch(input, rest);
};

describe('Session over HTTP: headers', () => {
  let server: TestServer;
  before(async () => { server = await startServer(peer); });
  after(() => server.close());

  const sendWith = async (headers: unknown) => {
    server.requests.length = 0;
    const session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], headers: (() => headers) as () => Record<string, string>, timeoutMs: 3000 });
    try {
      await session.connect();
      await session.send(STYPE, EVENT);
    } finally {
      await session.close();
    }
    assert.equal(server.requests.length, 2, 'the hello and the envelope');
    return server.requests;
  };

  it('lets the caller\'s Content-Type and Accept replace the transport\'s, whatever their case', async () => {
    for (const request of await sendWith({ 'Content-Type': 'application/json; charset=utf-8', ACCEPT: 'application/json, text/event-stream' })) {
      assert.equal(request.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(request.headers['accept'], 'application/json, text/event-stream');
    }
  });

  it('reads a Headers object and an array of pairs from the provider', async () => {
    for (const given of [new Headers({ authorization: 'Bearer H' }), [['Authorization', 'Bearer H']]]) {
      for (const request of await sendWith(given)) {
        assert.equal(request.headers['authorization'], 'Bearer H');
        assert.equal(request.headers['content-type'], 'application/json');
      }
    }
  });

  it('reports a provider that fails as a ConnectionError saying so, with nothing sent', async () => {
    for (const thrown of [new Error('token refresh failed'), undefined, null]) {
      server.requests.length = 0;
      const session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], headers: () => { throw thrown; }, timeoutMs: 3000, reconnect: false });
      await assert.rejects(session.connect(), (error: unknown) => {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.match(error.message, /^AI-ALPN handshake: config\.headers failed \((token refresh failed|undefined|null)\); nothing was sent to http:\/\/127\.0\.0\.1:\d+\/mcp$/);
        assert.equal(error.cause, thrown);
        return true;
      });
      assert.equal(server.requests.length, 0);
      await session.close();
    }
  });

  it('refuses headers fetch cannot send with E-INVALID-ARGUMENT naming the header, not its value', async () => {
    const session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], headers: { authorization: 'Bearer s3cr\u201Ct' }, timeoutMs: 3000, reconnect: false });
    await assert.rejects(session.connect(), (error: unknown) => {
      assert.ok(error instanceof MplError);
      assert.equal(error.code, 'E-INVALID-ARGUMENT');
      assert.match(error.message, /the value of "authorization" is not a valid header value/);
      assert.doesNotMatch(`${error.message} ${JSON.stringify(error.details)} ${error.stack}`, /s3cr/);
      return true;
    });
    await session.close();
  });
});

describe('Session over HTTP: a fetch that ignores init.signal', () => {
  let server: TestServer;
  let phase: 'hello hangs' | 'no common STypes' | 'send hangs' = 'hello hangs';
  before(async () => {
    server = await startServer((req, res) => {
      if (req.path.startsWith('/.well-known/ai-alpn')) {
        if (phase === 'hello hangs') return;
        return json(res, 200, { type: 'ai-alpn-select', common_stypes: phase === 'no common STypes' ? [] : [STYPE], selected_profile: null });
      }
      // /mcp and /capabilities never answer.
    });
  });
  after(() => server.close());

  it('still meets connect()\'s time limit, the lookup\'s and send()\'s', async () => {
    const started = (): number => performance.now();
    phase = 'hello hangs';
    let session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], timeoutMs: 400, reconnect: false, fetch: deaf });
    let t = started();
    await assert.rejects(session.connect(), (error: unknown) => error instanceof ConnectionError && /within 400 ms/.test(error.message));
    assert.ok(performance.now() - t < 2000);
    await session.close();

    phase = 'no common STypes';
    session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], timeoutMs: 400, reconnect: false, fetch: deaf });
    t = started();
    await assert.rejects(session.connect(), (error: unknown) => {
      assert.ok(error instanceof NegotiationError);
      assert.match(String(error.details['capabilitiesLookup']), /no answer within 400 ms/);
      return true;
    });
    assert.ok(performance.now() - t < 2000);
    await session.close();

    phase = 'send hangs';
    session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], timeoutMs: 400, reconnect: false, fetch: deaf });
    await session.connect();
    t = started();
    await assert.rejects(session.send(STYPE, EVENT), TimeoutError);
    assert.ok(performance.now() - t < 2000);
    await session.close();
  });
});

describe('Session over HTTP: the handshake\'s paths, cut-off answers, the lookup\'s unread body', () => {
  it('tries the hello once when the endpoint is the origin\'s root (no path below it)', async () => {
    const server = await startServer((_req, res) => json(res, 404, { error: 'not here' }));
    try {
      for (const endpoint of [server.url, `${server.url}/`, `${server.url}/?token=x`]) {
        server.requests.length = 0;
        const session = new Session({ endpoint, stypes: [STYPE], timeoutMs: 2000, reconnect: false });
        await assert.rejects(session.connect(), NegotiationError);
        await session.close();
        const hellos = server.requests.filter((r) => r.path.startsWith('/.well-known/ai-alpn'));
        assert.equal(hellos.length, 1, `${endpoint}: ${server.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
      }
    } finally {
      await server.close();
    }
  });

  it('says an answer cut off mid-body may have been processed, and gives its status', async () => {
    const server = await startServer((req, res) => {
      if (req.path.startsWith('/.well-known/ai-alpn')) return peer(req, res);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"r-1",');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], timeoutMs: 3000, reconnect: false });
    try {
      await session.connect();
      await assert.rejects(session.send(STYPE, EVENT), (error: unknown) => {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.match(error.message, /^send org\.calendar\.Event\.v1: the answer from http:\/\/127\.0\.0\.1:\d+\/mcp \(HTTP 200\) was cut off \(.+\); the request may have been processed$/);
        assert.equal(error.details['status'], 200);
        return true;
      });
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('cancels the body of a /capabilities answer it does not read: its connection closes', async () => {
    let lookupClosed: Promise<void> | undefined;
    const server = await startServer((req, res) => {
      if (req.path.startsWith('/.well-known/ai-alpn')) return json(res, 200, { type: 'ai-alpn-select', common_stypes: [], selected_profile: null });
      // 503 with a body that never ends.
      res.writeHead(503, { 'content-type': 'text/plain' });
      const beat = setInterval(() => res.write('still busy\n'), 20);
      lookupClosed = new Promise((resolve) => res.on('close', () => { clearInterval(beat); resolve(); }));
    });
    const session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], timeoutMs: 3000, reconnect: false });
    try {
      await assert.rejects(session.connect(), (error: unknown) => error instanceof NegotiationError && /HTTP 503/.test(String(error.details['capabilitiesLookup'])));
      assert.ok(lookupClosed, 'the lookup was made');
      const closed = await Promise.race([lookupClosed.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 2000))]);
      assert.equal(closed, true, 'the lookup\'s connection is closed');
    } finally {
      await session.close();
      await server.close();
    }
  });
});

describe('Session over HTTP: replies that are no MPL reply, and replies over maxFrameBytes', () => {
  const hello = (req: SeenRequest, res: ServerResponse): boolean => {
    if (!req.path.startsWith('/.well-known/ai-alpn')) return false;
    json(res, 200, { type: 'ai-alpn-select', common_stypes: [STYPE], selected_profile: null });
    return true;
  };

  it('a 2xx that is not JSON (HTML, a bare "OK", an empty body, a 204) rejects the send with E-INVALID-ENVELOPE naming what came; a JSON reply, even a bare string, is still read', async () => {
    const answers: Array<[string, (res: ServerResponse) => void, RegExp | undefined]> = [
      ['html', (res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html><body>Welcome to the hotel Wi-Fi</body></html>'); }, /HTTP 200 with a body that is not JSON \(text\/html\)/],
      ['ok', (res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('OK'); }, /HTTP 200 with a body that is not JSON \(text\/plain\)/],
      ['empty', (res) => { res.writeHead(200); res.end(); }, /HTTP 200 with an empty body/],
      ['204', (res) => { res.writeHead(204); res.end(); }, /HTTP 204 with an empty body/],
      ['json string', (res) => json(res, 200, 'accepted'), undefined],
    ];
    let current = answers[0]!;
    const server = await startServer((req, res) => { if (!hello(req, res)) current[1](res); });
    const session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], timeoutMs: 3000 });
    try {
      await session.connect();
      for (const answer of answers) {
        current = answer;
        const sent = session.send(STYPE, EVENT);
        if (answer[2] === undefined) {
          assert.equal((await sent).payload, 'accepted', answer[0]);
          continue;
        }
        await assert.rejects(sent, (error: unknown) => error instanceof MplError && error.code === 'E-INVALID-ENVELOPE' && answer[2]!.test(error.message), answer[0]);
      }
      assert.equal(session.stats.pending, 0);
    } finally {
      await session.close();
      await server.close();
    }
  });

  it('a reply body over maxFrameBytes is refused unread (E-INVALID-ENVELOPE), by its Content-Length or as it arrives; one within it is read', async () => {
    let mode: 'declared' | 'chunked' | 'small' = 'declared';
    let written = 0;
    const server = await startServer((req, res) => {
      if (hello(req, res)) return;
      const wire = req.body as { id: string; stype: string; payload: unknown };
      const reply = JSON.stringify({ id: `r-${wire.id}`, stype: wire.stype, payload: { ...(wire.payload as object), description: mode === 'small' ? 'short' : 'x'.repeat(8192) }, in_reply_to: wire.id });
      if (mode === 'declared') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) });
        res.end(reply);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length said
      for (let at = 0; at < reply.length; at += 512) { res.write(reply.slice(at, at + 512)); written += 512; }
      res.end();
    });
    const session = new Session({ endpoint: `${server.url}/mcp`, stypes: [STYPE], timeoutMs: 3000, maxFrameBytes: 4096, autoValidate: false });
    try {
      await session.connect();
      for (const m of ['declared', 'chunked'] as const) {
        mode = m;
        await assert.rejects(session.send(STYPE, EVENT), (error: unknown) => error instanceof MplError && error.code === 'E-INVALID-ENVELOPE' && /exceeds maxFrameBytes \(4096\); discarded unread/.test(error.message), m);
      }
      mode = 'small';
      assert.equal(((await session.send(STYPE, EVENT)).payload as { description: string }).description, 'short');
    } finally {
      await session.close();
      await server.close();
    }
  });
});

describe('Session over HTTP: a redirected POST', () => {
  it('a 301/302 that fetch follows with a GET is said as a redirect naming where it led, whether that GET ended in an error (not the endpoint answering 405) or in a 200 page (never the reply); a 307 keeps the POST and works', async () => {
    const server = await startServer((req, res) => {
      if (req.path.startsWith('/.well-known/ai-alpn')) return json(res, 200, { type: 'ai-alpn-select', common_stypes: [STYPE], selected_profile: null });
      if (req.path === '/old') { res.writeHead(302, { location: '/moved?token=secret' }).end(); return; }
      if (req.path === '/kept') { res.writeHead(307, { location: '/moved' }).end(); return; }
      if (req.path === '/to-a-page') { res.writeHead(301, { location: '/landing' }).end(); return; }
      // A GET that answers 200 with JSON (a landing page, a health check): never the POST's reply.
      if (req.path === '/landing') return json(res, 200, { status: 'healthy', note: 'a GET answer: the envelope never arrived' });
      if (req.method !== 'POST') { res.writeHead(405, { 'content-type': 'text/plain' }).end('method not allowed: GET'); return; }
      const wire = req.body as { id: string; stype: string; payload: unknown };
      json(res, 200, { id: wire.id, stype: wire.stype, payload: wire.payload, in_reply_to: wire.id });
    });
    try {
      for (const [path, works] of [['/old', false], ['/kept', true], ['/to-a-page', false]] as const) {
        const session = new Session({ endpoint: `${server.url}${path}`, stypes: [STYPE], timeoutMs: 3000 });
        try {
          await session.connect();
          const sent = session.send(STYPE, EVENT);
          if (works) {
            assert.equal((await sent).stype, STYPE);
            continue;
          }
          const [where, status] = path === '/old' ? ['moved', 405] : ['landing', 200];
          await assert.rejects(sent, (error: unknown) => error instanceof MplError && error.code === 'E-HTTP-STATUS'
            && new RegExp(`redirected the POST to http://127\\.0\\.0\\.1:\\d+/${where}, which answered HTTP ${status} without naming request`).test(error.message)
            && !error.message.includes('secret'));
        } finally {
          await session.close();
        }
      }
    } finally {
      await server.close();
    }
  });
});
