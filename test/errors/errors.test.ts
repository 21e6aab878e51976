import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as sdk from '../../src/index.ts';
import {
  ConnectionError, ErrorCode, errorFromWire, HashMismatchError, isMplError, MplError, NegotiationError,
  PolicyDeniedError, QomBreachError, SchemaFidelityError, TimeoutError, UnknownStypeError,
} from '../../src/index.ts';

const samples = () => [
  [new SchemaFidelityError('org.calendar.Event.v1', [{ path: '/start', message: 'must be a date-time', keyword: 'format' }]), 'E-SCHEMA-FIDELITY', 'SchemaFidelityError'],
  [new QomBreachError({ metric: 'instruction_compliance', expected: 0.97, actual: 0.5, profile: 'qom-strict-argcheck' }), 'E-QOM-BREACH', 'QomBreachError'],
  [new NegotiationError({ reason: 'no common STypes', clientStypes: ['a.b.C.v1'], serverStypes: [] }), 'E-HANDSHAKE-FAILED', 'NegotiationError'],
  [new UnknownStypeError('a.b.C.v1', 'embedded registry'), 'E-UNKNOWN-STYPE', 'UnknownStypeError'],
  [new HashMismatchError({ expected: 'b3:1', actual: 'b3:2' }), 'E-HASH-MISMATCH', 'HashMismatchError'],
  [new ConnectionError('refused', { endpoint: 'ws://x' }), 'E-CONNECTION-FAILED', 'ConnectionError'],
  [new TimeoutError('connect', 100), 'E-TIMEOUT', 'TimeoutError'],
  [new PolicyDeniedError('denied'), 'E-POLICY-DENIED', 'PolicyDeniedError'],
] as const;

describe('errors', () => {
  for (const [error, code, name] of samples()) {
    it(`${name} has code ${code}, its name, and is an MplError and an Error`, () => {
      assert.equal(error.code, code);
      assert.equal(error.name, name);
      assert.ok(error instanceof MplError);
      assert.ok(error instanceof Error);
      assert.ok(isMplError(error));
      assert.match(String(error.stack), new RegExp(name));
      const json = error.toJSON();
      assert.equal(json['code'], code);
      assert.equal(json['name'], name);
      assert.equal(typeof json['message'], 'string');
      assert.doesNotThrow(() => JSON.stringify(error));
    });
  }

  it('subclasses are not instances of their siblings', () => {
    const e = new TimeoutError('send', 5);
    assert.ok(!(e instanceof ConnectionError));
    assert.ok(!(new MplError('E-X', 'x') instanceof TimeoutError));
    assert.ok(!({ name: 'TimeoutError', code: 'E-TIMEOUT' } instanceof MplError), 'a look-alike plain object is not an MplError');
  });

  it('errors carry their context as fields and details', () => {
    const s = new SchemaFidelityError('org.calendar.Event.v1', [
      { path: '/start', message: 'must be a date-time', keyword: 'format' },
      { path: '', message: 'title is required', keyword: 'required' },
    ]);
    assert.equal(s.stype, 'org.calendar.Event.v1');
    assert.equal(s.validationErrors.length, 2);
    assert.match(s.message, /\/start: must be a date-time \(and 1 more\)/);
    const t = new TimeoutError('send org.calendar.Event.v1', 250);
    assert.equal(t.message, 'send org.calendar.Event.v1 timed out after 250 ms');
    assert.deepEqual(t.details, { operation: 'send org.calendar.Event.v1', timeoutMs: 250 });
    const cause = new TypeError('fetch failed');
    const c = new ConnectionError('cannot reach http://x', { endpoint: 'http://x', cause });
    assert.equal(c.cause, cause);
    assert.deepEqual(c.toJSON()['cause'], { name: 'TypeError', message: 'fetch failed' });
    const n = new NegotiationError({ reason: 'r', clientStypes: ['a.b.C.v1'], serverStypes: ['x.y.Z.v1'] });
    assert.deepEqual([n.reason, n.clientStypes, n.serverStypes], ['r', ['a.b.C.v1'], ['x.y.Z.v1']]);
    assert.equal(new QomBreachError({ metric: 'groundedness', expected: 0.8, actual: undefined, profile: 'p' }).message, 'QoM profile p breached: groundedness is absent, needs ≥ 0.8');
  });

  it('the shared codes are the ones MPL SDKs use on the wire', () => {
    assert.deepEqual(
      [ErrorCode.SchemaFidelity, ErrorCode.QomBreach, ErrorCode.HandshakeFailed, ErrorCode.UnknownStype, ErrorCode.HashMismatch, ErrorCode.ConnectionFailed, ErrorCode.Timeout, ErrorCode.PolicyDenied],
      ['E-SCHEMA-FIDELITY', 'E-QOM-BREACH', 'E-HANDSHAKE-FAILED', 'E-UNKNOWN-STYPE', 'E-HASH-MISMATCH', 'E-CONNECTION-FAILED', 'E-TIMEOUT', 'E-POLICY-DENIED'],
    );
  });

  it('a server error body becomes the matching subclass with the server details kept', () => {
    const e = errorFromWire({ error: 'E-SCHEMA-FIDELITY', message: 'Validation failed', details: ['/start: not a date-time', 'title is required'] }, { stype: 'org.calendar.Event.v1', status: 400 });
    assert.ok(e instanceof SchemaFidelityError);
    assert.deepEqual(e.validationErrors, [
      { path: '/start', message: 'not a date-time', keyword: 'server' },
      { path: '', message: 'title is required', keyword: 'server' },
    ]);
    assert.equal(e.stype, 'org.calendar.Event.v1');
    assert.equal(e.details['status'], 400);
    assert.ok(errorFromWire({ error: 'E-POLICY-DENIED', message: 'no' }) instanceof PolicyDeniedError);
    assert.ok(errorFromWire({ error: 'E-HASH-MISMATCH' }) instanceof HashMismatchError);
    const other = errorFromWire({ error: 'E-SOMETHING-NEW', message: 'hm' });
    assert.equal(other.code, 'E-SOMETHING-NEW');
    assert.ok(other instanceof MplError);
  });
});

