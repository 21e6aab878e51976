import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { semanticHash } from '../../src/hashing/index.ts';
import { SchemaValidator, embeddedRegistry } from '../../src/registry/index.ts';
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../../demo/server/index.ts';
import { handshaken, openClient } from './ws-client.ts';

const SEED = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'];
const EVENT = { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] };
const BAD_EVENT = { start: 'next tuesday', duration_minutes: 'an hour' };
const validator = new SchemaValidator(embeddedRegistry());

/** Asserts that what the server sent is valid under its own SType. */
async function assertValid(envelope: { stype: string; payload: unknown }) {
  assert.deepEqual(await validator.validate(envelope.stype, envelope.payload), [], `${envelope.stype} ${JSON.stringify(envelope.payload)}`);
}

async function envelope(stype: string, payload: unknown, extra: Record<string, unknown> = {}) {
  return { id: crypto.randomUUID(), stype, payload, sem_hash: await semanticHash(payload), timestamp: new Date().toISOString(), ...extra };
}

/** Starts a server for one describe block and closes it after. */
function serverFor(options: ReferenceServerOptions): () => ReferenceServer {
  let server: ReferenceServer;
  before(async () => { server = await startReferenceServer(options); });
  after(() => server.close());
  return () => server;
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

describe('reference server: /health and /capabilities', () => {
  const server = serverFor({ mode: 'production' });

  it('answers /health like the proxy', async () => {
    const res = await fetch(`${server().url}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'healthy', version: '0.1.2' });
  });

  it('lists version, mpl_version, boolean capabilities, STypes, profiles and mode', async () => {
    const caps = await (await fetch(`${server().url}/capabilities`)).json();
    assert.equal(caps.mpl_version, '1.0');
    assert.equal(caps.mode, 'production');
    for (const s of SEED) assert.ok(caps.stypes.includes(s), s);
    assert.ok(caps.profiles.includes('qom-basic') && caps.profiles.includes('qom-strict-argcheck'));
    assert.ok(Object.values(caps.capabilities).every((v) => typeof v === 'boolean'));
    assert.equal(caps.capabilities.strict_mode, true);
  });
});

describe('reference server: AI-ALPN over HTTP', () => {
  const server = serverFor({ requiredProfile: 'qom-basic' });
  const hello = (body: unknown) => post(`${server().url}/.well-known/ai-alpn`, body);

  it('selects the client STypes it has schemas for and the first profile it knows', async () => {
    const res = await hello({ type: 'ai-alpn-hello', version: '1.0', stypes: ['org.calendar.Event.v1', 'com.nowhere.x.Thing.v1'], qom_profiles: ['qom-made-up', 'qom-strict-argcheck'] });
    assert.deepEqual(await res.json(), { type: 'ai-alpn-select', common_stypes: ['org.calendar.Event.v1'], selected_profile: 'qom-strict-argcheck', extensions: (await (await hello({ type: 'ai-alpn-hello', version: '1.0', stypes: [] })).json()).extensions });
  });

  it('falls back to its required profile, and answers an empty intersection without an error', async () => {
    const body = await (await hello({ type: 'ai-alpn-hello', version: '1.0', stypes: ['com.nowhere.x.Thing.v1'], qom_profiles: ['qom-made-up'] })).json();
    assert.equal(body.type, 'ai-alpn-select');
    assert.deepEqual(body.common_stypes, []);
    assert.equal(body.selected_profile, 'qom-basic');
  });

  for (const missing of ['type', 'version', 'stypes']) {
    it(`refuses a hello without ${missing} with 422 and a plain-text body`, async () => {
      const full: Record<string, unknown> = { type: 'ai-alpn-hello', version: '1.0', stypes: [] };
      delete full[missing];
      const res = await hello(full);
      assert.equal(res.status, 422);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(await res.text(), new RegExp(`missing field \`${missing}\``));
    });
  }

  it('records each hello', () => {
    const hellos = server().recorded.filter((r) => r.kind === 'hello');
    assert.ok(hellos.length >= 5);
    assert.ok(hellos.some((h) => !h.valid && h.errors[0]?.includes('stypes')));
  });
});

