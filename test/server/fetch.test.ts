// The server's HTTP side: the proxy's HTTP shapes, CORS (off by default), handlers and
// their replies, strict and development modes, the application's own routes and upstream.
// Each case runs twice: through MplServer.fetch with web-standard Requests (what Deno, Bun
// and workerd hand it), and over a real node:http server with the Node adapter's handlers,
// which reads requests and writes answers without web Requests and Responses.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { semanticHash } from '../../src/hashing/index.ts';
import { MplError } from '../../src/errors/index.ts';
import { MplServer, type InboundRecord, type MplServerOptions } from '../../src/server/index.ts';
import { nodeHandlers } from '../../src/server/node.ts';

const EVENT = 'org.calendar.Event.v1';
const payload = { title: 'Sync', start: '2024-03-01T14:00:00Z', duration_minutes: 30 };

async function envelope(body: unknown, extra: Record<string, unknown> = {}) {
  return { id: crypto.randomUUID(), stype: EVENT, payload: body, sem_hash: await semanticHash(body), ...extra };
}

const listening = new Map<MplServer, Promise<string>>();
const httpServers: Server[] = [];
after(() => Promise.all(httpServers.map((http) => {
  http.closeAllConnections();
  return new Promise((resolve) => http.close(resolve));
})));

/**
 * `request` sent to `server` over node:http (the Node adapter's `request` handler, on an
 * ephemeral port; no `ready()` first, as a user's own server may not), the answer read
 * back as a Response.
 */