/** Every exported class whose prototype chain holds MplError's prototype (found without `instanceof`). */
function errorClasses(api: Record<string, unknown>, base: { prototype: object }): Array<[string, { prototype: object }]> {
  return Object.entries(api).filter((entry): entry is [string, { prototype: object }] => {
    const value = entry[1] as { prototype?: unknown };
    return typeof value === 'function' && typeof value.prototype === 'object' && value.prototype !== null
      && (value.prototype === base.prototype || Object.prototype.isPrototypeOf.call(base.prototype, value.prototype));
  });
}

/** `value instanceof cls`, for a class known only as an export. */
const isA = (value: unknown, cls: unknown): boolean => value instanceof (cls as typeof MplError);

describe('instanceof on prototypes', () => {
  const classes = errorClasses(sdk, MplError);

  it('finds every exported error class', () => {
    assert.deepEqual(classes.map(([name]) => name).sort(), [
      'ConnectionError', 'HashMismatchError', 'MplError', 'NegotiationError', 'PolicyDeniedError',
      'QomBreachError', 'SchemaFidelityError', 'TimeoutError', 'UnknownStypeError',
    ]);
  });

  for (const [name, cls] of classes.filter(([n]) => n !== 'MplError')) {
    it(`${name}.prototype instanceof MplError and Error, as with ordinary classes; not of itself or its siblings`, () => {
      assert.ok(cls.prototype instanceof MplError);
      assert.ok(cls.prototype instanceof Error);
      assert.ok(!isA(cls.prototype, cls), 'C.prototype is not an instance of C');
      assert.ok(!isA(MplError.prototype, cls));
      for (const [other, sibling] of classes) {
        if (other !== name && other !== 'MplError') assert.ok(!isA(cls.prototype, sibling), `${name}.prototype is no ${other}`);
      }
    });
  }

  it('MplError.prototype is an Error, not an MplError (as for any class)', () => {
    assert.ok(MplError.prototype instanceof Error);
    assert.ok(!(MplError.prototype instanceof MplError));
  });

  it('a subclass written by a user works as ordinary classes do, named or not', () => {
    class AppError extends MplError {}
    class QuotaError extends AppError {}
    Object.defineProperty(QuotaError.prototype, 'name', { value: 'QuotaError' });
    assert.ok(AppError.prototype instanceof MplError);
    assert.ok(QuotaError.prototype instanceof AppError);
    assert.ok(new QuotaError('E-QUOTA', 'over') instanceof AppError);
    assert.ok(new AppError('E-APP', 'x') instanceof MplError);
    assert.ok(!(new MplError('E-X', 'x') instanceof AppError), 'an unnamed subclass is not taken for MplError by name');
    assert.ok(!(new TimeoutError('x', 1) instanceof QuotaError));
  });
});

describe('instanceof across two copies of the bundle', () => {
  it('an error from one copy is recognised by the classes of another', async () => {
    const url = pathToFileURL('dist/index.js').href;
    const a = await import(`${url}?copy=a`);
    const b = await import(`${url}?copy=b`);
    assert.notEqual(a.SchemaFidelityError, b.SchemaFidelityError, 'two separate module instances');
    const fromB = new b.SchemaFidelityError('org.calendar.Event.v1', []);
    assert.ok(fromB instanceof a.SchemaFidelityError);
    assert.ok(fromB instanceof a.MplError);
    assert.ok(!(fromB instanceof a.TimeoutError));
    assert.ok(new b.TimeoutError('x', 1) instanceof SchemaFidelityError === false);
    assert.ok(new b.TimeoutError('x', 1) instanceof TimeoutError, 'bundle copy against the source classes');
    assert.ok(a.isMplError(new b.ConnectionError('x')));
  });

  it('the prototypes of one copy\'s classes are instances of the other copy\'s base classes', async () => {
    const url = pathToFileURL('dist/index.js').href;
    const b = await import(`${url}?copy=prototypes`) as Record<string, unknown>;
    const classes = errorClasses(b, b['MplError'] as { prototype: object });
    assert.equal(classes.length, 9);
    for (const [name, cls] of classes.filter(([n]) => n !== 'MplError')) {
      assert.ok(cls.prototype instanceof MplError, `${name}.prototype of the bundle against the source MplError`);
      assert.ok(!isA(cls.prototype, (sdk as Record<string, unknown>)[name]), `${name}.prototype is not a ${name}`);
    }
  });
});
