// readPeerReply and replyMarkers: the one reading of a peer's reply body, unit by unit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectionError, MplError, QOM_RESULT_KEY, SchemaFidelityError, errorFromWire, isWireError, readPeerReply, readWireError, replyMarkers,
} from '../../src/index.ts';

const request = { id: 'req-1', stype: 'org.calendar.Event.v1' };
const statusError = (status: number): MplError => new ConnectionError(`HTTP ${status}`);
const read = (body: unknown, extra: { status?: number; headers?: Record<string, string> } = {}) => readPeerReply(body, { request, ...extra }, statusError);

describe('readPeerReply', () => {
  it('reads a WebSocket reply (no status, no headers) as the general reading does, whatever it carries beside a full envelope', () => {
    const hash = `b3:${'a'.repeat(64)}`;
    const plain = { id: 'rep-1', stype: 'org.calendar.Event.v1', payload: { title: 'Sync' }, in_reply_to: 'req-1', sem_hash: hash, timestamp: '2024-03-01T14:00:00Z' };
    const bodies: unknown[] = [
      plain, // the usual reply, read at once
      { ...plain, qom_report: { meets_profile: true }, note: 'kept in extra' },
      { ...plain, sem_hash: 'B3:not-a-hash' }, { ...plain, stype: 'not an stype' }, { ...plain, timestamp: 'yesterday' },
      { ...plain, in_reply_to: 'req-2' }, { ...plain, in_reply_to: 7 },
      { ...plain, error: { code: 'E-QOM-BREACH', message: 'low' } }, { ...plain, error: 'E-POLICY-DENIED' }, { ...plain, error: null },
      { ...plain, correlation_id: 'req-2' }, { ...plain, correlation_id: 'req-1' },
      { ...plain, provenance: { intent: 'reply', parent_id: 'req-2' } }, { ...plain, provenance: { intent: 'reply', parent_id: 'req-1' } },
      { ...plain, validation: { valid: false, schema_valid: false, qom_passed: true } }, { ...plain, validation: { valid: true, schema_valid: true, qom_passed: false } },
      { ...plain, mpl_envelope: { stype: 'org.agent.TaskResult.v1', payload: {}, in_reply_to: 'req-2' } },
      { ...plain, content: [{ payload: {}, correlation_id: 'req-2' }] },
      { ...plain, type: 'passthrough', message: 'unread' },
    ];
    const seen = (r: ReturnType<typeof read>) => (r.ok ? { ok: true, envelope: { ...r.envelope }, declaredStype: r.declaredStype } : { ok: false, error: r.error.constructor.name, code: r.error.code, message: r.error.message });
    for (const body of bodies) {
      assert.deepEqual(seen(read(body)), seen(read(body, { headers: {} })), JSON.stringify(body));
    }
    const usual = read(plain);
    assert.ok(usual.ok && usual.envelope.inReplyTo === 'req-1' && usual.envelope.semHash === hash && usual.declaredStype);
  });

  it('an MPL error body is its error whatever the status; a status without one is the caller\'s error', () => {
    for (const status of [undefined, 200, 400, 502]) {
      const r = read({ error: 'E-QOM-BREACH', message: 'low', details: { metric: 'groundedness', expected: 0.8, actual: 0.5 } }, status === undefined ? {} : { status });
      assert.ok(!r.ok && r.error.code === 'E-QOM-BREACH' && !(r.error instanceof ConnectionError), String(status));
    }
    const plain = read('Service Unavailable', { status: 503 });
    assert.ok(!plain.ok && plain.error instanceof ConnectionError);
  });

  it('a non-envelope body becomes the payload, with X-MPL-SType, X-MPL-Sem-Hash and X-MPL-QoM-Result', () => {
    const hash = `b3:${'a'.repeat(64)}`;
    const r = read({ result: 'ok' }, { status: 200, headers: { 'x-mpl-stype': 'org.agent.TaskResult.v1', 'x-mpl-sem-hash': hash, [QOM_RESULT_KEY]: ' FAIL ' } });
    assert.ok(r.ok);
    assert.equal(r.envelope.stype, 'org.agent.TaskResult.v1');
    assert.equal(r.declaredStype, true);
    assert.deepEqual(r.envelope.payload, { result: 'ok' });
    assert.equal(r.envelope.semHash, hash);
    assert.equal(r.envelope.inReplyTo, 'req-1');
    assert.equal(r.envelope.extra?.[QOM_RESULT_KEY], 'fail');
    const text = read('plain words');
    assert.ok(text.ok && text.envelope.payload === 'plain words' && text.envelope.stype === request.stype && !text.declaredStype);
  });

  it('unwraps content[0] and keeps the wrapper\'s other members in extra.wrapper', () => {
    const r = read({ id: 'msg-42', type: 'response', role: 'tool', content: [{ stype: 'org.agent.TaskResult.v1', payload: { status: 'completed' }, qom_report: { meets_profile: true } }] });
    assert.ok(r.ok);
    assert.equal(r.envelope.id, 'msg-42');
    assert.equal(r.envelope.stype, 'org.agent.TaskResult.v1');
    assert.deepEqual(r.envelope.qomReport, { meets_profile: true });
    assert.deepEqual(r.envelope.extra?.['wrapper'], { id: 'msg-42', type: 'response', role: 'tool' });
  });

  it('an MCP tool result (content of text items) is not taken for a wrapped envelope', () => {
    const body = { content: [{ type: 'text', text: '{"ok":true}' }] };
    const r = read(body);
    assert.ok(r.ok && r.envelope.payload === body);
  });

  it('the proxy\'s mpl-response with validation.valid false is a SchemaFidelityError', () => {
    const r = read({ type: 'mpl-response', stype: request.stype, validation: { valid: false, schema_valid: false, qom_passed: false }, payload: {} });
    assert.ok(!r.ok && r.error instanceof SchemaFidelityError);
  });

  it('a malformed envelope is E-INVALID-ENVELOPE, returned not thrown', () => {
    const r = read({ mpl_envelope: { stype: 'not an stype', payload: 1 } });
    assert.ok(!r.ok && r.error.code === 'E-INVALID-ENVELOPE');
  });
});