describe('reference server: handshake reply variants', () => {
  for (const handshakeReplyType of ['ai-alpn-select', 'ai-alpn-response', 'ai-alpn-hello-ack'] as const) {
    it(`answers ${handshakeReplyType} over HTTP and WebSocket`, async () => {
      const server = await startReferenceServer({ handshakeReplyType });
      try {
        const http = await (await post(`${server.url}/.well-known/ai-alpn`, { type: 'ai-alpn-hello', version: '1.0', stypes: SEED })).json();
        assert.equal(http.type, handshakeReplyType);
        const { client, select } = await handshaken(server.wsUrl, SEED);
        assert.equal(select.type, handshakeReplyType);
        assert.deepEqual(select.common_stypes, SEED);
        assert.equal(select.selected_profile, 'qom-basic');
        client.close();
      } finally {
        await server.close();
      }
    });
  }

  it('sends ai-alpn-error when asked to refuse incompatible clients', async () => {
    const server = await startReferenceServer({ onIncompatible: 'error', stypes: ['org.calendar.Event.v1'] });
    try {
      const { client, select } = await handshaken(server.wsUrl, ['org.agent.TaskPlan.v1']);
      assert.equal(select.type, 'ai-alpn-error');
      assert.equal(select.reason, 'no-common-stypes');
      assert.deepEqual(select.server_stypes, ['org.calendar.Event.v1']);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('refuses to start with an SType it has no schema for', async () => {
    await assert.rejects(startReferenceServer({ stypes: ['org.calendar.Event.v1', 'com.nowhere.x.Thing.v1'] }), (e: Error & { code?: string }) => e.code === 'E-UNKNOWN-STYPE' && /com\.nowhere\.x\.Thing\.v1/.test(e.message));
  });

  it('answers an unreadable WebSocket hello with ai-alpn-error', async () => {
    const server = await startReferenceServer();
    try {
      const client = await openClient(server.wsUrl);
      client.send({ type: 'ai-alpn-hello', version: '1.0' });
      const reply = await client.next();
      assert.equal(reply.type, 'ai-alpn-error');
      assert.match(reply.message, /stypes/);
      client.close();
    } finally {
      await server.close();
    }
  });
});

describe('reference server: WebSocket, in-reply-to replies (production)', () => {
  const server = serverFor({ mode: 'production', pushOnConnect: false });

  it('answers a hashed event on /mcp with a hashed envelope naming the request, with a QoM report', async () => {
    const { client, select } = await handshaken(`${server().url.replace('http', 'ws')}/mcp`, SEED, ['qom-strict-argcheck']);
    assert.equal(select.selected_profile, 'qom-strict-argcheck');
    const request = await envelope('org.calendar.Event.v1', EVENT);
    client.send(request);
    const reply = await client.next();
    assert.equal(reply.in_reply_to, request.id);
    assert.equal(reply.id, request.id, 'the reply repeats the request\'s id (upstream\'s TypeScript SDK matches by it)');
    assert.equal(reply.stype, 'org.calendar.Event.v1');
    assert.equal(reply.profile, 'qom-strict-argcheck');
    assert.equal(reply.sem_hash, await semanticHash(reply.payload));
    assert.equal(reply.payload.title, EVENT.title);
    assert.equal(reply.payload.end, '2024-03-01T15:00:00Z');
    assert.equal(reply.payload.status, 'confirmed');
    await assertValid(reply);
    assert.equal(reply.qom_report.profile, 'qom-strict-argcheck');
    assert.equal(reply.qom_report.meets_profile, true);
    assert.equal(reply.qom_report.metrics.schema_fidelity, 1);
    assert.equal(reply.provenance.parent_id, request.id);
    const seen = server().recorded.at(-1)!;
    assert.deepEqual([seen.transport, seen.kind, seen.path, seen.valid, seen.hashOk, seen.blocked], ['ws', 'envelope', '/mcp', true, true, false]);
    client.close();
  });

  it('acknowledges a task result and a heartbeat', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    const result = await envelope('org.agent.TaskResult.v1', { plan_id: 'plan-9', status: 'completed', output: { summary: 'done' } });
    client.send(result);
    const ack = await client.next();
    assert.equal(ack.in_reply_to, result.id);
    assert.equal(ack.stype, 'org.agent.Heartbeat.v1');
    assert.equal(ack.sem_hash, await semanticHash(ack.payload));
    await assertValid(ack);
    const hb = await envelope('org.agent.Heartbeat.v1', { status: 'busy' });
    client.send(hb);
    const hbAck = await client.next();
    assert.equal(hbAck.in_reply_to, hb.id);
    assert.equal(hbAck.payload.status, 'alive');
    client.close();
  });

  it('blocks an invalid payload with E-SCHEMA-FIDELITY and the paths that failed', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    const request = await envelope('org.calendar.Event.v1', BAD_EVENT);
    client.send(request);
    const reply = await client.next();
    assert.equal(reply.error, 'E-SCHEMA-FIDELITY');
    assert.equal(reply.message, 'Validation failed');
    assert.equal(reply.in_reply_to, request.id);
    // In the reference proxy's words: `Schema error at <pointer>: <message>`.
    assert.ok(reply.details.some((d: string) => d.startsWith('Schema error at /start: ')), JSON.stringify(reply.details));
    assert.ok(reply.details.some((d: string) => d.startsWith('Schema error at /duration_minutes: ')), JSON.stringify(reply.details));
    const seen = server().recorded.at(-1)!;
    assert.equal(seen.blocked, true);
    assert.equal(seen.valid, false);
    client.close();
  });

  it('blocks a valid payload whose sem_hash is off by one digit', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    const good = await envelope('org.calendar.Event.v1', EVENT);
    const last = good.sem_hash.at(-1) === '0' ? '1' : '0';
    client.send({ ...good, sem_hash: good.sem_hash.slice(0, -1) + last });
    const reply = await client.next();
    assert.equal(reply.error, 'E-SCHEMA-FIDELITY');
    assert.ok(reply.details.some((d: string) => d.startsWith('sem_hash: mismatch')), JSON.stringify(reply.details));
    assert.equal(server().recorded.at(-1)!.hashOk, false);
    client.close();
  });

  it('blocks an SType it has no schema for with E-UNKNOWN-STYPE', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    client.send({ id: 'u1', stype: 'com.nowhere.x.Thing.v1', payload: {} });
    const reply = await client.next();
    assert.equal(reply.error, 'E-UNKNOWN-STYPE');
    client.close();
  });

  it('answers frames in order, passes non-envelopes through, echoes binary and answers pings', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    const a = await envelope('org.agent.Heartbeat.v1', { status: 'alive' });
    const b = await envelope('org.calendar.Event.v1', EVENT);
    client.send(a);
    client.send('hello there');
    client.send(b);
    assert.equal((await client.next()).in_reply_to, a.id);
    assert.deepEqual(await client.next(), { type: 'passthrough', message: 'hello there' });
    assert.equal((await client.next()).in_reply_to, b.id);
    client.socket.send(Buffer.from([1, 2, 3]));
    assert.deepEqual([...(await client.nextBinary())], [1, 2, 3]);
    const pong = new Promise<Buffer>((resolve) => client.socket.once('pong', resolve));
    client.socket.ping('are you there');
    assert.equal((await pong).toString(), 'are you there');
    client.close();
  });
});

