// SchemaValidator: issues a person can act on (JSON Pointer paths, plain messages, all of
// them), one compile per SType, and no crash on values JSON cannot carry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ErrorCode, MplError, SchemaFidelityError, SchemaValidator, UnknownStypeError, embeddedRegistry, resolveRegistry,
  type Registry,
} from '../../src/index.ts';
import { REGISTRY_DIR } from './support/registry-server.ts';

const EVENT = 'org.calendar.Event.v1';
const validator = new SchemaValidator();

/** A registry serving the given schemas, counting getSchema calls; `failures` calls fail first. */
function memoryRegistry(schemas: Record<string, object>, failures = 0) {
  const calls: string[] = [];
  const registry: Registry = {
    source: 'memory',
    async getSchema(stype) {
      calls.push(stype);
      if (failures-- > 0) throw new MplError(ErrorCode.Registry, 'registry down');
      const schema = schemas[stype];
      if (!schema) throw new UnknownStypeError(stype, 'memory');
      return schema;
    },
    async has(stype) { return stype in schemas; },
    async list() { return Object.keys(schemas); },
    async getProfile() { return undefined; },
  };
  return { registry, calls };
}

describe('SchemaValidator issues', () => {
  it('[] for a valid payload', async () => {
    assert.deepEqual(await validator.validate(EVENT, { title: 'Sync', start: '2024-01-15T10:00:00Z' }), []);
  });

  it('a missing property is reported at the object that lacks it', async () => {
    assert.deepEqual(await validator.validate(EVENT, { title: 'Sync', attendees: [{ name: 'Bob' }] }), [
      { path: '', message: 'is missing required property "start"', keyword: 'required' },
      { path: '/attendees/0', message: 'is missing required property "email"', keyword: 'required' },
    ]);
  });

  it('all errors, each at the JSON Pointer of the offending value, with the closest anyOf branch only', async () => {
    const issues = await validator.validate(EVENT, {
      title: 42, start: 'tomorrow', attendees: ['alice@example.com', { email: 'bob(at)example.com' }, 'carol', 7], extra: true,
    });
    assert.deepEqual(issues, [
      { path: '/title', message: 'must be a string (got number)', keyword: 'type' },
      { path: '/start', message: 'must be an RFC 3339 date-time with a timezone, e.g. "2024-03-01T14:00:00Z"', keyword: 'format' },
      { path: '/attendees/1/email', message: 'must be an email address', keyword: 'format' },
      { path: '/attendees/2', message: 'must be an email address', keyword: 'format' },
      { path: '/attendees/3', message: 'must be a string or an object (got number)', keyword: 'type' },
      { path: '/extra', message: 'unexpected property "extra"', keyword: 'additionalProperties' },
    ]);
  });

  it('reports every one of thousands of errors, each once', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => (i % 3 ? [i] : { row: i }));
    const issues = await validator.validate('data.table.Table.v1', { columns: [{ name: 'n', type: 'integer' }], rows });
    assert.deepEqual(issues.map((i) => i.path), rows.flatMap((r, i) => (Array.isArray(r) ? [] : [`/rows/${i}`])));
    assert.ok(issues.every((i) => i.message === 'must be an array (got object)'));
  });

  it('escapes property names in paths (~0, ~1) and keeps Unicode as is', async () => {
    const v = new SchemaValidator(memoryRegistry({
      'org.t.Keys.v1': { type: 'object', additionalProperties: { type: 'integer' } },
    }).registry);
    assert.deepEqual((await v.validate('org.t.Keys.v1', { 'a/b': 'x', 'm~n': 'y', 'Zürich 東京 #%': 'z' })).map((i) => i.path), ['/a~1b', '/m~0n', '/Zürich 東京 #%']);
  });

  it('enum, range, length, pattern and uniqueness messages say what is allowed', async () => {
    const issues = await validator.validate(EVENT, {
      title: '', start: '2024-01-15T10:00:00Z', duration_minutes: 0, status: 'maybe', timezone: 'not a zone!',
      recurrence: { frequency: 'daily', interval: 1001 },
    });
    assert.deepEqual(issues.map((i) => `${i.path} ${i.message}`), [
      '/title must not be empty',
      '/duration_minutes must be at least 1',
      '/timezone must match the pattern ^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$',
      '/recurrence/interval must be at most 1000',
      '/status must be one of "confirmed", "tentative", "cancelled"',
    ]);
    const dupes = await validator.validate('org.communication.Message.v1', { sender: 'a', content: 'c', recipients: ['x', 'y', 'x'] });
    assert.deepEqual(dupes, [{ path: '/recipients', message: 'must not contain duplicates (items 0 and 2 are equal)', keyword: 'uniqueItems' }]);
  });

  it('if/then failures are reported by their cause', async () => {
    assert.deepEqual(await validator.validate('org.agent.ToolResult.v1', { tool_name: 't', status: 'error' }), [
      { path: '', message: 'is missing required property "error"', keyword: 'required' },
    ]);
  });

  it('validates what is sent: an undefined member is left out (as JSON and the hash leave it), a Date or a toJSON as its JSON', async () => {
    assert.deepEqual(await validator.validate(EVENT, { title: 'x', start: '2024-01-15T10:00:00Z', description: undefined }), []);
    assert.deepEqual(await validator.validate(EVENT, { title: undefined, start: '2024-01-15T10:00:00Z' }), [
      { path: '', message: 'is missing required property "title"', keyword: 'required' },
    ]);
    assert.deepEqual(await validator.validate(EVENT, { title: 'x', start: new Date(Date.UTC(2024, 0, 15, 10)) }), []);
    assert.deepEqual(await validator.validate(EVENT, { toJSON: () => undefined }), [
      { path: '', message: 'has no JSON form (its toJSON gives nothing): a payload must be a JSON value', keyword: 'type' },
    ]);
    assert.deepEqual(await validator.validate(EVENT, { title: 'x', start: { toJSON: () => 'tomorrow' } }), [
      { path: '/start', message: 'must be an RFC 3339 date-time with a timezone, e.g. "2024-03-01T14:00:00Z"', keyword: 'format' },
    ]);
  });

  it('values JSON cannot carry become issues, not crashes', async () => {
    assert.deepEqual(await validator.validate(EVENT, undefined), [{ path: '', message: 'is undefined: a payload must be a JSON value', keyword: 'type' }]);
    assert.deepEqual(await validator.validate(EVENT, 10n), [{ path: '', message: 'is a BigInt, which JSON cannot carry (send a number or a string)', keyword: 'type' }]);
    assert.deepEqual(await validator.validate(EVENT, { title: 'x', start: '2024-01-15T10:00:00Z', duration_minutes: 30n }), [
      { path: '/duration_minutes', message: 'is a BigInt, which JSON cannot carry (send a number or a string)', keyword: 'type' },
    ]);
    assert.deepEqual(await validator.validate(EVENT, { title: 'x', start: '2024-01-15T10:00:00Z', duration_minutes: Number.NaN }), [
      { path: '/duration_minutes', message: 'is NaN, which JSON cannot carry (it would be sent as null)', keyword: 'type' },
    ]);
    assert.deepEqual(await validator.validate(EVENT, { title: 'x', start: '2024-01-15T10:00:00Z', duration_minutes: -Infinity }), [
      { path: '/duration_minutes', message: 'is -Infinity, which JSON cannot carry (it would be sent as null)', keyword: 'type' },
    ]);
    assert.deepEqual(await validator.validate(EVENT, { title: 'x', start: '2024-01-15T10:00:00Z', attendees: ['a@example.com', undefined] }), [
      { path: '/attendees/1', message: 'is undefined, which JSON sends as null in an array', keyword: 'type' },
    ]);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    assert.deepEqual(await new SchemaValidator().validate('data.json.Document.v1', cyclic), [
      { path: '/self', message: 'refers back to an object that contains it (a cycle), which JSON cannot carry', keyword: 'type' },
    ]);
    assert.deepEqual(await validator.validate(EVENT, null), [{ path: '', message: 'must be an object (got null)', keyword: 'type' }]);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.deepEqual(await validator.validate('data.json.Document.v1', { deep }), [{ path: '', message: 'is nested too deeply to validate', keyword: 'depth' }]);
  });

  it('assertValid throws SchemaFidelityError carrying every issue', async () => {
    await assert.rejects(validator.assertValid(EVENT, { attendees: 'all' }), (e: unknown) => {
      assert.ok(e instanceof SchemaFidelityError);
      assert.equal(e.code, ErrorCode.SchemaFidelity);
      assert.equal(e.stype, EVENT);
      assert.deepEqual(e.validationErrors.map((i) => i.path), ['', '', '/attendees']);
      assert.match(e.message, /\(root\): is missing required property "title" \(and 2 more\)/);
      return true;
    });
    await validator.assertValid(`urn:stype:${EVENT}`, { title: 't', start: '2024-01-15T10:00:00Z' });
  });

  it('an SType without a schema raises UnknownStypeError naming the SType and the registry', async () => {
    await assert.rejects(validator.validate('org.unknown.Thing.v1', {}), (e: unknown) => {
      assert.ok(e instanceof UnknownStypeError);
      assert.equal(e.code, ErrorCode.UnknownStype);
      assert.equal(e.stype, 'org.unknown.Thing.v1');
      assert.match(e.message, /org\.unknown\.Thing\.v1.*the embedded registry/);
      return true;
    });
    assert.equal(await validator.hasSchema('org.unknown.Thing.v1'), false);
    assert.equal(await validator.hasSchema(EVENT), true);
  });

  it('compiles each SType once and reuses it', async () => {
    const { registry, calls } = memoryRegistry({ 'org.t.Once.v1': { type: 'object', required: ['a'] } });
    const v = new SchemaValidator(registry);
    await Promise.all(Array.from({ length: 20 }, (_, i) => v.validate('org.t.Once.v1', i % 2 ? {} : { a: 1 })));
    await v.validate('urn:stype:org.t.Once.v1', {});
    assert.deepEqual(calls, ['org.t.Once.v1']);
  });

  it('does not remember a registry failure: the next call compiles again', async () => {
    const { registry, calls } = memoryRegistry({ 'org.t.Later.v1': { type: 'object' } }, 1);
    const v = new SchemaValidator(registry);
    await assert.rejects(v.validate('org.t.Later.v1', {}), /registry down/);
    assert.deepEqual(await v.validate('org.t.Later.v1', {}), []);
    assert.equal(calls.length, 2);
  });

  it('accepts frozen or shared schemas from a custom registry (it compiles its own copy)', async () => {
    const schema = Object.freeze({ type: 'object', properties: Object.freeze({ n: Object.freeze({ type: 'integer' }) }) });
    const { registry } = memoryRegistry({ 'org.t.Frozen.v1': schema, 'org.t.Frozen.v2': schema });
    const v = new SchemaValidator(registry);
    assert.deepEqual((await v.validate('org.t.Frozen.v1', { n: 'x' })).map((i) => i.path), ['/n']);
    assert.deepEqual((await v.validate('org.t.Frozen.v2', { n: 1 })), []);
  });

  it('a $ref to a missing SType or an unresolvable local pointer is E-REGISTRY naming the schema', async () => {
    const { registry } = memoryRegistry({
      'org.t.Dangling.v1': { type: 'object', properties: { x: { $ref: 'urn:stype:org.t.Missing.v1' } } },
      'org.t.Local.v1': { type: 'object', properties: { x: { $ref: '#/$defs/nope' } } },
      'org.t.Relative.v1': { $ref: 'other.json' },
    });
    const v = new SchemaValidator(registry);
    await assert.rejects(v.validate('org.t.Dangling.v1', { x: 1 }), (e: unknown) => e instanceof MplError && e.code === ErrorCode.Registry && /org\.t\.Dangling\.v1 refers to org\.t\.Missing\.v1/.test(e.message));
    await assert.rejects(v.validate('org.t.Local.v1', { x: 1 }), (e: unknown) => e instanceof MplError && e.code === ErrorCode.Registry && /org\.t\.Local\.v1/.test(e.message));
    await assert.rejects(v.validate('org.t.Relative.v1', {}), (e: unknown) => e instanceof MplError && e.code === ErrorCode.Registry && /"other\.json"/.test(e.message));
  });
});

