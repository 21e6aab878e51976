// The Node adapter's HTTP side, on real node:http servers on ephemeral ports with raw
// sockets where the wire matters: it reads a request's body from node:http itself and
// writes the server's answers directly (no web Request or Response on that path), builds a
// web Request only for routes, the upstream or a handler that asks, and streams that
// Request's body only when it is read. What each path must still do: sized answers, bodies
// read whole in many chunks, a client that leaves mid-body dropped without a report and
// its turn given back, a body past the limit cut off with the connection.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplServer, type MplServerOptions } from '../../src/server/index.ts';
import { pathnameOf } from '../../src/server/adapters/node.ts';
import { nodeHandlers, serveNode, toRequest, type NodeServer } from '../../src/server/node.ts';

const EVENT = 'org.calendar.Event.v1';
const payload = { title: 'Sync', start: '2024-03-01T14:00:00Z' };
const running: NodeServer[] = [];
after(() => Promise.all(running.map((r) => r.close())));

async function serve(options: MplServerOptions = {}) {
  const server = new MplServer(options);
  server.on(EVENT, (envelope) => ({ ...envelope.payload, status: 'confirmed' }));
  const node = await serveNode(server);
  running.push(node);
  return { server, node, port: node.port };
}

/** What a program printed, run beside this process's servers; undefined when it is not installed. Rejects when it fails. */
function run(program: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') resolve(undefined);
      else if (error) reject(new Error(`${program} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

async function envelopeText(title = 'Sync'): Promise<string> {
  const body = { ...payload, title };
  return JSON.stringify({ id: crypto.randomUUID(), stype: EVENT, payload: body, sem_hash: await semanticHash(body) });
}

/** A raw connection: what was written back so far, and whether the server closed it. */
async function raw(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  return {
    socket,
    ended,
    read: () => text,
    /** Resolves once what was read matches `pattern`. */
    async until(pattern: RegExp): Promise<string> {
      while (!pattern.test(text)) await Promise.race([once(socket, 'data'), ended.then(() => { throw new Error(`closed with ${JSON.stringify(text)}`); })]);
      return text;
    },
  };
}

describe('the Node adapter over HTTP', () => {
  it('writes the server\'s answers with a Content-Length (not chunked); HEAD has the headers and no body', async () => {
    const { port } = await serve();
    const c = await raw(port);
    const body = await envelopeText();
    c.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const answer = await c.until(/\r\n\r\n[\s\S]*"in_reply_to":"[^"]+"\}$/);
    const [head, text] = answer.split('\r\n\r\n') as [string, string];
    assert.match(head, /^HTTP\/1\.1 200 /);
    assert.match(head, /\r\ncontent-type: application\/json\r\n/i);
    assert.match(head, /\r\nx-mpl-sem-hash: b3:[0-9a-f]{64}\r\n/i);
    assert.equal(Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]), Buffer.byteLength(text, 'latin1'));
    assert.doesNotMatch(head, /transfer-encoding/i);
    assert.equal(JSON.parse(Buffer.from(text, 'latin1').toString('utf8')).payload.status, 'confirmed');
    c.socket.destroy();

    const h = await raw(port);
    h.socket.write('HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const headAnswer = await h.until(/\r\n\r\n/);
    assert.match(headAnswer, /^HTTP\/1\.1 200 /);
    assert.match(headAnswer, /\r\ncontent-type: application\/json\r\n/i);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(h.read().split('\r\n\r\n')[1], '', 'no body after the headers');
    h.socket.destroy();
  });

  it('a route reads a body of many chunks from its web Request, as sent; the server reads the next one itself', async () => {
    const { port } = await serve({
      routes: async (request) => {
        if (new URL(request.url).pathname !== '/upload') return undefined;
        const bytes = new Uint8Array(await request.arrayBuffer());
        return Response.json({ length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      },
    });
    const upload = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < upload.length; i++) upload[i] = (i * 31 + (i >> 10)) & 0xff;
    // Sent in pieces with pauses, so the server reads it in many chunks as they come.
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let at = 0; at < upload.length; at += 256 * 1024) {
          controller.enqueue(upload.subarray(at, at + 256 * 1024));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        controller.close();
      },
    });
    const res = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    assert.deepEqual(await res.json(), { length: upload.length, sha256: createHash('sha256').update(upload).digest('hex') });
    // A route that answers nothing leaves the envelope to the server, which reads the body itself.
    const reply = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: await envelopeText() });
    assert.equal((await reply.json()).payload.status, 'confirmed');
  });

  it('a client that leaves in the middle of its body is dropped: no handler, no report, and its turn is given back', async () => {
    const errors: unknown[] = [];
    let handled = 0;
    const { server, port } = await serve({ limits: { maxConcurrentRequests: 1, maxQueuedRequests: 1, bodyTimeoutMs: 60_000 }, onError: (error) => errors.push(error) });
    server.on(EVENT, (envelope) => {
      handled += 1;
      return envelope.payload;
    });
    const c = await raw(port);
    const body = await envelopeText();
    const arrived = new Promise<IncomingMessage>((resolve) => running.at(-1)!.httpServer.once('request', resolve));
    c.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`);
    const req = await arrived;
    const closed = new Promise((resolve) => req.socket.once('close', resolve)); // not once(): the socket errs first (the request ended mid-body)
    c.socket.destroy();
    await closed;
    // With a limit of one, the next request is answered only if the first gave its turn back.
    const next = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: await envelopeText('Next'), signal: AbortSignal.timeout(10_000) });
    assert.equal(next.status, 200);
    assert.equal(handled, 1, 'only the whole request reached the handler');
    assert.deepEqual(errors, []);
  });

  it('an upload that stops coming holds no turn: other POSTs are answered meanwhile, over node:http and server.fetch, until the admitted places run out', async () => {
    const limits = { maxConcurrentRequests: 1, maxQueuedRequests: 1, bodyTimeoutMs: 60_000 };
    const { port, server } = await serve({ limits });
    // Over node:http: a client that sent its headers and half its body, and then nothing.
    const stalled = await raw(port);
    const body = await envelopeText('stalled');
    stalled.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const post = async (title: string) => fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: await envelopeText(title), signal: AbortSignal.timeout(5_000) });
    const answered = await post('meanwhile');
    assert.equal(answered.status, 200);
    assert.equal((await answered.json()).payload.title, 'meanwhile');
    // A second stalled upload takes the last admitted place: the next request is refused at once, not left waiting.
    const second = await raw(port);
    second.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"id":`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await post('refused');
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error, 'E-OVERLOADED');
    // The stalled body finishes: it is answered, and its place is given back.
    stalled.socket.write(body.slice(20));
    assert.match(await stalled.until(/\r\n\r\n\{[^]*"stalled"[^]*\}$/), /^HTTP\/1\.1 200 /);
    second.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await post('after')).status, 200);

    // Over server.fetch (Deno, Bun and workerd's path): a web Request whose body stream stops.
    let stop!: () => void;
    const never = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
        stop = () => controller.close();
      },
    });
    const waiting = server.fetch(new Request('http://mpl.test/mcp', { method: 'POST', body: never, duplex: 'half' } as RequestInit));
    const meanwhile = await server.fetch(new Request('http://mpl.test/mcp', { method: 'POST', body: await envelopeText('fetched') }));
    assert.equal(meanwhile.status, 200);
    assert.equal((await meanwhile.json()).payload.title, 'fetched');
    stop();
    assert.equal((await waiting).status, 400, 'the cut-short body is not JSON');
  });

  it('serves a request that asks to upgrade to anything but a WebSocket as the plain request it is (curl --http2 asks for h2c), keep-alive included; a WebSocket handshake still upgrades', async () => {
    const { port } = await serve();
    const body = await envelopeText('h2c');
    const c = await raw(port);
    // What curl --http2 sends for an http:// URL, then a second request on the same connection.
    c.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const first = await c.until(/"title":"h2c"[^]*\}$/);
    assert.match(first, /^HTTP\/1\.1 200 /);
    c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(await c.until(/"status":"healthy"/), /\r\n\r\n[^]*HTTP\/1\.1 200 [^]*"status":"healthy"/);
    // A POST with a stray WebSocket upgrade, and a GET upgrade to another protocol: plain requests too.
    const other = await raw(port);
    other.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    assert.match(await other.until(/"title":"h2c"[^]*\}$/), /^HTTP\/1\.1 200 /);
    const tls = await raw(port);
    tls.socket.write('GET /capabilities HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: TLS/1.2\r\n\r\n');
    assert.match(await tls.until(/"stypes"/), /^HTTP\/1\.1 200 /);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await once(ws, 'open');
    ws.close();
    // And curl itself, where the machine has it (run beside the server: a synchronous spawn would stop it from answering).
    const curl = await run('curl', ['-s', '--http2', '-X', 'POST', '-H', 'content-type: application/json', '--data', body, `http://127.0.0.1:${port}/mcp`]);
    if (curl !== undefined) assert.equal(JSON.parse(curl).payload.title, 'h2c', curl);
  });

  it("answers Java's HttpClient as it comes by default (HTTP/2 first: an h2c upgrade on every http:// request), where the machine has Java", async (t) => {
    if (await run('java', ['-version']) === undefined) return t.skip('no java on this machine');
    const { port } = await serve();
    const body = await envelopeText('java');
    const program = fileURLToPath(new URL('../fixtures/java/MplPost.java', import.meta.url));
    const out = await run('java', [program, `http://127.0.0.1:${port}/mcp`, body]);
    const [reply, health] = (out ?? '').trim().split('\n');
    assert.match(reply ?? '', /^200 /, out);
    assert.equal(JSON.parse(reply!.slice(4)).payload.title, 'java');
    assert.equal(health, '200 {"status":"healthy","version":"0.1.2"}'.replace('0.1.2', JSON.parse(health!.slice(4)).version));
  });

  it('a client that resets its connection while its replayed upgrade waits, or is refused 431, takes nothing down', async () => {
    const server = new MplServer();
    server.on(EVENT, async (envelope) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return envelope.payload;
    });
    const node = await serveNode(server);
    running.push(node);
    const body = await envelopeText('reset');
    const post = (extra = '') => `POST /mcp HTTP/1.1\r\nHost: x\r\n${extra}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const filler = Array.from({ length: 600 }, (_, i) => `x-${i}: 1\r\n`).join('');
    for (const bytes of [post() + post('Connection: Upgrade\r\nUpgrade: h2c\r\n'), `GET /health HTTP/1.1\r\nHost: x\r\n${filler}Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n`]) {
      const c = await raw(node.port);
      c.socket.write(bytes);
      await new Promise((resolve) => setTimeout(resolve, 50));
      c.socket.resetAndDestroy(); // an RST: the server's side of the socket errs (ECONNRESET)
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    // Still here: an unheard 'error' would have ended the process (and this test with it).
    const after = await fetch(`http://127.0.0.1:${node.port}/health`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(after.status, 200);
  });

  it('a replayed upgrade pipelined behind an answer a route of the application wrote at once (res.end) is answered too, past keepAliveTimeout (nodeHandlers on a server of its own)', async () => {
    const server = new MplServer();
    server.on(EVENT, async (envelope) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return envelope.payload;
    });
    const handlers = nodeHandlers(server);
    const http = createServer((req, res) => (req.url === '/ping' ? res.end('pong') : handlers.request(req, res))).on('upgrade', handlers.upgrade);
    http.keepAliveTimeout = 100; // the wait node:http sets once /ping is answered (plus its 1 s margin): shorter than the handler
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    after(async () => {
      http.closeAllConnections();
      http.close();
      await handlers.close();
    });
    const c = await raw((http.address() as AddressInfo).port);
    const body = await envelopeText('behind ping');
    c.socket.write(`GET /ping HTTP/1.1\r\nHost: x\r\n\r\nPOST /mcp HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const both = await c.until(/"title":"behind ping"[^]*\}$/);
    assert.deepEqual([...both.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]), ['200', '200']);
    c.socket.destroy();
  });

  it('bodies read ahead of their turn hold at most maxConcurrentRequests × maxFrameBytes (by Content-Length): past that a body is read in its turn, as it used to be', async () => {
    // A budget of 1 × 1000 bytes: one upload declaring 900 bytes fits, a second does not and takes the one turn to be read in.
    const { port } = await serve({ limits: { maxConcurrentRequests: 1, maxQueuedRequests: 8, maxFrameBytes: 1000, bodyTimeoutMs: 1_000 } });
    const answers: string[] = [];
    const stall = async (name: string) => {
      const c = await raw(port);
      c.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{"id":`);
      void c.until(/E-TIMEOUT/).then((text) => answers.push(`${name} ${text.slice(9, 12)}`), () => answers.push(`${name} closed`));
      await new Promise((resolve) => setTimeout(resolve, 100));
    };
    await stall('ahead');
    await stall('in turn');
    const body = await envelopeText('small');
    const reply = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
    answers.push(`small ${reply.status}`);
    while (answers.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    // The small request waited for the turn the second upload held until its 408; the first upload never held it.
    assert.ok(answers.indexOf('in turn 408') < answers.indexOf('small 200'), answers.join(', '));
    assert.ok(answers.includes('ahead 408'), answers.join(', '));
  });

  it('a replayed upgrade pipelined behind a request still being answered is answered after it, in order, even when its handler outlasts keepAliveTimeout', async () => {
    const server = new MplServer();
    server.on(EVENT, async (envelope) => {
      const { title } = envelope.payload as { title: string };
      await new Promise((resolve) => setTimeout(resolve, title === 'first' ? 200 : 1_500));
      return envelope.payload;
    });
    const node = await serveNode(server);
    running.push(node);
    node.httpServer.keepAliveTimeout = 100; // the wait node:http sets once the first answer is out (plus its 1 s margin): shorter than the second handler
    const c = await raw(node.port);
    const post = (body: string, extra = '') => `POST /mcp HTTP/1.1\r\nHost: x\r\n${extra}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    c.socket.write(post(await envelopeText('first')) + post(await envelopeText('second'), 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n'));
    const both = await c.until(/"title":"second"[^]*\}$/);
    assert.deepEqual([...both.matchAll(/HTTP\/1\.1 (\d+)/g)].map((m) => m[1]), ['200', '200']);
    assert.ok(both.indexOf('"first"') < both.indexOf('"second"'), 'in order');
    c.socket.destroy();
  });

  it('refuses to replay an upgrade whose header list node:http may have cut short (431), so no part of it is read as a request of its own; the server\'s other connection listeners hear of each connection once', async () => {
    const { port, node } = await serve();
    let connections = 0;
    node.httpServer.on('connection', () => { connections += 1; });
    const seen: string[] = [];
    node.httpServer.prependListener('request', (req: IncomingMessage) => seen.push(`${req.method} ${req.url}`));
    const c = await raw(port);
    const filler = Array.from({ length: 2100 }, (_, i) => `x-${i}: 1\r\n`).join('');
    const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
    c.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\n${filler}Connection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`);
    await c.ended;
    assert.match(c.read(), /^HTTP\/1\.1 431 /);
    assert.equal([...c.read().matchAll(/HTTP\/1\.1 /g)].length, 1, c.read());
    assert.deepEqual(seen, []);
    // One replayed connection, counted once by a listener of the application's own.
    const h2c = await raw(port);
    h2c.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n');
    await h2c.until(/"status":"healthy"/);
    assert.equal(connections, 2);
    assert.deepEqual(seen, ['GET /health']);
    h2c.socket.destroy();
  });

  it('a body past four times maxFrameBytes is cut off: 413 E-INVALID-ENVELOPE, and the connection closes after it', async () => {
    const { port } = await serve({ limits: { maxFrameBytes: 1024 } });
    const c = await raw(port);
    // Chunked, so that no Content-Length tells the size before the body comes.
    c.socket.write('POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const piece = 'x'.repeat(1000);
    for (let i = 0; i < 5; i++) c.socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    const answer = await c.until(/"error":"E-INVALID-ENVELOPE"[^}]*\}/);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /\r\nconnection: close\r\n/i);
    await c.ended;
    // Within the limit, the next connection is answered as ever.
    const ok = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: await envelopeText() });
    assert.equal(ok.status, 200);
  });

  it('toRequest streams the body as it comes; a client that leaves mid-body makes reading it fail, not hang', async () => {
    const outcomes: Array<Promise<string>> = [];
    const http = createServer((req, res) => {
      const request = toRequest(req, res);
      outcomes.push(request.text().then((text) => `read ${text.length}`, (error: Error) => `failed: ${error.message}`));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    after(() => {
      http.closeAllConnections();
      http.close();
    });
    const c = await raw((http.address() as AddressInfo).port);
    c.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"partial":');
    while (outcomes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    c.socket.destroy();
    const outcome = await Promise.race([outcomes[0]!, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 5000))]);
    assert.match(String(outcome), /^failed: /);
  });

  it('a body that middleware of the application\'s own read first is an empty body to the server and to toRequest, answered at once', async () => {
    const server = new MplServer();
    const handlers = nodeHandlers(server);
    const http = createServer((req, res) => {
      // Like a body parser that ran first: the body is read to its end before the server sees the request.
      req.resume();
      req.once('end', () => handlers.request(req, res));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    after(() => {
      http.closeAllConnections();
      http.close();
    });
    const answer = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: await envelopeText(), signal: AbortSignal.timeout(5000),
    });
    assert.equal(answer.status, 400);
    assert.deepEqual(await answer.json(), { error: 'E-INVALID-ENVELOPE', message: 'The request body is not JSON' });
    // toRequest of such a request: an empty body, not one that never ends.
    const read = createServer((req, res) => {
      req.resume();
      req.once('end', () => void toRequest(req, res).text().then((text) => res.end(`read ${text.length}`)));
    });
    await new Promise<void>((resolve) => read.listen(0, '127.0.0.1', resolve));
    after(() => {
      read.closeAllConnections();
      read.close();
    });
    const reply = await fetch(`http://127.0.0.1:${(read.address() as AddressInfo).port}/`, { method: 'POST', body: 'eaten', signal: AbortSignal.timeout(5000) });
    assert.equal(await reply.text(), 'read 0');
  });

  it('reads a request\'s path as new URL does, without one for a plain path', () => {
    const targets = ['/', '/mcp', '/.well-known/ai-alpn', '/mcp/.well-known/ai-alpn', '/a/../b', '/a/./b', '/a/%2e%2e/b', '/%7e', '/a b', '/é', '//x/y', '/a?b=1', '/a#b',
      '/x:y@z', "/'()*+,;=!$&", '/a\\b', '/a|b', '/a^b', '/a`b', '/{a}', '/<a>', '/"a"', '/a\tb', '*', 'http://other/x', ''];
    // And random paths from the characters a plain path holds, and some it does not.
    const chars = "abcXYZ019-._~!$&'()*+,;=:@/%?#[]^|` \\\"<>{}é";
    for (let i = 0; i < 2000; i++) targets.push('/' + Array.from({ length: 1 + (i % 12) }, (_, k) => chars[(i * 7 + k * 13 + ((i * k) % 5)) % chars.length]).join(''));
    for (const url of targets) {
      const expected = (() => {
        if (/^https?:\/\//.test(url)) return new URL(url).pathname; // absolute form (RFC 9112 §3.2.2)
        try {
          return new URL(`http://host${url.startsWith('/') ? url : '/'}`).pathname;
        } catch {
          return '/';
        }
      })();
      assert.equal(pathnameOf({ url, headers: { host: 'host' } }), expected, JSON.stringify(url));
    }
  });

  it('lets no Host header change the path a request is routed by', () => {
    for (const host of ['x/capabilities?', 'x/admin#', 'x?', 'x#', 'a b', 'x/../y', '', 'evil.test:80/mcp']) {
      assert.equal(pathnameOf({ url: '/health?probe=1', headers: { host } }), '/health', JSON.stringify(host));
      assert.equal(pathnameOf({ url: '/a/../health', headers: { host } }), '/health', JSON.stringify(host));
    }
    for (const host of ['example.test', 'example.test:8080', '127.0.0.1:9', '[::1]:8080']) {
      assert.equal(pathnameOf({ url: '/x%2fy?q', headers: { host } }), '/x%2fy', host);
    }
  });

  it('reads a body that middleware paused (req.pause()) before handing the request on', async () => {
    const server = new MplServer({ limits: { bodyTimeoutMs: 1500, maxConcurrentRequests: 1 } });
    server.on(EVENT, (envelope) => envelope.payload);
    const handlers = nodeHandlers(server);
    const http = createServer((req, res) => {
      req.pause();
      handlers.request(req, res);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const reply = await fetch(`${base}/mcp`, { method: 'POST', body: await envelopeText(), signal: AbortSignal.timeout(1000) });
      assert.equal(reply.status, 200);
      // Its turn was given back: the one slot serves the next request.
      assert.equal((await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) })).status, 200);
    } finally {
      http.closeAllConnections();
      http.close();
      await server.close();
    }
  });

  it('notices a client that leaves with requests pipelined behind the one being answered', async () => {
    const seen: string[] = [];
    const server = new MplServer({ limits: { maxConcurrentRequests: 4 } });
    server.on(EVENT, async (envelope, ctx) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        ctx.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); });
      });
      seen.push(`${(envelope.payload as { title: string }).title}: ${ctx.signal.aborted ? 'aborted' : 'not aborted'}`);
      return envelope.payload;
    });
    const node = await serveNode(server);
    running.push(node);
    const post = (body: string) => `POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const client = await raw(node.port);
    client.socket.write(post(await envelopeText('first')) + post(await envelopeText('second')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.socket.destroy();
    const started = performance.now();
    while (seen.length < 2 && performance.now() - started < 1500) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(seen.sort(), ['first: aborted', 'second: aborted']);
  });

  it('closes the connection after a 413 for a declared length it will not read, instead of reading it all', async () => {
    const { port } = await serve({ limits: { maxFrameBytes: 1024 } });
    const client = await raw(port);
    client.socket.write(`POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${2 ** 31}\r\n\r\n{"id":`);
    const answer = await client.until(/\r\n\r\n[\s\S]*\}/);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.match(answer, /\r\nConnection: close\r\n/i);
    await Promise.race([client.ended, new Promise((_, reject) => setTimeout(() => reject(new Error('the connection stayed open')), 2000))]);
  });

  it('answers a method no route takes 405 with Allow, on both paths', async () => {
    const { port, server } = await serve();
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const overNode = await fetch(`http://127.0.0.1:${port}/mcp`, { method, signal: AbortSignal.timeout(2000) });
      const overFetch = await server.fetch(new Request('http://mpl.test/mcp', { method }));
      for (const reply of [overNode, overFetch]) {
        assert.equal(reply.status, 405, method);
        assert.equal(reply.headers.get('allow'), 'GET, HEAD, POST', method);
        await reply.arrayBuffer();
      }
    }
  });

  it('cancels a streamed Response when its client leaves, and reports a body that breaks to onError', async () => {
    let cancelled: unknown;
    const errors: unknown[] = [];
    let pulls = 0;
    const server = new MplServer({
      onError: (error) => errors.push(error),
      routes: (request) => {
        const path = new URL(request.url).pathname;
        if (path === '/download') {
          return new Response(new ReadableStream({
            async pull(controller) {
              pulls++;
              await new Promise((resolve) => setTimeout(resolve, 10));
              controller.enqueue(new Uint8Array(1024));
            },
            cancel(reason) { cancelled = reason; },
          }));
        }
        if (path === '/broken') {
          let sent = false;
          return new Response(new ReadableStream({
            pull(controller) {
              if (sent) controller.error(new Error('upstream body broke'));
              else controller.enqueue(new TextEncoder().encode('partial'));
              sent = true;
            },
          }));
        }
        return undefined;
      },
    });
    const node = await serveNode(server);
    running.push(node);
    const client = await raw(node.port);
    client.socket.write('GET /download HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.until(/\r\n\r\n/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.socket.destroy();
    const started = performance.now();
    while (cancelled === undefined && performance.now() - started < 2000) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(cancelled instanceof Error, 'the stream was cancelled');
    const pullsThen = pulls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(pulls, pullsThen, 'nothing more is pulled');

    const broken = await raw(node.port);
    broken.socket.write('GET /broken HTTP/1.1\r\nHost: x\r\n\r\n');
    await broken.ended;
    assert.ok(errors.some((error) => error instanceof Error && error.message === 'upstream body broke'), String(errors));
  });
});
