// Error classes: stable codes and names, context as data, wire errors mapped to classes,
// and `instanceof` that holds across two separately loaded copies of the SDK.
import { assert } from '../harness.mjs';

const samples = (sdk) => [
  [new sdk.SchemaFidelityError('org.calendar.Event.v1', [{ path: '/start', message: 'must be a date-time', keyword: 'format' }]), 'E-SCHEMA-FIDELITY', 'SchemaFidelityError'],
  [new sdk.QomBreachError({ metric: 'groundedness', expected: 0.8, actual: 0.5, profile: 'qom-strict-argcheck' }), 'E-QOM-BREACH', 'QomBreachError'],
  [new sdk.NegotiationError({ reason: 'no common STypes', clientStypes: ['a.b.C.v1'], serverStypes: [] }), 'E-HANDSHAKE-FAILED', 'NegotiationError'],
  [new sdk.UnknownStypeError('a.b.C.v1', 'embedded registry'), 'E-UNKNOWN-STYPE', 'UnknownStypeError'],
  [new sdk.HashMismatchError({ expected: 'b3:1', actual: 'b3:2' }), 'E-HASH-MISMATCH', 'HashMismatchError'],
  [new sdk.ConnectionError('refused', { endpoint: 'ws://127.0.0.1:1' }), 'E-CONNECTION-FAILED', 'ConnectionError'],
  [new sdk.TimeoutError('connect', 100), 'E-TIMEOUT', 'TimeoutError'],
  [new sdk.PolicyDeniedError('denied'), 'E-POLICY-DENIED', 'PolicyDeniedError'],
];

export function register(test, { sdk, env }) {
  const { MplError, ErrorCode, errorFromWire, isWireError, isMplError } = sdk;

  test('every error class has its code and name, is an MplError and an Error, and serializes', () => {
    for (const [error, code, name] of samples(sdk)) {
      assert.equal(error.code, code, name);
      assert.equal(error.name, name);
      assert.ok(error instanceof MplError && error instanceof Error && isMplError(error), `${name} is an MplError`);
      const json = JSON.parse(JSON.stringify(error));
      assert.equal(json.code, code);
      assert.equal(json.name, name);
      assert.equal(typeof json.message, 'string');
    }
    assert.ok(!(new sdk.TimeoutError('x', 1) instanceof sdk.ConnectionError), 'siblings are not instances of each other');
    assert.ok(!({ name: 'TimeoutError', code: 'E-TIMEOUT' } instanceof MplError), 'a look-alike plain object is not an MplError');
  });

  test('errors carry their context: stype, validation errors, timeout, cause', () => {
    const s = new sdk.SchemaFidelityError('org.calendar.Event.v1', [
      { path: '/start', message: 'must be a date-time', keyword: 'format' },
      { path: '', message: 'title is required', keyword: 'required' },
    ]);
    assert.equal(s.stype, 'org.calendar.Event.v1');
    assert.deepEqual(s.validationErrors.map((e) => e.path), ['/start', '']);
    const t = new sdk.TimeoutError('send org.calendar.Event.v1', 250);
    assert.deepEqual(t.details, { operation: 'send org.calendar.Event.v1', timeoutMs: 250 });
    const cause = new TypeError('fetch failed');
    const c = new sdk.ConnectionError('cannot reach', { endpoint: 'http://127.0.0.1:1', cause });
    assert.equal(c.cause, cause);
    assert.deepEqual(c.toJSON().cause, { name: 'TypeError', message: 'fetch failed' });
  });

  test('the eight wire codes are the ones MPL SDKs share', () => {
    assert.deepEqual(
      [ErrorCode.SchemaFidelity, ErrorCode.QomBreach, ErrorCode.HandshakeFailed, ErrorCode.UnknownStype, ErrorCode.HashMismatch, ErrorCode.ConnectionFailed, ErrorCode.Timeout, ErrorCode.PolicyDenied],
      ['E-SCHEMA-FIDELITY', 'E-QOM-BREACH', 'E-HANDSHAKE-FAILED', 'E-UNKNOWN-STYPE', 'E-HASH-MISMATCH', 'E-CONNECTION-FAILED', 'E-TIMEOUT', 'E-POLICY-DENIED'],
    );
  });

  test('errorFromWire maps a peer error body to its class and keeps what the server said', () => {
    const body = { error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['/start: not a date-time', 'title is required'] };
    assert.ok(isWireError(body) && !isWireError({ result: 'ok' }) && !isWireError({ error: null }));
    assert.equal(errorFromWire({ error: 'nope' }).code, 'E-PEER-ERROR', 'an error without a code is still the peer\'s error');
    const e = errorFromWire(body, { stype: 'org.calendar.Event.v1', status: 400 });
    assert.ok(e instanceof sdk.SchemaFidelityError);
    assert.deepEqual(e.validationErrors, [
      { path: '/start', message: 'not a date-time', keyword: 'server' },
      { path: '', message: 'title is required', keyword: 'server' },
    ]);
    assert.deepEqual(e.details.server, body);
    assert.equal(e.details.status, 400);
    const map = { 'E-QOM-BREACH': sdk.QomBreachError, 'E-HANDSHAKE-FAILED': sdk.NegotiationError, 'E-UNKNOWN-STYPE': sdk.UnknownStypeError,
      'E-HASH-MISMATCH': sdk.HashMismatchError, 'E-CONNECTION-FAILED': sdk.ConnectionError, 'E-TIMEOUT': sdk.TimeoutError, 'E-POLICY-DENIED': sdk.PolicyDeniedError };
    for (const [code, cls] of Object.entries(map)) {
      const mapped = errorFromWire({ error: code, message: 'm' });
      assert.ok(mapped instanceof cls, code);
      assert.equal(mapped.code, code);
    }
    const other = errorFromWire({ error: 'E-SOMETHING-NEW', message: 'm' });
    assert.equal(other.code, 'E-SOMETHING-NEW');
    assert.equal(other.name, 'MplError');
    assert.ok(other instanceof MplError && !(other instanceof sdk.SchemaFidelityError));
  });

  if (env.secondCopy) {
    test('instanceof holds across two separately loaded copies of the SDK', () => {
      const other = env.secondCopy;
      assert.notEqual(other.MplError, MplError, 'the second copy is a distinct module instance');
      const foreign = new other.SchemaFidelityError('org.calendar.Event.v1', []);
      assert.ok(foreign instanceof MplError && foreign instanceof sdk.SchemaFidelityError, 'an error from copy 2 is recognised by copy 1');
      assert.ok(!(foreign instanceof sdk.TimeoutError));
      const local = new sdk.TimeoutError('send', 5);
      assert.ok(local instanceof other.MplError && local instanceof other.TimeoutError && other.isMplError(local), 'and the other way round');
      assert.ok(!(local instanceof other.ConnectionError));
      const thrown = assert.throws(() => other.SType.parse('bad'));
      assert.ok(thrown instanceof MplError && sdk.isMplError(thrown));
    });
  }
}
