// Client.send: a typed payload validated (an SType without schema refused unless validate: false), hashed and
// POSTed as an envelope with X-MPL-SType; replies read as envelopes, the proxy's id-less
// forms, or plain JSON. Against the reference server and small servers with odd replies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Client, ErrorCode, HashMismatchError, Mode, MplError, QomBreachError, SchemaFidelityError, UnknownStypeError, embeddedRegistry,
  semanticHash, type CallResult, type Registry,
} from '../../src/index.ts';
import { QomProfile } from '../../src/qom.ts';
import { json, startServer, type TestServer } from './support/http-server.ts';
import { useReferenceServer } from './support/reference-server.ts';

const EVENT = { title: 'Design review', start: '2024-01-15T10:00:00Z', duration_minutes: 30 };
const BAD_EVENT = { title: 'no start, bad duration', duration_minutes: 'half an hour' };

function ok<T>(result: CallResult<T>): T {
  if (!result.valid) assert.fail(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

describe('Client.send against the reference server', () => {
  const server = useReferenceServer();

  it('POSTs a hashed envelope with X-MPL-SType and reads the reply envelope', async () => {
    const client = new Client(`${server().url}/mcp`);
    const result = await client.send<'org.calendar.Event.v1', { title: string; end: string }>('org.calendar.Event.v1', EVENT);
    const data = ok(result);
    assert.equal(data.title, EVENT.title);
    assert.equal(data.end, '2024-01-15T10:30:00Z', 'the server worked out the end');
    assert.equal(result.stype, 'org.calendar.Event.v1');
    assert.equal(result.semHash, await semanticHash(data));
    assert.equal(result.qomPassed, true);
    const seen = server().recorded.at(-1)!;
    assert.equal(seen.kind, 'envelope');
    assert.equal(seen.hashOk, true, 'the server recomputed our hash and it matched');
    assert.equal(seen.valid, true);
    const wire = seen.wire as { id: string; stype: string; payload: unknown; sem_hash: string; timestamp: string };
    assert.equal(wire.stype, 'org.calendar.Event.v1');
    assert.deepEqual(wire.payload, EVENT);
    assert.equal(wire.sem_hash, await semanticHash(EVENT));
    assert.ok(!Number.isNaN(Date.parse(wire.timestamp)));
    const reply = result.raw as { in_reply_to: string; qom_report: unknown };
    assert.equal(reply.in_reply_to, wire.id);
  });

  it('validates before sending: an invalid payload is never sent (development: in the result)', async () => {
    const client = new Client(`${server().url}/mcp`);
    const before = server().recorded.length;
    const result = await client.send<string>('org.calendar.Event.v1', BAD_EVENT);
    assert.equal(server().recorded.length, before, 'nothing went over the wire');
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof SchemaFidelityError);
    assert.equal(result.error.details['source'], 'client');
    assert.ok(result.error.validationErrors.length >= 2, 'every issue is listed');
    assert.equal(result.status, 0);
    await assert.rejects(new Client(`${server().url}/mcp`, { mode: Mode.Production }).send<string>('org.calendar.Event.v1', BAD_EVENT), SchemaFidelityError);
  });

  it('validate: false sends it anyway; the development server accepts it with a failed QoM check', async () => {
    const result = await new Client(`${server().url}/mcp`).send<string>('org.calendar.Event.v1', BAD_EVENT, { validate: false });
    assert.equal(server().recorded.at(-1)!.valid, false);
    assert.equal(result.qomPassed, false);
  });

  it('holds replies to the client\'s QoM profile: the reference server reports metrics', async () => {
    const strict = new Client(`${server().url}/mcp`, { profile: 'qom-strict-argcheck', mode: Mode.Production });
    const result = await strict.send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal(result.profile, 'qom-strict-argcheck');
    assert.equal(result.qomPassed, true);
    assert.equal((server().recorded.at(-1)!.wire as { profile: string }).profile, 'qom-strict-argcheck');
  });

  it('a profile named in the options is read from the client\'s registry first', async () => {
    const embedded = embeddedRegistry();
    const lenient = { name: 'acme-lenient', metrics: { schema_fidelity: { min: 1 }, instruction_compliance: { min: 0.5 } } };
    const registry: Registry = {
      source: 'embedded + acme profiles',
      getSchema: (stype) => embedded.getSchema(stype),
      has: (stype) => embedded.has(stype),
      list: () => embedded.list(),
      getProfile: async (name) => (name === 'acme-lenient' ? lenient : embedded.getProfile(name)),
    };
    const result = await new Client(`${server().url}/mcp`, { registry, profile: 'acme-lenient', mode: Mode.Production }).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal((server().recorded.at(-1)!.wire as { profile: string }).profile, 'acme-lenient');
    assert.equal(result.valid, true);
  });

  it('an SType the registry has no schema for is an UnknownStypeError naming it and where the registry looked, and is not sent', async () => {
    const before = server().recorded.length;
    const result = await new Client(`${server().url}/mcp`).send('com.acme.finance.Trade.v2', { symbol: 'ACME', qty: 3 });
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof UnknownStypeError, String(result.error));
    assert.equal(result.error.stype, 'com.acme.finance.Trade.v2');
    assert.equal(result.error.where, 'the embedded registry');
    assert.match(result.error.message, /com\.acme\.finance\.Trade\.v2.*the embedded registry/);
    assert.equal(result.status, 0);
    await assert.rejects(new Client(`${server().url}/mcp`, { mode: Mode.Production }).send('com.acme.finance.Trade.v2', { qty: 3 }), UnknownStypeError);
    assert.equal(server().recorded.length, before, 'nothing went over the wire');
  });

  it('an SType the registry has no schema for is sent when validate: false', async () => {
    const result = await new Client(`${server().url}/mcp`).send<string, { status: string }>('com.acme.finance.Trade.v2', { symbol: 'ACME', qty: 3 }, { validate: false });
    const seen = server().recorded.at(-1)!;
    assert.equal((seen.wire as { stype: string }).stype, 'com.acme.finance.Trade.v2');
    assert.equal(seen.hashOk, true);
    // This server has no schema for it either: it answers with a failed TaskResult and a failing QoM report.
    assert.equal(result.stype, 'org.agent.TaskResult.v1');
    assert.equal(ok(result).status, 'failed');
    assert.equal(result.qomPassed, false);
  });

  it('a payload with no canonical form is bad input and throws in both modes', async () => {
    await assert.rejects(new Client(`${server().url}/mcp`).send('com.acme.finance.Trade.v2', { qty: Number.NaN }, { validate: false }), (e: unknown) => e instanceof MplError && e.code === ErrorCode.NonCanonical);
    await assert.rejects(new Client(`${server().url}/mcp`).send('org.calendar.Event.v1', { ...EVENT, metadata: { qty: Number.NaN } }), (e: unknown) => e instanceof MplError && e.code === ErrorCode.NonCanonical);
    await assert.rejects(new Client(`${server().url}/mcp`).send('not an stype', {}), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidStype);
  });
});