describe('replyMarkers', () => {
  it('finds the request named on the frame, its error object and the envelope it wraps, not the frame\'s own id', () => {
    assert.deepEqual(replyMarkers({ id: 'msg-43', type: 'error', error: { code: 'E-QOM-BREACH', in_reply_to: 'a' }, correlation_id: 'b' }), ['b', 'a']);
    assert.deepEqual(replyMarkers({ mpl_envelope: { id: 'x', stype: 's', payload: 1, provenance: { intent: 'i', parent_id: 'c' } } }), ['c']);
    assert.deepEqual(replyMarkers({ id: 'msg-1', stype: 'x', payload: 1 }), []);
    assert.deepEqual(replyMarkers('text'), []);
  });
});

describe('isWireError / readWireError / errorFromWire', () => {
  it('issues a peer lists twice (validation_errors beside details.validation_errors) are read once; issues in details alone are read', () => {
    const list = [{ path: '/start', message: 'not a date-time' }, '/title: too short'];
    const both = readWireError({ error: { code: 'E-SCHEMA-FIDELITY', message: 'bad', validation_errors: list, details: { validation_errors: list } } });
    assert.ok(both instanceof SchemaFidelityError);
    assert.deepEqual(both.validationErrors.map((i) => i.path), ['/start', '/title']);
    const nested = readWireError({ error: 'E-SCHEMA-FIDELITY', message: 'bad', details: { errors: list } });
    assert.deepEqual((nested as SchemaFidelityError).validationErrors.map((i) => i.path), ['/start', '/title']);
  });

  it('recognise every error form and nothing else', () => {
    for (const body of [{ error: 'E-X' }, { code: 'E-X' }, { error: { code: 'E-X' } }, { type: 'error', error: { message: 'm' } }, { jsonrpc: '2.0', error: { code: -1, message: 'm' } }, { error: 'words' }, { success: false, message: 'no' },
      // Bodies that say they failed in words no listed form uses, also beside a payload or SType of their own (no full envelope):
      { error: true, reason: 'rate limited' }, { error: { reason: 'quota exceeded' } }, { code: 'E-POLICY-DENIED', message: 'denied', payload: null },
      { success: false, message: 'tool failed', payload: null }, { type: 'error', stype: 'org.a.B.v1', message: 'failed' }]) {
      assert.ok(isWireError(body), JSON.stringify(body));
    }
    for (const body of [{ result: 1 }, { error: null }, { error: '' }, { error: false }, { error: {} }, { code: 'E-X', payload: 1 }, [1], 'E-X', null, { id: 'a', stype: 'org.a.B.v1', payload: {}, success: false },
      { id: 'a', stype: 'org.a.B.v1', payload: {}, error: true }]) {
      assert.equal(isWireError(body), false, JSON.stringify(body));
      assert.equal(readWireError(body), undefined, JSON.stringify(body));
    }
  });

  it('a code-less failure says what the body says: its message or reason, from the body or its error object', () => {
    const limited = readWireError({ error: true, reason: 'rate limited' });
    assert.equal(limited?.code, 'E-PEER-ERROR');
    assert.match(limited!.message, /rate limited/);
    assert.match(readWireError({ error: { reason: 'quota exceeded' } })!.message, /quota exceeded/);
    assert.equal(readWireError({ code: 'E-POLICY-DENIED', message: 'denied', payload: null })?.code, 'E-POLICY-DENIED');
  });

  it('an MPL error inside a JSON-RPC error\'s data is that error, with the JSON-RPC code kept', () => {
    const e = errorFromWire({ jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'bad', data: { error: 'E-SCHEMA-FIDELITY', details: ['/a: no'] } } });
    assert.ok(e instanceof SchemaFidelityError);
    assert.equal(e.details['jsonRpcCode'], -32602);
    assert.deepEqual(e.validationErrors.map((i) => i.path), ['/a']);
  });
});