async function overNode(server: MplServer, request: Request): Promise<Response> {
  let base = listening.get(server);
  if (base === undefined) {
    const http = createServer(nodeHandlers(server).request);
    httpServers.push(http);
    base = new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(http.address() as AddressInfo).port}`)));
    listening.set(server, base);
  }
  const { pathname, search } = new URL(request.url);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers = Object.fromEntries(request.headers);
  const url = `${await base}${pathname}${search}`;
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: request.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) answer.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
        const status = res.statusCode!;
        const noBody = status === 204 || request.method === 'HEAD';
        resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: answer }));
      });
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

function serverWith(options: MplServerOptions = {}) {
  const inbound: InboundRecord[] = [];
  const server = new MplServer({ ...options, onInbound: (r) => inbound.push(r) });
  return { server, inbound };
}

/** How a case reaches the server. */
const TRANSPORTS = [
  { name: 'MplServer.fetch', call: (server: MplServer, request: Request) => server.fetch(request) },
  { name: 'node:http (Node adapter)', call: overNode },
] as const;

for (const { name: via, call } of TRANSPORTS) {
  const post = (server: MplServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(server, new Request(`http://mpl.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }));


  describe(`${via}: the proxy's endpoints`, () => {
    it('answers /health and /capabilities in the proxy\'s shapes', async () => {
      const { server } = serverWith({ mode: 'strict' });
      assert.deepEqual(await (await call(server, new Request('http://mpl.test/health'))).json(), { status: 'healthy', version: '0.1.2' });
      const caps = await (await call(server, new Request('http://mpl.test/capabilities'))).json();
      assert.deepEqual(Object.keys(caps), ['version', 'mpl_version', 'capabilities', 'stypes', 'profiles', 'mode']);
      assert.equal(caps.mode, 'production');
      assert.ok(caps.stypes.includes(EVENT));
      assert.ok(Object.values(caps.capabilities).every((v) => typeof v === 'boolean'));
    });

    it('answers the hello at the origin root and below an endpoint path; a hello it cannot read is 422 plain text', async () => {
      const { server } = serverWith({ requiredProfile: 'qom-basic' });
      for (const path of ['/.well-known/ai-alpn', '/mcp/.well-known/ai-alpn']) {
        const select = await (await post(server, path, { type: 'ai-alpn-hello', version: '1.0', stypes: [EVENT, 'com.x.y.Z.v1'] })).json();
        assert.deepEqual(select, { type: 'ai-alpn-select', common_stypes: [EVENT], selected_profile: 'qom-basic', extensions: {} });
      }
      const bad = await post(server, '/.well-known/ai-alpn', { type: 'ai-alpn-hello' });
      assert.equal(bad.status, 422);
      assert.match(bad.headers.get('content-type') ?? '', /^text\/plain/);
    });

    it('sends no CORS headers by default, like the proxy; `cors: [origin]` opens them for that origin only', async () => {
      const closed = serverWith().server;
      const res = await call(closed, new Request('http://mpl.test/health', { headers: { origin: 'http://page.test' } }));
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      const preflight = await call(closed, new Request('http://mpl.test/mcp', { method: 'OPTIONS', headers: { origin: 'http://page.test', 'access-control-request-method': 'POST' } }));
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      const open = serverWith({ cors: ['http://page.test'] }).server;
      const allowed = await call(open, new Request('http://mpl.test/health', { headers: { origin: 'http://page.test' } }));
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://page.test');
      assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /X-MPL-QoM-Result/);
      const other = await call(open, new Request('http://mpl.test/health', { headers: { origin: 'http://evil.test' } }));
      assert.equal(other.headers.get('access-control-allow-origin'), null);
      // The answer depends on the Origin for every request, refused or with none: a shared cache must know.
      assert.equal(other.headers.get('vary'), 'Origin');
      assert.equal((await call(open, new Request('http://mpl.test/capabilities'))).headers.get('vary'), 'Origin');
      assert.equal(allowed.headers.get('vary'), 'Origin');
      assert.equal(res.headers.get('vary'), null, 'no CORS: nothing depends on the Origin');
    });

    it('a preflight from an allowed origin allows the headers the page asks for (an API key, traceparent), echoed, and says it varies with them', async () => {
      for (const cors of [true, ['http://page.test']] as const) {
        const { server } = serverWith({ cors: cors as never });
        const asked = 'content-type, x-api-key, traceparent, X-MPL-SType';
        const res = await call(server, new Request('http://mpl.test/mcp', { method: 'OPTIONS', headers: { origin: 'http://page.test', 'access-control-request-method': 'POST', 'access-control-request-headers': asked } }));
        assert.equal(res.status, 204);
        const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
        for (const name of ['content-type', 'x-api-key', 'traceparent', 'x-mpl-stype', 'authorization']) assert.ok(allowed.includes(name), `${name} in ${allowed.join(', ')} (cors ${JSON.stringify(cors)})`);
        assert.match(res.headers.get('vary') ?? '', /Access-Control-Request-Headers/);
        // A name that is no header name is not echoed.
        const odd = await call(server, new Request('http://mpl.test/mcp', { method: 'OPTIONS', headers: { origin: 'http://page.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-ok, bad name, (x)' } }));
        assert.doesNotMatch(odd.headers.get('access-control-allow-headers') ?? '', /bad name|\(x\)/);
        assert.match(odd.headers.get('access-control-allow-headers') ?? '', /x-ok/);
      }
    });

    it('answers A2A\'s {"mpl_envelope": …} as the envelope it wraps, its reply wrapped the same way', async () => {
      const { server } = serverWith();
      server.on(EVENT, (env) => ({ ...env.payload, status: 'confirmed' }));
      const inner = await envelope({ title: 'A2A', start: '2024-03-01T14:00:00Z' });
      const res = await post(server, '/mcp', { mpl_envelope: inner });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(Object.keys(body), ['mpl_envelope']);
      assert.equal(body.mpl_envelope.in_reply_to, inner.id);
      assert.equal(body.mpl_envelope.id, inner.id);
      assert.equal(body.mpl_envelope.payload.status, 'confirmed');
      assert.equal(body.mpl_envelope.sem_hash, await semanticHash(body.mpl_envelope.payload));
      assert.equal(res.headers.get('x-mpl-sem-hash'), body.mpl_envelope.sem_hash);
    });

    it('leaves WebSocket upgrades to the adapters (426)', async () => {
      const res = await call(serverWith().server, new Request('http://mpl.test/ws', { headers: { upgrade: 'websocket' } }));
      assert.equal(res.status, 426);
    });

    it('refuses options it does not know or of the wrong kind when it is made, naming them (a misspelt mode turned strict checking off)', () => {
      const refused = (options: object, pattern: RegExp): void => {
        assert.throws(() => new MplServer(options as never), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ARGUMENT' && pattern.test(e.message), JSON.stringify(options));
      };
      refused({ mode: 'strcit' }, /^MplServer option mode must be "strict", "production" or "development", got "strcit"$/);
      refused({ replies: 'bogus' }, /option replies must be "envelope" or "proxy"/);
      refused({ qomReports: 'sometimes' }, /option qomReports must be/);
      refused({ hashLayout: 'bogus' }, /option hashLayout must be "current", "legacy" or "either"/);
      refused({ cors: 'yes' }, /option cors must be true, false or a list of origins, got "yes"/);
      refused({ limts: {} }, /^MplServer option limts is not one \(the options are /);
      refused({ limits: { maxFrame: 10 } }, /^limits\.maxFrame is no limit of the server/);
      refused({ stypes: 'org.calendar.Event.v1' }, /option stypes must be an array of SType ids/);
      refused({ onError: 'log' }, /option onError must be a function, got "log"/);
      refused({ registry: './registry' }, /option registry must be a Registry/);
      refused({ name: 42 }, /option name must be a string, got number/);
      assert.throws(() => new MplServer('strict' as never), /MplServer options must be an object, got "strict"$/);
      assert.throws(() => new MplServer(42 as never), /MplServer options must be an object, got number$/);
      // undefined is the default, a limit's too; null (from plain JavaScript) for the whole options too
      new MplServer({ mode: undefined, cors: undefined, limits: { maxFrameBytes: undefined } } as never);
      new MplServer(null as never);
      new MplServer({ mode: 'production', replies: 'proxy', qomReports: 'never', cors: ['https://app.example'], hashLayout: 'either', limits: { maxSessions: 5 } });
    });

    it('refuses to start with an SType it has no schema for, or a limit that is no positive number', async () => {
      const server = new MplServer({ stypes: [EVENT, 'com.nowhere.x.Thing.v1'] });
      await assert.rejects(server.ready(), (e: MplError) => e.code === 'E-UNKNOWN-STYPE');
      assert.equal((await call(server, new Request('http://mpl.test/health'))).status, 503);
      assert.throws(() => new MplServer({ limits: { maxInFlight: 0 } }), (e: MplError) => e.code === 'E-INVALID-ARGUMENT' && /maxInFlight/.test(e.message));
      const urn = new MplServer({ stypes: [`urn:stype:${EVENT}`] });
      await urn.ready();
      assert.deepEqual(urn.stypes, [EVENT]);
    });

    it('on() and onHandshake() refuse what is not a function when it is registered, not at the first request', () => {
      const server = new MplServer();
      assert.throws(() => server.on(EVENT, { reply: 'ok' } as never), (e: MplError) => e.code === 'E-INVALID-ARGUMENT' && /MplServer on\("org\.calendar\.Event\.v1"\) needs a handler function, got object/.test(e.message));
      assert.throws(() => server.on('*', undefined as never), (e: MplError) => e.code === 'E-INVALID-ARGUMENT' && /on\("\*"\) needs a handler function, got undefined/.test(e.message));
      assert.throws(() => server.onHandshake('greet' as never), (e: MplError) => e.code === 'E-INVALID-ARGUMENT' && /onHandshake\(\) needs a listener function, got string/.test(e.message));
      assert.equal(server.on(EVENT, () => undefined), server);
    });
  });

  describe(`${via}: envelopes and handlers`, () => {
    it('answers with an envelope naming the request, hashed, with the X-MPL-* headers; a QoM report only when a profile applies', async () => {
      const { server, inbound } = serverWith();
      server.on(EVENT, (env) => ({ ...env.payload, status: 'confirmed' }));
      const request = await envelope(payload);
      const res = await post(server, '/mcp', request);
      const reply = await res.json();
      assert.equal(reply.in_reply_to, request.id);
      assert.equal(reply.payload.status, 'confirmed');
      assert.equal(reply.sem_hash, await semanticHash(reply.payload));
      assert.equal(res.headers.get('x-mpl-sem-hash'), reply.sem_hash);
      assert.equal(res.headers.get('x-mpl-qom-result'), 'pass');
      assert.equal(reply.qom_report, undefined, 'no profile, no report');
      const asked = await (await post(server, '/mcp', await envelope(payload, { profile: 'qom-strict-argcheck' }))).json();
      assert.deepEqual(asked.qom_report, { profile: 'qom-strict-argcheck', meets_profile: true, metrics: { schema_fidelity: 1, instruction_compliance: 1, ontology_adherence: 1, tool_outcome_correctness: 1 } });
      assert.deepEqual(inbound.map((r) => [r.transport, r.kind, r.path, r.valid, r.hashOk]), [['http', 'envelope', '/mcp', true, true], ['http', 'envelope', '/mcp', true, true]]);
    });

    it('a profile of the peer\'s that no header holds as it is (not printable ASCII) goes back in the reply only, never as a failure', async () => {
      const errors: unknown[] = [];
      const { server } = serverWith({ onError: (error) => errors.push(error) });
      for (const profile of ['qom-é', 'qom-中', 'a\nb', ' qom-basic', 'qom-basic\t', '']) {
        const res = await post(server, '/mcp', await envelope(payload, { profile }));
        assert.equal(res.status, 200, JSON.stringify(profile));
        assert.equal(res.headers.get('x-mpl-profile'), null, JSON.stringify(profile));
        assert.equal((await res.json()).payload.title, payload.title);
      }
      const plain = await post(server, '/mcp', await envelope(payload, { profile: 'qom-basic' }));
      assert.equal(plain.headers.get('x-mpl-profile'), 'qom-basic');
      assert.deepEqual(errors, []);
    });

    it('without a handler, or when it returns undefined, answers with the request\'s payload, as the proxy does; ctx.reply changes the SType', async () => {
      const { server } = serverWith();
      assert.deepEqual((await (await post(server, '/', await envelope(payload))).json()).payload, payload);
      server.on(EVENT, (env, ctx) => ({ ...env.payload, description: `by ${ctx.request?.headers.get('authorization')}` }));
      assert.equal((await (await post(server, '/', await envelope(payload), { authorization: 'Bearer t' })).json()).payload.description, 'by Bearer t');
      server.on('org.agent.Heartbeat.v1', (_env, ctx) => ctx.reply('org.agent.TaskResult.v1', { plan_id: 'p', status: 'completed' }));
      const hb = await (await post(server, '/', { id: 'h1', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' } })).json();
      assert.equal(hb.stype, 'org.agent.TaskResult.v1');
      server.on(EVENT, () => undefined);
      server.on('*', () => undefined);
      assert.deepEqual((await (await post(server, '/', await envelope(payload))).json()).payload, payload);
    });

    it('strict mode blocks invalid payloads and hash mismatches: HTTP 400 with the proxy\'s body; the handler never runs', async () => {
      const { server, inbound } = serverWith({ mode: 'strict' });
      let ran = 0;
      server.on(EVENT, () => { ran += 1; });
      const invalid = await post(server, '/mcp', await envelope({ title: 'x', start: 'tomorrow' }));
      assert.equal(invalid.status, 400);
      const body = await invalid.json();
      assert.deepEqual(Object.keys(body), ['error', 'message', 'details']);
      assert.deepEqual([body.error, body.message], ['E-SCHEMA-FIDELITY', 'Request validation failed']);
      assert.ok(body.details.some((d: string) => d.startsWith('Schema error at /start: ')), JSON.stringify(body.details));
      const pointer = await post(new MplServer({ mode: 'strict', schemaDetails: 'pointer' }), '/mcp', await envelope({ title: 'x', start: 'tomorrow' }));
      assert.ok((await pointer.json()).details.some((d: string) => d.startsWith('/start: ')), 'schemaDetails: pointer');
      const tampered = await post(server, '/mcp', { ...(await envelope(payload)), payload: { ...payload, title: 'changed' } });
      assert.equal(tampered.status, 400);
      assert.ok((await tampered.json()).details.some((d: string) => d.startsWith('sem_hash: mismatch')));
      assert.equal(ran, 0);
      assert.deepEqual(inbound.map((r) => r.blocked), [true, true]);
      // A client written from upstream's documentation labels its hash `blake3:`: the same hash, checked as such.
      const hex = (await semanticHash(payload)).slice(3);
      const labelled = await post(server, '/mcp', { ...(await envelope(payload)), sem_hash: `blake3:${hex}` });
      assert.equal(labelled.status, 200);
      assert.equal(ran, 1);
      const wrongLabelled = await post(server, '/mcp', { ...(await envelope(payload)), sem_hash: `blake3:${'0'.repeat(64)}` });
      assert.equal(wrongLabelled.status, 400);
      assert.ok((await wrongLabelled.json()).details.some((d: string) => d.startsWith('sem_hash: mismatch')));
    });

    it('a payload with no canonical form (a lone surrogate) is a hash problem of the peer\'s: 400 naming it in strict mode, reported to the handler in development', async () => {
      const hash = await semanticHash(payload);
      // JSON text can carry a lone surrogate (\ud800); JSON.stringify writes it escaped.
      const text = JSON.stringify({ id: 'lone-1', stype: EVENT, payload: { ...payload, title: '\ud800' }, sem_hash: hash });
      assert.match(text, /\\ud800/);
      const { server, inbound } = serverWith({ mode: 'strict' });
      const blocked = await post(server, '/mcp', text);
      assert.equal(blocked.status, 400);
      const details: string[] = (await blocked.json()).details;
      assert.ok(details.some((d) => d.startsWith('sem_hash: the payload has no canonical form (') && d.includes('lone surrogate')), JSON.stringify(details));
      assert.deepEqual([inbound[0]!.hashOk, inbound[0]!.blocked], [false, true]);
      const development = serverWith();
      development.server.on(EVENT, (_env, ctx) => ({ ...payload, title: ctx.validation.errors.join('; ') }));
      const reply = await (await post(development.server, '/mcp', text.replace('lone-1', 'lone-2'))).json();
      assert.match(reply.payload.title, /^sem_hash: the payload has no canonical form/);
    });

    it('accepts a hash in either layout of the reference\'s canonical form (serde_json before and after 1.0.147)', async () => {
      const { server, inbound } = serverWith({ mode: 'strict' });
      const big = { amount: 1e20 };
      for (const hashLayout of ['current', 'legacy'] as const) {
        const request = { id: crypto.randomUUID(), stype: 'data.json.Document.v1', payload: big, sem_hash: await semanticHash(big, { hashLayout }) };
        assert.equal((await post(server, '/mcp', request)).status, 200, hashLayout);
      }
      assert.notEqual(await semanticHash(big, { hashLayout: 'legacy' }), await semanticHash(big));
      assert.deepEqual(inbound.map((r) => r.hashOk), [true, true]);
      const oneBuild = new MplServer({ mode: 'strict', hashLayout: 'current' });
      const legacy = { id: 'l1', stype: 'data.json.Document.v1', payload: big, sem_hash: await semanticHash(big, { hashLayout: 'legacy' }) };
      assert.equal((await post(oneBuild, '/mcp', legacy)).status, 400, 'a server of one build checks its own layout only');
    });

    it('development mode hands an invalid envelope to its handler with what failed, and reports it', async () => {
      const { server, inbound } = serverWith();
      server.on(EVENT, (_env, ctx) => ({ title: 'checked', start: '2024-03-01T14:00:00Z', note: ctx.validation.errors.join('; ') }));
      const res = await post(server, '/mcp', await envelope({ title: 'x', start: 'tomorrow' }, { profile: 'qom-basic' }));
      const reply = await res.json();
      assert.match(reply.payload.note, /Schema error at \/start/);
      assert.equal(reply.qom_report.meets_profile, false);
      assert.equal(res.headers.get('x-mpl-qom-result'), 'fail');
      assert.deepEqual([inbound[0]!.valid, inbound[0]!.blocked], [false, false]);
    });

    it('proxy replies: the bare reply payload over HTTP, SType in X-MPL-SType', async () => {
      const { server } = serverWith({ replies: 'proxy' });
      const res = await post(server, '/mcp', await envelope(payload));
      assert.deepEqual(await res.json(), payload);
      assert.equal(res.headers.get('x-mpl-stype'), EVENT);
    });

    it('a handler\'s MplError goes back with its code; any other throw is E-INTERNAL without its message, reported to onError', async () => {
      const errors: unknown[] = [];
      const server = new MplServer({ onError: (e) => errors.push(e) });
      server.on(EVENT, (env) => {
        if ((env.payload as { title: string }).title === 'deny') throw new MplError('E-POLICY-DENIED', 'not on weekends');
        throw new Error('secret stack detail');
      });
      const denied = await post(server, '/', await envelope({ ...payload, title: 'deny' }));
      assert.equal(denied.status, 403);
      assert.deepEqual(await denied.json(), { error: 'E-POLICY-DENIED', message: 'not on weekends' });
      const failed = await post(server, '/', await envelope(payload));
      assert.equal(failed.status, 500);
      const body = await failed.json();
      assert.equal(body.error, 'E-INTERNAL');
      assert.ok(!JSON.stringify(body).includes('secret'));
      assert.equal((errors.at(-1) as Error).message, 'secret stack detail');
    });

    it('a handler past its time limit is answered E-TIMEOUT and its signal is aborted', async () => {
      const server = new MplServer({ limits: { handlerTimeoutMs: 50 } });
      let aborted: Promise<unknown> | undefined;
      server.on(EVENT, (_env, ctx) => {
        aborted = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason)));
        return new Promise(() => {});
      });
      const res = await post(server, '/', await envelope(payload));
      assert.equal(res.status, 504);
      assert.deepEqual(await res.json(), { error: 'E-TIMEOUT', message: `The handler for ${EVENT} did not answer within 50 ms`, details: { timeout_ms: 50 } });
      assert.equal(((await aborted) as MplError).code, 'E-TIMEOUT');
    });

    it('a handler that answers with a thenable that is no Promise is awaited, and timed, as one answering with a promise', async () => {
      const server = new MplServer({ limits: { handlerTimeoutMs: 100 } });
      server.on(EVENT, (env) => {
        const title = (env.payload as { title: string }).title;
        // A thenable of another library's making: it calls back later, or never.
        const thenable = { then: (resolve: (value: unknown) => void) => (title === 'never' ? undefined : setTimeout(() => resolve({ ...payload, title: 'later' }), 10)) };
        return thenable as unknown as PromiseLike<undefined>; // its then returns no promise: not a PromiseLike to the compiler
      });
      assert.equal((await (await post(server, '/', await envelope(payload))).json()).payload.title, 'later');
      const never = await post(server, '/', await envelope({ ...payload, title: 'never' }));
      assert.equal(never.status, 504);
      assert.equal((await never.json()).error, 'E-TIMEOUT');
    });

    it('a handler that reads its signal only after its time ran out gets it already aborted, with the E-TIMEOUT; one that never reads it still times out', async () => {
      const server = new MplServer({ limits: { handlerTimeoutMs: 50 } });
      let late: AbortSignal | undefined;
      let reading: Promise<void> | undefined;
      let keys: string[] = [];
      server.on(EVENT, (_env, ctx) => {
        keys = Object.keys(ctx);
        reading = new Promise((resolve) => setTimeout(() => { late = ctx.signal; resolve(); }, 120));
        return new Promise(() => {});
      });
      const res = await post(server, '/', await envelope(payload));
      assert.equal(res.status, 504);
      await reading;
      assert.equal(late?.aborted, true);
      assert.equal((late?.reason as MplError).code, 'E-TIMEOUT');
      assert.ok(keys.includes('signal'), `signal is an own, enumerable property of the context, as before (${keys.join(', ')})`);
    });

    it('a handler\'s own E-CONNECTION-FAILED (its upstream failed) is still reported; only a peer that left is not', async () => {
      const errors: unknown[] = [];
      const server = new MplServer({ onError: (error) => errors.push(error) });
      server.on(EVENT, () => { throw new MplError('E-CONNECTION-FAILED', 'the calendar backend is down'); });
      const res = await post(server, '/', await envelope(payload));
      assert.equal((await res.json()).error, 'E-CONNECTION-FAILED');
      assert.equal(errors.length, 1);
      assert.equal((errors[0] as MplError).message, 'the calendar backend is down');
    });

    // A web Request whose client leaves while its body is read; the Node adapter's own case is in http-limit.test.ts.
    it('a handler whose HTTP client left before it could start is not called', { skip: via !== 'MplServer.fetch' }, async () => {
      const errors: unknown[] = [];
      const server = new MplServer({ onError: (error) => errors.push(error) });
      let called = 0;
      server.on(EVENT, () => { called += 1; return payload; });
      // The client leaves while its body is being read: before its turn, and so before its handler.
      const leaving = new AbortController();
      const text = new TextEncoder().encode(JSON.stringify(await envelope(payload)));
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // The first pull fills the stream's queue as it is made; the second comes as the server reads.
          if (++pulls === 1) return controller.enqueue(text);
          leaving.abort(new Error('the tab was closed'));
          controller.close();
        },
      });
      const request = new Request('http://mpl.test/', { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: leaving.signal, duplex: 'half' } as RequestInit);
      const res = await server.fetch(request);
      assert.equal(called, 0);
      assert.equal(res.status, 499); // dropped before its turn, as a request whose client left while it waited; answered to no one
      assert.equal(await res.text(), '');
      assert.deepEqual(errors, []);
    });

    it('strict mode holds the handler\'s own reply to its schema: an invalid reply never reaches the peer', async () => {
      const server = new MplServer({ mode: 'strict', onError: () => {} });
      server.on<string>(EVENT, () => ({ title: 42 })); // <string>: the compiler would refuse this payload
      const res = await post(server, '/', await envelope(payload));
      assert.equal(res.status, 500);
      assert.equal((await res.json()).error, 'E-INTERNAL');
    });

    it('a declared bare JSON body is checked (blocked in strict mode); other JSON goes to the upstream, else is refused', async () => {
      const strict = serverWith({ mode: 'strict' }).server;
      const bad = await post(strict, '/x', { title: 'x' }, { 'X-MPL-SType': EVENT });
      assert.equal(bad.status, 400);
      assert.equal((await bad.json()).error, 'E-SCHEMA-FIDELITY');
      const ok = await post(strict, '/x', payload, { 'X-MPL-SType': EVENT });
      assert.equal(ok.headers.get('x-mpl-sem-hash'), await semanticHash(payload));
      assert.equal((await post(strict, '/x', { anything: true })).status, 400);
      // A tool call (upstream's Python client sends one with X-MPL-SType) with no upstream: said as such, not as a body without its SType.
      const rpc = await post(strict, '/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: {} } }, { 'X-MPL-SType': EVENT });
      assert.equal(rpc.status, 400);
      assert.match((await rpc.json()).message, /a JSON-RPC request \("tools\/call"\) is forwarded to the server's upstream, and it has none/);
      const withUpstream = new MplServer({ upstream: (_request, body) => Response.json({ upstream: body.json }) });
      assert.deepEqual(await (await post(withUpstream, '/rpc', { jsonrpc: '2.0', id: 1, method: 'tools/list' })).json(), { upstream: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    });

    it('the application\'s routes answer first, with the server\'s CORS headers', async () => {
      const server = new MplServer({ cors: true, routes: (request) => (new URL(request.url).pathname === '/hello' ? new Response('hi') : undefined) });
      const res = await call(server, new Request('http://mpl.test/hello'));
      assert.equal(await res.text(), 'hi');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal((await call(server, new Request('http://mpl.test/health'))).status, 200);
    });
  });
}