describe('reference server: WebSocket, in-reply-to replies (development)', () => {
  const server = serverFor({});

  it('answers an invalid payload with a failed task result and a failing QoM report', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    const request = await envelope('org.calendar.Event.v1', BAD_EVENT);
    client.send(request);
    const reply = await client.next();
    assert.equal(reply.in_reply_to, request.id);
    assert.equal(reply.stype, 'org.agent.TaskResult.v1');
    assert.equal(reply.payload.status, 'failed');
    assert.match(reply.payload.error.message, /Schema error at \/start: /);
    assert.equal(reply.qom_report.meets_profile, false);
    assert.equal(reply.qom_report.metrics.schema_fidelity, 0);
    await assertValid(reply);
    assert.equal(server().recorded.at(-1)!.blocked, false);
    client.close();
  });
});

describe('reference server: WebSocket, id-less replies like the proxy (development)', () => {
  const server = serverFor({ replies: 'id-less' });

  it('answers exactly {type, stype, validation, payload} with no id', async () => {
    const { client, select } = await handshaken(server().wsUrl, SEED);
    assert.deepEqual(select.extensions, {});
    client.send(await envelope('org.calendar.Event.v1', EVENT));
    assert.deepEqual(await client.next(), {
      type: 'mpl-response', stype: 'org.calendar.Event.v1',
      validation: { valid: true, schema_valid: true, qom_passed: true }, payload: EVENT,
    });
    client.close();
  });

  it('flags but forwards an invalid payload in development mode', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    client.send(await envelope('org.calendar.Event.v1', BAD_EVENT));
    assert.deepEqual(await client.next(), {
      type: 'mpl-response', stype: 'org.calendar.Event.v1',
      validation: { valid: false, schema_valid: false, qom_passed: false }, payload: BAD_EVENT,
    });
    const seen = server().recorded.at(-1)!;
    assert.equal(seen.valid, false);
    assert.equal(seen.blocked, false);
    client.close();
  });
});

