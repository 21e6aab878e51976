import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MplEnvelope, MplError, UnknownStypeError } from '../../src/index.ts';
import { isSemHash, newEnvelopeId, ownWireText, readSemHash, timestampNow } from '../../src/protocol/envelope.ts';

const HASH = `b3:${'a'.repeat(64)}`;
const full = {
  id: 'e-1', stype: 'org.calendar.Event.v1', payload: { title: 'Sync', start: '2024-01-15T10:00:00Z' },
  args_stype: 'org.calendar.Event.v1', profile: 'qom-basic', sem_hash: HASH,
  provenance: { intent: 'schedule', agent: 'planner', parent_id: 'p-0', inputs_ref: ['a'], artifacts: [] },
  qom_report: { metrics: { schema_fidelity: 1 } }, features: ['batch'], timestamp: '2024-03-01T14:00:00Z',
  in_reply_to: 'r-1', correlation_id: 'c-1',
};

describe('MplEnvelope', () => {
  it('reads every wire field into camelCase and writes it back unchanged', () => {
    const env = MplEnvelope.fromWire(full);
    assert.equal(env.argsStype, 'org.calendar.Event.v1');
    assert.equal(env.semHash, HASH);
    assert.deepEqual(env.provenance, { intent: 'schedule', agent: 'planner', parentId: 'p-0', inputsRef: ['a'], artifacts: [] });
    assert.deepEqual(env.qomReport, { metrics: { schema_fidelity: 1 } });
    assert.equal(env.inReplyTo, 'r-1');
    assert.deepEqual(env.toWire(), full);
    assert.deepEqual(JSON.parse(JSON.stringify(env)), full);
  });

  it('keeps every provenance member the reference core writes, and members it does not know, through a read and a write', () => {
    // The reference core's Provenance: consent_ref, policy_ref, signature, and artifacts as objects.
    const provenance = {
      intent: 'org.calendar.Event.v1', inputs_ref: ['ctx-1'], consent_ref: 'consent-9', policy_ref: 'pii-guard@2', agent: 'planner',
      parent_id: 'p-0', signature: 'ed25519:abc', artifacts: [{ ref: 'doc-7', artifact_type: 'document', text: 'excerpt', url: 'https://example.com/7' }, 'plain-ref'],
      trace: { span: 's-1' },
    };
    const env = MplEnvelope.fromWire({ ...full, provenance });
    assert.deepEqual(env.provenance, {
      intent: 'org.calendar.Event.v1', inputsRef: ['ctx-1'], consentRef: 'consent-9', policyRef: 'pii-guard@2', agent: 'planner', parentId: 'p-0',
      signature: 'ed25519:abc', artifacts: provenance.artifacts, extra: { trace: { span: 's-1' } },
    });
    assert.deepEqual(env.toWire().provenance, { ...provenance, artifacts: [provenance.artifacts[0], { ref: 'plain-ref' }] }, 'a string artifact goes out in the reference\'s form');
    // The known members win over extra's.
    const made = new MplEnvelope({ id: 'x', stype: 'org.a.B.v1', payload: 1, provenance: { intent: 'i', extra: { intent: 'other', note: 'kept' } } });
    assert.deepEqual(made.toWire().provenance, { intent: 'i', note: 'kept' });
  });

  it('reads an envelope with 50,000 members it does not know (and as many in its provenance) whole, in one pass: a peer cannot stall it with them (object spreads per member took minutes)', { timeout: 20_000 }, () => {
    const wire: Record<string, unknown> = { id: 'e', stype: 'org.a.B.v1', payload: 1 };
    const provenance: Record<string, unknown> = { intent: 'i' };
    for (let i = 0; i < 50_000; i++) {
      wire[`x${i}`] = i;
      provenance[`p${i}`] = i;
    }
    wire['provenance'] = provenance;
    const env = MplEnvelope.fromWire(JSON.stringify(wire));
    assert.equal(Object.keys(env.extra!).length, 50_000);
    assert.equal(env.extra!['x49999'], 49_999);
    assert.equal(Object.keys(env.provenance!.extra!).length, 50_000);
    assert.equal(env.provenance!.intent, 'i');
  });

  it('provenance: a known member of the wrong type stays in extra, untyped, and goes out again; __proto__ is a member like any other', () => {
    const wire = JSON.parse('{"intent":"x","consent_ref":{"id":"c-1"},"artifacts":"doc-7","agent":null,"__proto__":{"note":"n"},"z":null}') as Record<string, unknown>;
    const env = MplEnvelope.fromWire({ id: 'e', stype: 'org.a.B.v1', payload: 1, provenance: wire });
    const provenance = env.provenance!;
    assert.equal(provenance.consentRef, undefined);
    assert.equal(provenance.artifacts, undefined);
    assert.equal(provenance.agent, undefined);
    assert.deepEqual(Object.keys(provenance.extra!).sort(), ['__proto__', 'artifacts', 'consent_ref', 'z']);
    assert.equal(Object.getPrototypeOf(provenance.extra), Object.prototype);
    const out = env.toWire().provenance as Record<string, unknown>;
    assert.deepEqual(Object.keys(out).sort(), ['__proto__', 'artifacts', 'consent_ref', 'intent', 'z']);
    assert.equal(JSON.stringify(out.__proto__ === undefined ? null : Object.getOwnPropertyDescriptor(out, '__proto__')!.value), '{"note":"n"}');
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.equal(({} as { note?: unknown }).note, undefined);
    // The same at the envelope's top level.
    const top = MplEnvelope.fromWire(JSON.parse('{"id":"e","stype":"org.a.B.v1","payload":1,"__proto__":{"x":1}}') as Record<string, unknown>);
    assert.deepEqual(Object.keys(top.extra!), ['__proto__']);
    assert.equal(JSON.stringify(top), '{"__proto__":{"x":1},"id":"e","stype":"org.a.B.v1","payload":1}');
  });

  it('parses JSON text as well as objects', () => {
    const env = MplEnvelope.fromWire<{ title: string }>(JSON.stringify(full));
    assert.equal(env.getPayload().title, 'Sync');
  });

  it('omits absent optional fields on the wire instead of writing null', () => {
    const env = new MplEnvelope({ id: 'x', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' } });
    assert.deepEqual(env.toWire(), { id: 'x', stype: 'org.agent.Heartbeat.v1', payload: { status: 'alive' } });
  });

  it('reads null optional members as absent', () => {
    const env = MplEnvelope.fromWire({ id: 'x', stype: 'org.agent.Heartbeat.v1', payload: 1, sem_hash: null, provenance: null });
    assert.equal(env.semHash, undefined);
    assert.ok(!('sem_hash' in env.toWire()));
  });

  it('keeps unknown wire members so a round trip loses nothing', () => {
    const env = MplEnvelope.fromWire({ id: 'x', stype: 'org.agent.Heartbeat.v1', payload: null, vendor_trace: { a: 1 } });
    assert.deepEqual(env.extra, { vendor_trace: { a: 1 } });
    assert.deepEqual(env.toWire().vendor_trace, { a: 1 });
    assert.equal(env.payload, null);
  });

  it('create() fills a UUID id and an RFC 3339 timestamp', () => {
    const env = MplEnvelope.create('org.agent.Heartbeat.v1', { status: 'alive' }, { profile: 'qom-basic' });
    assert.match(env.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(!Number.isNaN(Date.parse(env.timestamp!)));
    assert.match(env.timestamp!, /Z$/);
    assert.equal(env.profile, 'qom-basic');
    assert.notEqual(MplEnvelope.create('org.agent.Heartbeat.v1', { status: 'alive' }).id, env.id);
  });

  it('normalizes an urn: SType to its id', () => {
    assert.equal(new MplEnvelope({ id: 'x', stype: 'urn:stype:org.agent.Heartbeat.v1', payload: {} }).stype, 'org.agent.Heartbeat.v1');
  });

  it('with() copies and replaces fields', () => {
    const env = MplEnvelope.fromWire(full).with({ semHash: `b3:${'b'.repeat(64)}` });
    assert.equal(env.semHash, `b3:${'b'.repeat(64)}`);
    assert.equal(env.profile, 'qom-basic');
  });

  const refusals: Array<[string, unknown, RegExp]> = [
    ['text that is not JSON', '{"id":', /not JSON/],
    ['an array', [], /got an array/],
    ['null', null, /got null/],
    ['a number', 3, /got number/],
    ['a missing id', { stype: 'org.a.B.v1', payload: 1 }, /id must be a non-empty string/],
    ['an empty id', { id: '', stype: 'org.a.B.v1', payload: 1 }, /id must be a non-empty string/],
    ['a missing stype', { id: 'x', payload: 1 }, /stype must be a string/],
    ['a hostile stype', { id: 'x', stype: '../../etc.a.B.v1', payload: 1 }, /not a valid SType/],
    ['a missing payload', { id: 'x', stype: 'org.a.B.v1' }, /payload is required/],
    ['a malformed sem_hash', { id: 'x', stype: 'org.a.B.v1', payload: 1, sem_hash: 'b3:XYZ' }, /sem_hash must be/],
    ['an uppercase sem_hash', { id: 'x', stype: 'org.a.B.v1', payload: 1, sem_hash: `b3:${'A'.repeat(64)}` }, /sem_hash must be/],
    ['a non-RFC 3339 timestamp', { id: 'x', stype: 'org.a.B.v1', payload: 1, timestamp: 'March 1, 2024' }, /timestamp must be an RFC 3339/],
    ['an impossible date', { id: 'x', stype: 'org.a.B.v1', payload: 1, timestamp: '2024-13-45T99:00:00Z' }, /timestamp/],
    ['provenance without intent', { id: 'x', stype: 'org.a.B.v1', payload: 1, provenance: { agent: 'a' } }, /provenance\.intent is required/],
    ['features that are not strings', { id: 'x', stype: 'org.a.B.v1', payload: 1, features: [1] }, /features must be an array of strings/],
    ['a qom_report that is not an object', { id: 'x', stype: 'org.a.B.v1', payload: 1, qom_report: 'good' }, /qom_report must be an object/],
    ['a bad args_stype', { id: 'x', stype: 'org.a.B.v1', payload: 1, args_stype: 'x' }, /args_stype must be a valid SType/],
  ];
  for (const [what, input, message] of refusals) {
    it(`fromWire refuses ${what} with E-INVALID-ENVELOPE`, () => {
      assert.throws(() => MplEnvelope.fromWire(input), (e: unknown) => {
        assert.ok(e instanceof MplError);
        assert.equal(e.code, 'E-INVALID-ENVELOPE');
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it('lists every problem of a malformed envelope at once', () => {
    assert.throws(() => MplEnvelope.fromWire({ id: 1, stype: 2 }), (e: MplError) => {
      assert.deepEqual(e.details['problems'], ['id must be a non-empty string', 'stype must be a string', 'payload is required']);
      return true;
    });
  });

  it('the constructor refuses provenance without intent', () => {
    assert.throws(() => new MplEnvelope({ id: 'x', stype: 'org.a.B.v1', payload: 1, provenance: {} as never }), /provenance\.intent is required/);
  });
});

describe('MplEnvelope: the payload of an expected SType', () => {
  const envelope = MplEnvelope.fromWire(full);

  it('is(stype) says whether the envelope carries it, with or without urn:stype:', () => {
    assert.equal(envelope.is('org.calendar.Event.v1'), true);
    assert.equal(envelope.is('urn:stype:org.calendar.Event.v1'), true);
    assert.equal(envelope.is('org.calendar.Event.v2'), false);
    assert.throws(() => envelope.is('not an stype'), (e: unknown) => e instanceof MplError && e.code === 'E-INVALID-STYPE');
  });

  it('getPayload(stype) returns the payload when the SType matches, else throws E-UNKNOWN-STYPE naming both', () => {
    assert.equal(envelope.getPayload('org.calendar.Event.v1').title, 'Sync');
    assert.equal(envelope.getPayload('urn:stype:org.calendar.Event.v1'), envelope.payload);
    assert.throws(() => envelope.getPayload('org.agent.TaskResult.v1'), (e: unknown) =>
      e instanceof UnknownStypeError && e.code === 'E-UNKNOWN-STYPE' && e.message === 'Envelope e-1 carries org.calendar.Event.v1, not org.agent.TaskResult.v1'
      && e.details['actual'] === 'org.calendar.Event.v1');
    assert.equal(envelope.getPayload<{ title: string }>().title, 'Sync', 'without an SType: the payload, unchecked');
  });
});

describe('ownWireText (the Session\'s direct serialization)', () => {
  const payloads: unknown[] = [full.payload, { b: 1, a: [1, 'x', null, { z: true }], s: 'quote " \\ \u2028 é' }, 'text', 42, null, [], { d: new Date(0) }];
  for (const profile of [undefined, 'qom-basic', 'qom "odd"']) {
    for (const semHash of [undefined, HASH]) {
      it(`writes the same bytes as JSON.stringify(MplEnvelope.create(...)) (profile ${String(profile)}, semHash ${semHash ? 'set' : 'absent'})`, () => {
        for (const payload of payloads) {
          const id = newEnvelopeId();
          const timestamp = new Date().toISOString();
          const old = JSON.stringify(MplEnvelope.create<string>('org.calendar.Event.v1', payload, { id, timestamp, ...(profile ? { profile } : {}), ...(semHash ? { semHash } : {}) }));
          assert.equal(ownWireText(id, 'org.calendar.Event.v1', payload, profile, semHash, timestamp), old);
        }
      });
    }
  }
  it('returns undefined for a payload with no JSON form or that cannot be serialized (the checked path reports it)', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    for (const payload of [undefined, () => 1, Symbol('s'), circular, { n: 1n }]) {
      assert.equal(ownWireText('e-1', 'org.calendar.Event.v1', payload, undefined, undefined, '2024-03-01T14:00:00.000Z'), undefined);
    }
  });
});

describe('timestampNow (made once per millisecond)', () => {
  it('is the text new Date().toISOString() gives, and what fromWire accepts', () => {
    for (let i = 0; i < 2000; i++) {
      const stamp = timestampNow();
      assert.match(stamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.equal(new Date(Date.parse(stamp)).toISOString(), stamp);
    }
    const envelope = MplEnvelope.create('org.agent.Heartbeat.v1', { status: 'alive' });
    assert.equal(MplEnvelope.fromWire(JSON.stringify(envelope)).timestamp, envelope.timestamp);
  });
});

describe('MplEnvelope.fromWire: the timestamp check, repeated', () => {
  it('refuses an empty timestamp in a process that has not yet seen a valid one (the remembered one starts empty-handed)', async () => {
    const { spawnSync } = await import('node:child_process');
    const script = `
      const { MplEnvelope } = await import(${JSON.stringify(new URL('../../src/protocol/envelope.ts', import.meta.url).href)});
      try { MplEnvelope.fromWire({ id: 'e-1', stype: 'org.agent.Heartbeat.v1', payload: {}, timestamp: '' }); console.log('accepted'); }
      catch (e) { console.log(e.code + ' ' + e.message); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.match(r.stdout, /^E-INVALID-ENVELOPE .*timestamp must be an RFC 3339 date-time/, r.stderr);
  });

  it('accepts a valid timestamp every time and refuses an invalid one after a valid one', () => {
    const wire = { id: 'e-1', stype: 'org.agent.Heartbeat.v1', payload: {}, timestamp: '2024-03-01T14:00:00Z' };
    for (let i = 0; i < 3; i++) assert.equal(MplEnvelope.fromWire(wire).timestamp, '2024-03-01T14:00:00Z');
    for (const bad of ['2024-03-01T25:61:00Z', '2024-03-01 14:00', 42, '']) {
      assert.throws(() => MplEnvelope.fromWire({ ...wire, timestamp: bad }), (e: unknown) => e instanceof MplError && /timestamp must be an RFC 3339 date-time/.test(e.message), String(bad));
      assert.equal(MplEnvelope.fromWire(wire).timestamp, '2024-03-01T14:00:00Z');
    }
  });
});

describe('the semantic hash format', () => {
  // What isSemHash and readSemHash must answer, written as the counted expressions they replace.
  const SEM_HASH = /^b3:[0-9a-f]{64}$/;
  const LONG_LABEL = /^blake3:[0-9a-f]{64}$/;
  const DIGITS = '0123456789abcdef';
  const OTHERS = ['A', 'F', 'g', 'z', 'G', '/', ':', '@', '`', '{', ' ', '\n', '\u0000', '\u00e9', '\u0661', '\ud83d\ude00', '-'];
  const hex = (n: number, seed: number): string => Array.from({ length: n }, (_, i) => DIGITS[(seed * 7 + i * 13) % 16]).join('');

  it('takes b3: and exactly 64 lower-case hex digits, and nothing else', () => {
    assert.ok(isSemHash(`b3:${hex(64, 1)}`));
    for (const n of [0, 1, 63, 65, 66, 128]) assert.equal(isSemHash(`b3:${hex(n, 2)}`), false, `${n} digits`);
    for (const text of [`B3:${hex(64, 3)}`, `b3;${hex(64, 3)}`, `b2:${hex(64, 3)}`, ` b3:${hex(63, 3)}`, `b3:${hex(63, 3)}\n`, `b3:${hex(64, 3)}\n`, `blake3:${hex(64, 3)}`, '']) {
      assert.equal(isSemHash(text), false, JSON.stringify(text));
    }
    for (const value of [undefined, null, 67, ['b3:' + hex(64, 4)], { length: 67 }]) assert.equal(isSemHash(value), false);
  });

  it('answers as /^b3:[0-9a-f]{64}$/ for every one-character change, insertion and deletion of a hash', () => {
    const base = `b3:${hex(64, 5)}`;
    const variants: string[] = [];
    for (let at = 0; at <= base.length; at++) {
      for (const c of [...DIGITS, ...OTHERS]) {
        variants.push(base.slice(0, at) + c + base.slice(at + 1)); // replaced
        variants.push(base.slice(0, at) + c + base.slice(at)); // inserted
      }
      variants.push(base.slice(0, at) + base.slice(at + 1)); // deleted
    }
    let accepted = 0;
    for (const text of variants) {
      assert.equal(isSemHash(text), SEM_HASH.test(text), JSON.stringify(text));
      if (isSemHash(text)) accepted++;
      const long = `blake3:${text.slice(3)}`;
      assert.equal(readSemHash(long), LONG_LABEL.test(long) ? `b3:${long.slice(7)}` : long, JSON.stringify(long));
    }
    assert.ok(accepted > 1000, `the variants include valid hashes too (${accepted})`);
  });
});