describe('Client.send against the reference server in production (blocking) mode', () => {
  const server = useReferenceServer({ mode: 'production' });

  it('the server\'s block (400 E-SCHEMA-FIDELITY) is a SchemaFidelityError with its details', async () => {
    const result = await new Client(`${server().url}/mcp`).send<string>('org.calendar.Event.v1', BAD_EVENT, { validate: false });
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof SchemaFidelityError);
    assert.equal(result.error.details['status'], 400);
    assert.equal(result.status, 400);
    assert.equal(server().recorded.at(-1)!.blocked, true);
  });
});

describe('Client.send against the reference server in id-less (proxy-like) mode', () => {
  const server = useReferenceServer({ replies: 'id-less' });

  it('a bare JSON reply becomes the data, with the SType from X-MPL-SType', async () => {
    const result = await new Client(`${server().url}/mcp`, { mode: Mode.Production }).send('org.calendar.Event.v1', EVENT);
    assert.deepEqual(result.data, EVENT);
    assert.equal(result.stype, 'org.calendar.Event.v1');
    assert.equal(result.qomPassed, true);
  });
});

describe('Client.send: a 2xx that is not JSON is no reply (a login page, a bare OK, nothing), as the Session reads it', () => {
  let server: TestServer;
  const answers: Record<string, [number, string, string | undefined]> = {
    html: [200, '<html><body>Please log in</body></html>', 'text/html'],
    ok: [200, 'OK', 'text/plain'],
    empty: [200, '', undefined],
    'no-content': [204, '', undefined],
    'json-string': [200, '"OK"', 'application/json'],
  };
  before(async () => {
    server = await startServer((req, res) => {
      const [status, body, type] = answers[req.path.slice(1)]!;
      res.writeHead(status, type === undefined ? {} : { 'content-type': type }).end(body);
    });
  });
  after(() => server.close());

  for (const name of ['html', 'ok', 'empty', 'no-content']) {
    it(`${name}: E-INVALID-ENVELOPE naming the status and what came, in both modes`, async () => {
      const [status, body, type] = answers[name]!;
      const result = await new Client(`${server.url}/${name}`).send('org.agent.Heartbeat.v1', { status: 'alive' });
      assert.equal(result.valid, false);
      assert.equal(result.error?.code, ErrorCode.InvalidEnvelope);
      assert.match(result.error!.message, new RegExp(`answered HTTP ${status} with ${body === '' ? 'an empty body' : `a body that is not JSON \\(${type}\\): ${JSON.stringify(body).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`}, which is no MPL reply`));
      assert.equal(result.status, status);
      await assert.rejects(new Client(`${server.url}/${name}`, { mode: Mode.Production }).send('org.agent.Heartbeat.v1', { status: 'alive' }), (e: unknown) => e instanceof MplError && e.code === ErrorCode.InvalidEnvelope);
    });
  }

  it('a JSON value that is not an envelope is still a reply (PROTOCOL.md: a bare JSON reply is kept)', async () => {
    const result = await new Client(`${server.url}/json-string`).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal(ok(result), 'OK');
  });
});

describe('Client.send: replies from peers that misbehave', () => {
  let server: TestServer;
  const replies: Record<string, (sent: { id: string; payload: unknown }) => Promise<unknown>> = {
    'bad-hash': async (sent) => ({ id: 'r1', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' }, sem_hash: await semanticHash({ status: 'dead' }), in_reply_to: sent.id }),
    'low-qom': async (sent) => ({
      id: 'r2', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' }, in_reply_to: sent.id,
      qom_report: { profile: 'qom-strict-argcheck', meets_profile: true, metrics: { schema_fidelity: 1, instruction_compliance: 0.5 } },
    }),
    'other-reply': async () => ({ id: 'r3', stype: 'org.agent.Heartbeat.v1', payload: {}, in_reply_to: 'somebody-else' }),
    'mpl-response': async (sent) => ({ type: 'mpl-response', stype: 'org.agent.Heartbeat.v1', validation: { valid: true, schema_valid: true, qom_passed: false }, payload: sent.payload }),
    'mpl-response-invalid': async (sent) => ({ type: 'mpl-response', stype: 'org.agent.Heartbeat.v1', validation: { valid: false, schema_valid: false, qom_passed: false }, payload: sent.payload }),
    'broken-envelope': async () => ({ id: 'r4', stype: 'not-an-stype', payload: 1 }),
  };
  before(async () => {
    server = await startServer(async (req, res) => json(res, 200, await replies[req.path.slice(1)]!(req.body as { id: string; payload: unknown })));
  });
  after(() => server.close());

  it('a reply whose hash does not match its payload is a HashMismatchError', async () => {
    const result = await new Client(`${server.url}/bad-hash`).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.ok(result.error instanceof HashMismatchError);
    assert.equal(result.error.actual, await semanticHash({ status: 'alive' }));
    assert.equal(result.error.expected, await semanticHash({ status: 'dead' }));
    await assert.rejects(new Client(`${server.url}/bad-hash`, { mode: Mode.Production }).send('org.agent.Heartbeat.v1', { status: 'alive' }), HashMismatchError);
  });

  it('a QoM report below the client\'s profile is a QomBreachError, whatever the reporter concluded', async () => {
    const result = await new Client(`${server.url}/low-qom`, { profile: QomProfile.builtin('qom-strict-argcheck') }).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal(result.valid, false);
    assert.ok(result.error instanceof QomBreachError);
    assert.deepEqual([result.error.metric, result.error.expected, result.error.actual, result.error.profile], ['instructionCompliance', 0.97, 0.5, 'qom-strict-argcheck']);
    assert.equal(result.qomPassed, false);
  });

  it('without a client profile, the report\'s own verdict sets qomPassed and nothing is enforced', async () => {
    const result = await new Client(`${server.url}/low-qom`).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal(result.valid, true);
    assert.equal(result.qomPassed, true);
  });

  it('a reply envelope that answers another request is refused', async () => {
    const result = await new Client(`${server.url}/other-reply`).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal(result.error?.code, ErrorCode.InvalidEnvelope);
    assert.match(result.error!.message, /answers somebody-else/);
  });

  it('a malformed reply envelope is E-INVALID-ENVELOPE', async () => {
    const result = await new Client(`${server.url}/broken-envelope`).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal(result.error?.code, ErrorCode.InvalidEnvelope);
    assert.equal(result.valid, false);
  });

  it('reads the proxy\'s id-less mpl-response: payload as data, validation and QoM verdicts', async () => {
    const result = await new Client(`${server.url}/mpl-response`).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.deepEqual(ok(result), { status: 'alive' });
    assert.equal(result.qomPassed, false);
    const invalid = await new Client(`${server.url}/mpl-response-invalid`).send('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.ok(invalid.error instanceof SchemaFidelityError);
  });
});