describe('reference server: envelopes over HTTP', () => {
  const server = serverFor({ mode: 'production' });

  it('answers a valid envelope with a reply envelope and the X-MPL-* headers', async () => {
    const request = await envelope('org.calendar.Event.v1', EVENT, { profile: 'qom-basic' });
    const res = await post(`${server().url}/mcp`, request);
    assert.equal(res.status, 200);
    const reply = await res.json();
    assert.equal(reply.in_reply_to, request.id);
    assert.equal(res.headers.get('x-mpl-qom-result'), 'pass');
    assert.equal(res.headers.get('x-mpl-stype'), 'org.calendar.Event.v1');
    assert.equal(res.headers.get('x-mpl-profile'), 'qom-basic');
    assert.equal(res.headers.get('x-mpl-sem-hash'), reply.sem_hash);
    assert.equal(reply.sem_hash, await semanticHash(reply.payload));
  });

  it('blocks an invalid envelope: HTTP 400 with the proxy\'s body', async () => {
    const res = await post(`${server().url}/mcp`, await envelope('org.calendar.Event.v1', BAD_EVENT));
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error, 'E-SCHEMA-FIDELITY');
    assert.equal(body.message, 'Request validation failed');
    assert.deepEqual(Object.keys(body), ['error', 'message', 'details']);
    assert.ok(Array.isArray(body.details) && body.details.length >= 2);
    assert.equal(res.headers.get('x-mpl-qom-result'), 'fail');
  });

  it('blocks a hash mismatch over HTTP too', async () => {
    const request = await envelope('org.calendar.Event.v1', EVENT);
    const res = await post(`${server().url}/mcp`, { ...request, payload: { ...EVENT, title: 'Changed on the way' } });
    assert.equal(res.status, 400);
    assert.ok((await res.json()).details.some((d: string) => d.startsWith('sem_hash: mismatch')));
  });

  it('validates a bare JSON body as the SType of X-MPL-SType', async () => {
    const ok = await post(`${server().url}/anything`, EVENT, { 'X-MPL-SType': 'org.calendar.Event.v1' });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), EVENT);
    assert.equal(ok.headers.get('x-mpl-qom-result'), 'pass');
    assert.equal(ok.headers.get('x-mpl-sem-hash'), await semanticHash(EVENT));
    const bad = await post(`${server().url}/anything`, BAD_EVENT, { 'X-MPL-SType': 'org.calendar.Event.v1' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error, 'E-SCHEMA-FIDELITY');
    assert.equal(server().recorded.at(-1)!.kind, 'bare-json');
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await post(`${server().url}/mcp`, '{not json');
    assert.equal(res.status, 400);
  });
});

