import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHello, isHandshakeMessage, MplError, NegotiationError, readHandshakeReply } from '../../src/index.ts';
import { negotiate } from '../../src/session/negotiate.ts';

describe('AI-ALPN handshake messages', () => {
  it('the hello always carries type, version and stypes', () => {
    assert.deepEqual(createHello({ stypes: [] }), { type: 'ai-alpn-hello', version: '1.0', stypes: [] });
    assert.deepEqual(createHello({ stypes: ['org.calendar.Event.v1'], qomProfiles: ['qom-basic'] }), {
      type: 'ai-alpn-hello', version: '1.0', stypes: ['org.calendar.Event.v1'], qom_profiles: ['qom-basic'],
    });
  });

  for (const type of ['ai-alpn-select', 'ai-alpn-response', 'ai-alpn-hello-ack']) {
    it(`accepts the ${type} reply variant`, () => {
      const r = readHandshakeReply({ type, common_stypes: ['org.calendar.Event.v1'], selected_profile: 'qom-basic', extensions: { batch: true } });
      assert.deepEqual(r, { ok: true, capabilities: { commonStypes: ['org.calendar.Event.v1'], selectedProfile: 'qom-basic', serverExtensions: { batch: true } } });
    });
  }

  it('reads missing optional reply fields as empty', () => {
    assert.deepEqual(readHandshakeReply({ type: 'ai-alpn-select' }), { ok: true, capabilities: { commonStypes: [], selectedProfile: null, serverExtensions: {} } });
  });

  it('reads an ai-alpn-error', () => {
    assert.deepEqual(readHandshakeReply({ type: 'ai-alpn-error', message: 'no', reason: 'incompatible', server_stypes: ['a.b.C.v1'] }), {
      ok: false, error: { type: 'ai-alpn-error', message: 'no', reason: 'incompatible', server_stypes: ['a.b.C.v1'] },
    });
  });

  it('reads a refusal sent as an MPL error body: its code, message, reason and STypes', () => {
    assert.deepEqual(readHandshakeReply({ error: 'E-NEGOTIATION-FAILED', message: 'no common', details: { reason: 'incompatible', server_stypes: ['a.b.C.v1'], client_stypes: ['x.y.Z.v1'] } }), {
      ok: false, error: { type: 'ai-alpn-error', message: 'no common', reason: 'incompatible', code: 'E-NEGOTIATION-FAILED', server_stypes: ['a.b.C.v1'], client_stypes: ['x.y.Z.v1'] },
    });
    assert.deepEqual(readHandshakeReply({ error: { code: 'E-HANDSHAKE-FAILED', message: 'bad hello', reason: 'version' } }), {
      ok: false, error: { type: 'ai-alpn-error', message: 'bad hello', reason: 'version', code: 'E-HANDSHAKE-FAILED' },
    });
    // A plain-text error without a code is the message; a code is never taken for one.
    assert.deepEqual(readHandshakeReply({ success: false, error: 'version 0.9 not supported' }), { ok: false, error: { type: 'ai-alpn-error', message: 'version 0.9 not supported' } });
    assert.deepEqual(readHandshakeReply({ error: 'E-NEGOTIATION-FAILED' }), { ok: false, error: { type: 'ai-alpn-error', code: 'E-NEGOTIATION-FAILED' } });
  });

  it('refuses malformed replies with E-INVALID-ENVELOPE', () => {
    for (const bad of [{ type: 'passthrough' }, null, { type: 'ai-alpn-select', common_stypes: 'x' }, { type: 'ai-alpn-select', selected_profile: 3 }, { type: 'ai-alpn-bogus' }]) {
      assert.throws(() => readHandshakeReply(bad), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-ENVELOPE');
    }
    assert.equal(isHandshakeMessage({ type: 'mpl-response' }), false);
  });
});

describe('negotiate: what the session keeps of a select', () => {
  const offer = { stypes: ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1'] };

  it('keeps only offered STypes, in the client\'s spelling, comparing normalized ids', () => {
    const caps = negotiate({ type: 'ai-alpn-select', common_stypes: ['urn:stype:org.calendar.Event.v1', 'com.other.Thing.v1'], selected_profile: null }, offer);
    assert.deepEqual(caps.commonStypes, ['org.calendar.Event.v1']);
  });

  it('a select listing only STypes the client never offered is a NegotiationError', () => {
    assert.throws(() => negotiate({ stypes: ['com.other.Thing.v1'], success: true }, offer), (e: unknown) => e instanceof NegotiationError && /no SType offered/.test(e.reason));
  });

  it('a reply that is neither acceptance nor refusal is a NegotiationError naming what came', () => {
    assert.throws(() => negotiate({ hello: 'world' }, offer), (e: unknown) => e instanceof NegotiationError && /did not answer the hello/.test(e.reason));
  });
});
