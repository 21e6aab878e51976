// The simple Client against the reference MPL server (started by the orchestrator on an
// ephemeral port): JSON-RPC tool calls in both modes with the X-MPL-* headers read (across
// origins in browsers: the server exposes them), a validated and hashed send, health and
// capabilities, and the failures every runtime must turn into MplErrors.
import { assert } from '../harness.mjs';
import { recordedByTitle, unique } from '../reference.mjs';

const isBrowser = (runtime) => runtime === 'chromium' || runtime === 'firefox';
// Nothing listens there: below 1024 (no unprivileged server can take it) and not on the
// fetch spec's list of blocked ports (Deno and browsers refuse those before connecting).
const UNREACHABLE = 'http://127.0.0.1:1023/mcp';

export function register(test, { sdk, env }) {
  if (!env.serverUrl) return;
  const { Client, Mode, MplError, ConnectionError, SchemaFidelityError, semanticHash } = sdk;
  const endpoint = `${env.serverUrl}/mcp`;

  test('call: a tool\'s structured result and the X-MPL-* response headers', async () => {
    const client = new Client(endpoint);
    const sum = await client.call('math.add', { a: 2, b: 40 });
    assert.equal(sum.valid, true);
    assert.deepEqual(sum.data, { sum: 42 });
    assert.equal(sum.status, 200);
    const event = await client.call('calendar.create_event', { title: `client ${env.runtime}`, start: '2024-01-15T10:00:00Z' }, { stype: 'org.calendar.Event.v1' });
    assert.equal(event.data.status, 'scheduled');
    assert.equal(event.stype, 'org.calendar.Event.v1', 'X-MPL-SType read');
    assert.equal(event.mplHeaders['x-mpl-qom-result'], 'pass', 'X-MPL-QoM-Result read');
    assert.equal(event.qomPassed, true);
  });

  test('call: a JSON-RPC error comes back in development mode and is thrown in production', async () => {
    const result = await new Client(endpoint).call('math.add', { a: 'two', b: 1 });
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof MplError);
    assert.equal(result.error.code, 'E-JSON-RPC');
    assert.equal(result.error.details.jsonRpcCode, -32602);
    const thrown = await assert.rejects(new Client(endpoint, { mode: Mode.Production }).call('no.such.tool', {}));
    assert.ok(thrown instanceof MplError);
    assert.equal(thrown.details.jsonRpcCode, -32601);
  });

  test('send: validated first, hashed, the reply hash checked; an invalid payload is never sent', async () => {
    const client = new Client(endpoint, { mode: Mode.Production });
    const title = unique('client send', env.runtime);
    const payload = { title, start: '2024-03-01T14:00:00Z', duration_minutes: 45 };
    const result = await client.send('org.calendar.Event.v1', payload);
    assert.equal(result.data.end, '2024-03-01T14:45:00Z');
    assert.equal(result.semHash, await semanticHash(result.data));
    const [seen] = await recordedByTitle(env, title);
    assert.ok(seen, 'the server recorded the envelope');
    assert.equal(seen.hashOk, true, 'the server recomputed the same semantic hash');
    assert.equal(seen.wire.sem_hash, await semanticHash(payload));

    const badTitle = unique('client invalid', env.runtime);
    const error = await assert.rejects(client.send('org.calendar.Event.v1', { title: badTitle }));
    assert.ok(error instanceof SchemaFidelityError);
    assert.equal((await recordedByTitle(env, badTitle)).length, 0, 'nothing was sent');
  });

  test('health and capabilities', async () => {
    const client = new Client(endpoint);
    assert.equal((await client.health()).status, 'healthy');
    const caps = await client.capabilities();
    assert.ok(caps.stypes.includes('org.calendar.Event.v1'));
    assert.ok(caps.profiles.includes('qom-basic'));
  });

  test('a server that cannot be reached is a ConnectionError naming the endpoint', async () => {
    const unreachable = UNREACHABLE;
    const result = await new Client(unreachable, { timeoutMs: 10_000 }).call('echo', {});
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof ConnectionError, `got ${result.error?.name}: ${result.error?.message}`);
    assert.equal(result.error.endpoint, unreachable);
    assert.equal(result.status, 0);
    if (isBrowser(env.runtime)) assert.match(result.error.message, /if the server is up, it must allow this origin by CORS .* connect-src must allow the server/);
    const thrown = await assert.rejects(new Client(unreachable, { mode: Mode.Production, retry: 0 }).health());
    assert.ok(thrown instanceof ConnectionError);
  });

  test('a GET is retried after this runtime\'s network error; a POST is not', async () => {
    const unreachable = UNREACHABLE;
    let attempts = 0;
    const counting = (input, init) => {
      attempts += 1;
      return fetch(input, init);
    };
    const client = new Client(unreachable, { fetch: counting, retry: 1 });
    assert.ok(await assert.rejects(client.health()) instanceof ConnectionError);
    assert.equal(attempts, 2, 'GET /health: one try, one retry');
    attempts = 0;
    assert.ok((await client.call('echo', {})).error instanceof ConnectionError);
    assert.equal(attempts, 1, 'tools/call: never retried');
  });
}