describe('reference server: id-less over HTTP', () => {
  const server = serverFor({ replies: 'id-less' });

  it('answers like a non-MPL upstream: bare JSON, SType in X-MPL-SType', async () => {
    const res = await post(`${server().url}/mcp`, await envelope('org.calendar.Event.v1', EVENT));
    assert.deepEqual(await res.json(), EVENT);
    assert.equal(res.headers.get('x-mpl-stype'), 'org.calendar.Event.v1');
    assert.equal(res.headers.get('x-mpl-qom-result'), 'pass');
  });
});

describe('reference server: JSON-RPC tools/call', () => {
  const server = serverFor({ mode: 'production' });
  const call = (name: string, args: unknown, headers: Record<string, string> = {}) =>
    post(`${server().url}/mcp`, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } }, headers);

  it('schedules an event through calendar.create_event', async () => {
    const res = await call('calendar.create_event', EVENT, { 'X-MPL-SType': 'org.calendar.Event.v1' });
    const body = await res.json();
    assert.equal(body.id, 7);
    assert.equal(body.result.structuredContent.status, 'scheduled');
    assert.match(body.result.structuredContent.event_id, /^evt-\d+$/);
    assert.deepEqual(JSON.parse(body.result.content[0].text), body.result.structuredContent);
    assert.equal(res.headers.get('x-mpl-qom-result'), 'pass');
    assert.equal(res.headers.get('x-mpl-stype'), 'org.calendar.Event.v1');
    assert.equal(res.headers.get('x-mpl-sem-hash'), await semanticHash(body.result.structuredContent));
  });

  it('adds with math.add and echoes with echo', async () => {
    assert.deepEqual((await (await call('math.add', { a: 2, b: 40 })).json()).result.structuredContent, { sum: 42 });
    assert.deepEqual((await (await call('echo', { x: [1, 'y'] })).json()).result.structuredContent, { x: [1, 'y'] });
  });

  it('answers -32601 for an unknown tool or method and -32602 for bad arguments', async () => {
    assert.equal((await (await call('nope', {})).json()).error.code, -32601);
    const nameless = await post(`${server().url}/mcp`, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { arguments: {} } });
    assert.equal((await nameless.json()).error.code, -32602);
    const method = await post(`${server().url}/mcp`, { jsonrpc: '2.0', id: 1, method: 'resources/list' });
    assert.equal((await method.json()).error.code, -32601);
    assert.equal((await (await call('math.add', { a: 'two' })).json()).error.code, -32602);
    const badEvent = await (await call('calendar.create_event', BAD_EVENT)).json();
    assert.equal(badEvent.error.code, -32602);
    assert.ok(badEvent.error.data.details.length >= 2);
  });

  it('blocks arguments that fail their declared SType in production: HTTP 400', async () => {
    const res = await call('calendar.create_event', BAD_EVENT, { 'X-MPL-SType': 'org.calendar.Event.v1' });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'E-SCHEMA-FIDELITY');
  });
});

describe('reference server: CORS', () => {
  const server = serverFor({});

  it('answers a preflight for the headers the page asks for: Content-Type, Authorization, X-MPL-*, and its own (as upstream\'s registry API, allow_headers(Any))', async () => {
    const res = await fetch(`${server().url}/mcp`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://elsewhere.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type, authorization, x-mpl-stype, x-mpl-trace-id, x-evil' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['content-type', 'authorization', 'x-mpl-stype', 'x-mpl-trace-id', 'x-evil']) assert.ok(allowed.includes(h), h);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
  });

  it('opens every response and exposes the X-MPL-* headers', async () => {
    for (const path of ['/health', '/capabilities', '/']) {
      const res = await fetch(`${server().url}${path}`);
      assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /X-MPL-QoM-Result.*X-MPL-SType.*X-MPL-Sem-Hash/);
    }
  });
});