describe('resolveRegistry', () => {
  it('a registry object wins; nothing means embedded; a URL means HTTP; a path means a folder on Node', () => {
    const own = embeddedRegistry();
    assert.equal(resolveRegistry({ registry: own, registryPath: 'https://x.example/' }), own);
    assert.equal(resolveRegistry({}).source, 'the embedded registry');
    assert.equal(resolveRegistry().source, 'the embedded registry');
    assert.equal(resolveRegistry({ registryPath: 'https://cdn.example.com/mpl' }).source, 'https://cdn.example.com/mpl/');
    assert.equal(resolveRegistry({ registryPath: 'HTTP://cdn.example.com/r/' }).source, 'http://cdn.example.com/r/');
    assert.equal(resolveRegistry({ registryPath: './registry' }).source, './registry');
  });

  it('the folder it picks reads the same schemas as the embedded registry validates with', async () => {
    const payload = { title: 'Sync', start: 'soon' };
    assert.deepEqual(
      await new SchemaValidator(resolveRegistry({ registryPath: REGISTRY_DIR })).validate(EVENT, payload),
      await new SchemaValidator(resolveRegistry({})).validate(EVENT, payload),
    );
  });
});

describe('a runtime without structuredClone (Jest\'s jsdom environment)', () => {
  it('validates alike: schemas are copied by a JSON round trip there', async () => {
    const saved = globalThis.structuredClone;
    Reflect.deleteProperty(globalThis, 'structuredClone');
    try {
      const validator = new SchemaValidator(embeddedRegistry());
      assert.deepEqual(await validator.validate(EVENT, { title: 'Sync', start: '2024-01-15T10:00:00Z' }), []);
      const issues = await validator.validate(EVENT, { title: 'Sync' });
      assert.deepEqual(issues.map((issue) => issue.keyword), ['required']);
    } finally {
      globalThis.structuredClone = saved;
    }
  });
});
