// Envelopes: camelCase in the API, snake_case on the wire, nothing lost, malformed input refused.
import { assert } from '../harness.mjs';

const HASH = `b3:${'0123456789abcdef'.repeat(4)}`;

export function register(test, { sdk }) {
  const { MplEnvelope, MplError } = sdk;

  test('an envelope with every field survives fromWire → toWire unchanged, unknown members kept', () => {
    const wire = {
      id: 'req-1', stype: 'org.calendar.Event.v1', payload: { title: 'Sync', start: '2024-01-15T10:00:00Z' },
      args_stype: 'org.agent.TaskPlan.v1', profile: 'qom-basic', sem_hash: HASH,
      provenance: { intent: 'schedule', agent: 'a1', parent_id: 'p0', inputs_ref: ['x'], artifacts: [] },
      qom_report: { meets_profile: true }, features: ['f1'], timestamp: '2024-03-01T14:00:00Z',
      in_reply_to: 'req-0', correlation_id: 'c-9', x_vendor: { keep: true },
    };
    const env = MplEnvelope.fromWire(JSON.stringify(wire));
    assert.equal(env.argsStype, 'org.agent.TaskPlan.v1');
    assert.equal(env.semHash, HASH);
    assert.equal(env.inReplyTo, 'req-0');
    assert.equal(env.correlationId, 'c-9');
    assert.deepEqual(env.provenance, { intent: 'schedule', agent: 'a1', parentId: 'p0', inputsRef: ['x'], artifacts: [] });
    assert.deepEqual(env.extra, { x_vendor: { keep: true } });
    assert.deepEqual(env.getPayload(), wire.payload);
    assert.deepEqual(env.toWire(), wire);
    assert.deepEqual(JSON.parse(JSON.stringify(env)), wire);
  });

  test('null optional members read as absent and are omitted on the way out', () => {
    const env = MplEnvelope.fromWire({ id: '1', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' }, sem_hash: null, profile: null, provenance: null });
    assert.equal(env.semHash, undefined);
    assert.deepEqual(env.toWire(), { id: '1', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' } });
  });

  test('MplEnvelope.create sets a UUID id and an RFC 3339 timestamp; with() replaces fields', () => {
    const env = MplEnvelope.create('urn:stype:org.agent.Heartbeat.v1', { status: 'alive' }, { profile: 'qom-basic' });
    assert.match(env.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(env.stype, 'org.agent.Heartbeat.v1');
    assert.ok(!Number.isNaN(Date.parse(env.timestamp)));
    const reply = env.with({ inReplyTo: 'abc' });
    assert.equal(reply.inReplyTo, 'abc');
    assert.equal(reply.profile, 'qom-basic');
    assert.equal(reply.id, env.id);
  });

  test('malformed envelopes are refused with E-INVALID-ENVELOPE listing every problem', () => {
    const cases = [
      ['{not json', /not JSON/],
      ['[1,2]', /an array/],
      [null, /null/],
      [{ stype: 'org.agent.Heartbeat.v1', payload: {} }, /id must be a non-empty string/],
      [{ id: '1', stype: 'bad', payload: {} }, /not a valid SType/],
      [{ id: '1', stype: 'org.agent.Heartbeat.v1' }, /payload is required/],
      [{ id: '1', stype: 'org.agent.Heartbeat.v1', payload: {}, sem_hash: 'b3:XYZ' }, /sem_hash/],
      [{ id: '1', stype: 'org.agent.Heartbeat.v1', payload: {}, timestamp: 'yesterday' }, /RFC 3339/],
      [{ id: '1', stype: 'org.agent.Heartbeat.v1', payload: {}, provenance: { agent: 'x' } }, /intent/],
    ];
    for (const [input, reason] of cases) {
      const error = assert.throws(() => MplEnvelope.fromWire(input), `expected ${JSON.stringify(input)} to be refused`);
      assert.ok(error instanceof MplError);
      assert.equal(error.code, 'E-INVALID-ENVELOPE');
      assert.match(error.message, reason);
    }
    const both = assert.throws(() => MplEnvelope.fromWire({ id: '', stype: 'x', payload: 1, features: 'f' }));
    assert.ok(both.details.problems.length >= 3, 'all problems are listed, not only the first');
  });

  test('handshake: createHello always carries stypes; every accepting reply variant is read', () => {
    const { createHello, readHandshakeReply, isHandshakeMessage, ALPN_VERSION } = sdk;
    assert.deepEqual(createHello({ stypes: [] }), { type: 'ai-alpn-hello', version: ALPN_VERSION, stypes: [] });
    assert.deepEqual(createHello({ stypes: ['org.calendar.Event.v1'], qomProfiles: ['qom-basic'] }).qom_profiles, ['qom-basic']);
    for (const type of ['ai-alpn-select', 'ai-alpn-response', 'ai-alpn-hello-ack']) {
      const read = readHandshakeReply({ type, common_stypes: ['org.calendar.Event.v1'], selected_profile: 'qom-basic', extensions: { batch: true } });
      assert.ok(read.ok, type);
      assert.deepEqual(read.capabilities, { commonStypes: ['org.calendar.Event.v1'], selectedProfile: 'qom-basic', serverExtensions: { batch: true } });
    }
    const refused = readHandshakeReply({ type: 'ai-alpn-error', message: 'no', server_stypes: ['a.b.C.v1'] });
    assert.ok(!refused.ok);
    assert.deepEqual(refused.error.server_stypes, ['a.b.C.v1']);
    assert.ok(isHandshakeMessage({ type: 'ai-alpn-hello' }) && !isHandshakeMessage({ id: '1' }));
    assert.equal(assert.throws(() => readHandshakeReply({ id: 'x' })).code, 'E-INVALID-ENVELOPE');
  });
}