describe('reference server: static files', () => {
  const server = serverFor({});

  it('serves the demo page with its strict CSP', async () => {
    const res = await fetch(`${server().url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
    assert.match(await res.text(), /<script type="module" src="\/app.js">/);
    assert.match((await fetch(`${server().url}/app.js`)).headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match((await fetch(`${server().url}/style.css`)).headers.get('content-type') ?? '', /^text\/css/);
  });

  it('serves dist/ and registry/ with their MIME types', async () => {
    const js = await fetch(`${server().url}/dist/index.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    const wasm = await fetch(`${server().url}/dist/blake3.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.ok(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer())));
    const schema = await fetch(`${server().url}/registry/stypes/org/calendar/Event/v1/schema.json`);
    assert.match(schema.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal((await schema.json()).$id, 'urn:stype:org.calendar.Event.v1');
    assert.equal((await fetch(`${server().url}/dist/nothing-here.js`)).status, 404);
  });

  it('refuses paths that leave the served folders', async () => {
    const { port } = server();
    for (const path of ['/dist/..%2fpackage.json', '/registry/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/dist/..%5cpackage.json', '/dist/%00x']) {
      const res = await rawGet(port, path);
      assert.equal(res.status, 403, path);
      assert.ok(!res.body.includes('"name"'), path);
    }
    for (const path of ['/dist/../package.json', '/registry/../../etc/passwd']) {
      const res = await rawGet(port, path);
      assert.ok(res.status === 404 || res.status === 403, `${path}: ${res.status}`);
      assert.ok(!res.body.includes('mpl-sdk') && !res.body.includes('root:'), path);
    }
  });
});

describe('reference server: an A2A peer that pushes', () => {
  const server = serverFor({ pushOnConnect: true });

  it('pushes a hashed task plan and heartbeat after the handshake and records the answer', async () => {
    const { client } = await handshaken(server().wsUrl, SEED);
    const plan = await client.next();
    assert.equal(plan.stype, 'org.agent.TaskPlan.v1');
    await assertValid(plan);
    assert.equal(plan.sem_hash, await semanticHash(plan.payload));
    assert.equal(plan.in_reply_to, undefined);
    const heartbeat = await client.next();
    assert.equal(heartbeat.stype, 'org.agent.Heartbeat.v1');
    await assertValid(heartbeat);
    const result = await envelope('org.agent.TaskResult.v1', { plan_id: plan.payload.id, status: 'completed', output: { summary: 'booked' } });
    client.send(result);
    assert.equal((await client.next()).in_reply_to, result.id);
    const seen = server().recorded.find((r) => (r.wire as { id?: string }).id === result.id)!;
    assert.equal(seen.valid, true);
    assert.equal(seen.hashOk, true);
    assert.deepEqual(server().pushed.slice(-2).map((p) => p.stype), ['org.agent.TaskPlan.v1', 'org.agent.Heartbeat.v1']);
    client.close();
  });

  it('pushes only what a client negotiated', async () => {
    const { client } = await handshaken(server().wsUrl, ['org.agent.Heartbeat.v1']);
    assert.equal((await client.next()).stype, 'org.agent.Heartbeat.v1');
    await assert.rejects(client.next(300), /no frame/);
    client.close();
  });

  it('push() reaches every handshaken client and no other', async () => {
    const a = await handshaken(server().wsUrl, ['org.calendar.Event.v1']);
    const b = await handshaken(server().wsUrl, ['org.calendar.Event.v1']);
    const stranger = await openClient(server().wsUrl);
    const pushed = await server().push('org.calendar.Event.v1', EVENT);
    assert.ok(pushed.clients >= 2);
    for (const c of [a.client, b.client]) {
      const got = await c.next();
      assert.equal(got.id, pushed.id);
      assert.equal(got.sem_hash, pushed.semHash);
      assert.deepEqual(got.payload, EVENT);
    }
    await assert.rejects(stranger.next(300), /no frame/);
    for (const c of [a.client, b.client, stranger]) c.close();
  });

  it('dropConnections() cuts every socket at once', async () => {
    const { client } = await handshaken(server().wsUrl, ['org.calendar.Event.v1']);
    assert.ok(server().clientCount >= 1);
    server().dropConnections();
    assert.equal(await client.closed, 1006);
    assert.equal(server().clientCount, 0);
  });
});

describe('reference server: the test-control endpoint', () => {
  it('is off by default: POST /__control/* answers 404 and drops nothing', async () => {
    const server = await startReferenceServer();
    try {
      const { client } = await handshaken(server.wsUrl, ['org.calendar.Event.v1']);
      for (const path of ['/__control/drop-websockets', '/__control/push?stype=org.calendar.Event.v1']) {
        const response = await post(`${server.url}${path}`, EVENT);
        assert.equal(response.status, 404, path);
        assert.match(await response.text(), /test-control endpoint is off/);
      }
      assert.equal((await fetch(`${server.url}/__control/recorded`)).status, 404);
      assert.equal(server.clientCount, 1, 'the socket is still open');
      assert.deepEqual(server.pushed, [], 'nothing was pushed');
      await assert.rejects(client.next(200), /no frame/);
      client.close();
    } finally {
      await server.close();
    }
  });

  it('with control: true, pushes to handshaken clients, lists what it recorded and drops every WebSocket, with CORS', async () => {
    const server = await startReferenceServer({ control: true });
    try {
      const { client } = await handshaken(server.wsUrl, ['org.calendar.Event.v1']);
      const pushed = await post(`${server.url}/__control/push?stype=org.calendar.Event.v1`, EVENT);
      assert.equal(pushed.status, 200);
      assert.equal(pushed.headers.get('access-control-allow-origin'), '*');
      const message = await pushed.json();
      assert.equal(message.clients, 1);
      assert.equal(message.semHash, await semanticHash(EVENT));
      const got = await client.next();
      assert.equal(got.id, message.id);
      assert.deepEqual(got.payload, EVENT);

      const recorded = await fetch(`${server.url}/__control/recorded`);
      assert.equal(recorded.status, 200);
      assert.equal(recorded.headers.get('access-control-allow-origin'), '*');
      const log = await recorded.json();
      assert.deepEqual(log.map((m: { kind: string; transport: string }) => [m.transport, m.kind]), [['ws', 'hello']]);
      assert.deepEqual(log, JSON.parse(JSON.stringify(server.recorded)));

      const preflight = await fetch(`${server.url}/__control/drop-websockets`, { method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);

      const dropped = await fetch(`${server.url}/__control/drop-websockets`, { method: 'POST' });
      assert.equal(dropped.status, 200);
      assert.deepEqual(await dropped.json(), { dropped: 1 });
      assert.equal(await client.closed, 1006);
      assert.equal(server.clientCount, 0);
    } finally {
      await server.close();
    }
  });

  it('with control: true, refuses what it cannot do', async () => {
    const server = await startReferenceServer({ control: true });
    try {
      const noStype = await post(`${server.url}/__control/push`, EVENT);
      assert.equal(noStype.status, 400);
      assert.match((await noStype.json()).message, /stype/);
      const notJson = await post(`${server.url}/__control/push?stype=org.calendar.Event.v1`, '{not json');
      assert.equal(notJson.status, 400);
      assert.match((await notJson.json()).message, /not JSON/);
      assert.equal((await fetch(`${server.url}/__control/drop-websockets`)).status, 405);
      assert.equal((await post(`${server.url}/__control/recorded`, {})).status, 405);
      assert.equal((await post(`${server.url}/__control/restart`, {})).status, 404);
      assert.deepEqual(server.pushed, []);
    } finally {
      await server.close();
    }
  });
});
