// The validator engine in two parts (src/registry/engine.ts, src/registry/full-check.ts): a
// payload that a schema's fast check passes is valid without the full engine; anything else
// (an invalid payload, a condition the fast check cannot settle, a schema it does not cover)
// loads the full check once, and from then on is judged synchronously too. This file runs in
// a process of its own, where nothing has loaded the full check before its first test.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ErrorCode, MplError, SType, SchemaValidator, directoryRegistry, embeddedRegistry, type Registry } from '../../src/index.ts';
import { validate } from '@cfworker/json-schema';
import fc from 'fast-check';
import { CompiledSchema } from '../../src/registry/compiled-schema.ts';
import { compileFastCheck } from '../../src/registry/fast-check.ts';
import { fullCheck } from '../../src/registry/full-engine.ts';
import { REGISTRY_DIR } from './support/registry-server.ts';

const EVENT = 'org.calendar.Event.v1';
const TOOL_RESULT = 'org.agent.ToolResult.v1'; // its schema holds an `if`
const event = { title: 'Sync', start: '2024-01-15T10:00:00Z', attendees: [{ name: 'Bob', email: 'bob@example.com' }] };
const toolResult = { call_id: 'call-1', tool_name: 'calendar.create_event', status: 'success', result: { event_id: 'evt-9' }, duration_ms: 182.4 };

const folders: string[] = [];

/** A schema's root and `$ref` table, as the engine prepares them. */
function prepared(schema: object): [CompiledSchema['root'], CompiledSchema['lookup']] {
  const compiled = new CompiledSchema(structuredClone(schema), []);
  return [compiled.root, compiled.lookup];
}
after(() => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('the full schema check loads only for a payload the fast check cannot pass', () => {
  const validator = new SchemaValidator(embeddedRegistry());
  const bad = { title: 'Sync', attendees: [{ name: 'Bob', email: 'nope' }] };

  it('valid payloads, and the embedded schemas themselves, pass the fast check: the full check is not loaded', async () => {
    assert.deepEqual(await validator.validate(EVENT, event), []);
    assert.deepEqual(validator.validateNow(EVENT, { title: 'Sync', start: '2024-01-15T10:00:00+02:00' }), []);
    for (const stype of ['org.agent.TaskPlan.v1', 'org.agent.Heartbeat.v1', 'org.communication.Message.v1']) {
      assert.ok(await embeddedRegistry().getSchema(stype)); // checked against the meta-schema, by its fast check
    }
    // So do the examples of every embedded SType, ToolResult's too: its `if` is settled without the full engine.
    for (const stype of await embeddedRegistry().list()) {
      const folder = join(REGISTRY_DIR, SType.parse(stype).registryPath, 'examples');
      const examples = (await readdir(folder)).filter((f) => f.endsWith('.json'));
      assert.ok(examples.length > 0, `${stype} has examples`);
      for (const file of examples) {
        const example: unknown = JSON.parse(await readFile(join(folder, file), 'utf8'));
        assert.deepEqual(await validator.validate(stype, example), [], `${stype} ${file}`);
        assert.equal(fullCheck(), undefined, `${stype} ${file} passed the fast check`);
      }
    }
    // An invalid payload has no synchronous answer yet: only the full check can name its issues.
    assert.equal(validator.validateNow(EVENT, bad), undefined);
    assert.equal(fullCheck(), undefined);
  });

  it('conditions (`if`, `not`) it settles without the full engine never pass what the engine refuses', () => {
    const conditions: object[] = [
      { type: 'object', properties: { status: { enum: ['success', 'error'] } }, allOf: [
        { if: { properties: { status: { const: 'success' } } }, then: { required: ['result'] } },
        { if: { properties: { status: { const: 'error' } } }, then: { required: ['error'] } },
      ] },
      { not: { type: 'string' } }, { not: { const: 3 } }, { not: { required: ['a'] } }, { not: { properties: { a: { type: 'integer' } } } },
      { not: { enum: [1, 'a', null, [1], { x: 1 }] } }, { not: { type: ['integer', 'null'] } }, { not: false }, { not: true },
      { if: { type: 'integer' }, then: { minimum: 0 }, else: { type: 'string' } },
      { if: { required: ['kind'], properties: { kind: { const: 'a' } } }, then: { required: ['a'] }, else: { required: ['b'] } },
      { if: { properties: { n: { type: 'number', minimum: 3 } } }, then: { required: ['big'] } },
      { if: { const: { x: [1, 2] } }, then: false, else: true },
      // With a keyword the fast check does not read (`multipleOf`, `contains`, `patternProperties`), the condition's
      // own fast check is off: whether it fails is then for the refutation alone to say.
      { if: { properties: { kind: { const: 'a' } }, multipleOf: 1 }, then: { required: ['a'] }, else: { required: ['b'] } },
      { not: { required: ['a'], contains: { const: 1 } } },
      { not: { type: 'string', patternProperties: { '^a': false } } },
      { if: { enum: ['a', 'b', 2], multipleOf: 2 }, then: { type: 'string' }, else: { type: 'number' } },
      { not: { const: { x: [1, 2] }, multipleOf: 1 } },
      { not: { type: ['integer', 'null'], multipleOf: 1 } },
      { if: { properties: { status: { enum: ['error'] } }, contains: true }, then: { required: ['error'] } },
    ];
    const crafted = [
      { status: 'success', result: 1 }, { status: 'success' }, { status: 'error', error: {} }, { status: 'error' }, { status: 'other' }, { status: 1 },
      { kind: 'a', a: 1 }, { kind: 'a' }, { kind: 'b', b: 1 }, { kind: 'b' }, { b: 1 }, { n: 5 }, { n: 5, big: 1 }, { n: 1 }, { n: 'x' },
      { x: [1, 2] }, { x: [2, 1] }, { a: 1 }, { a: 1.5 }, { a: 'x' }, 3, 3.5, -1, 0, 'x', null, [1], { x: 1 }, [], {}, true,
    ];
    for (const schema of conditions) {
      const compiled = new CompiledSchema(structuredClone(schema), []);
      const fast = compileFastCheck(compiled.root, compiled.lookup);
      assert.ok(fast, `covers ${JSON.stringify(schema)}`);
      const engineValid = (v: unknown): boolean => validate(v, compiled.root, '2020-12', compiled.lookup, false).valid;
      for (const value of crafted) {
        if (fast(value)) assert.ok(engineValid(value), `${JSON.stringify(schema)} passed ${JSON.stringify(value)}, which the engine refuses`);
      }
      fc.assert(fc.property(fc.jsonValue(), (v) => !fast(v) || engineValid(v)), { numRuns: 300 });
    }
    // And they do settle the common cases: ToolResult's success and error, a kind that is not "a".
    const toolLike = compileFastCheck(...prepared(conditions[0]!))!;
    assert.equal(toolLike({ status: 'success', result: 1 }), true);
    assert.equal(toolLike({ status: 'error', error: {} }), true);
    assert.equal(compileFastCheck(...prepared(conditions[10]!))!({ kind: 'b', b: 1 }), true);
    assert.equal(compileFastCheck(...prepared(conditions[13]!))!({ kind: 'b', b: 1 }), true, 'refuted without the condition\'s own fast check');
    assert.equal(compileFastCheck(...prepared(conditions[19]!))!({ status: 'success' }), true, 'refuted through enum');
    assert.equal(fullCheck(), undefined);
  });

  it('a registry schema whose keywords have the wrong shape: the full check loads, and names them', async () => {
    assert.equal(fullCheck(), undefined);
    const root = await mkdtemp(join(tmpdir(), 'mpl-full-check-'));
    folders.push(root);
    const folder = join(root, 'stypes/org/bad/Shape/v1');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'schema.json'), JSON.stringify({ type: 'object', properties: { n: { type: 'integr' } } }));
    await assert.rejects(new SchemaValidator(directoryRegistry(root)).validate('org.bad.Shape.v1', {}), (error) => {
      assert.ok(error instanceof MplError);
      assert.equal(error.code, ErrorCode.Registry);
      assert.match(error.message, /is not a valid JSON Schema: \/properties\/n\/type /);
      return true;
    });
    assert.notEqual(fullCheck(), undefined);
  });
});

describe('once loaded, the full check answers synchronously too', () => {
  const validator = new SchemaValidator(embeddedRegistry());

  it('an invalid payload: every issue, from validate and from validateNow', async () => {
    const bad = { title: 'Sync', attendees: [{ name: 'Bob', email: 'nope' }] };
    const expected = [
      { path: '', message: 'is missing required property "start"', keyword: 'required' },
      { path: '/attendees/0/email', message: 'must be an email address', keyword: 'format' },
    ];
    assert.deepEqual(await validator.validate(EVENT, bad), expected);
    assert.deepEqual(validator.validateNow(EVENT, bad), expected);
  });

  it('a condition: the `if` of ToolResult picks its branch, for valid and invalid payloads alike (the full engine loaded)', async () => {
    assert.deepEqual(await validator.validate(TOOL_RESULT, toolResult), []);
    assert.deepEqual(validator.validateNow(TOOL_RESULT, toolResult), []);
    const failed = { call_id: 'call-1', tool_name: 'calendar.create_event', status: 'error' };
    assert.ok((validator.validateNow(TOOL_RESULT, failed) ?? []).length > 0, 'an error result without its error is refused');
  });

  it('a schema the fast check does not cover is judged by the full engine, synchronously once compiled', async () => {
    const schemas: Record<string, object> = { 'org.t.Contains.v1': { type: 'array', contains: { type: 'integer' } } };
    const registry: Registry = {
      source: 'memory',
      async getSchema(stype) { return schemas[stype]!; },
      async has(stype) { return stype in schemas; },
      async list() { return Object.keys(schemas); },
      async getProfile() { return undefined; },
    };
    const own = new SchemaValidator(registry);
    assert.deepEqual(await own.validate('org.t.Contains.v1', ['a', 1]), []);
    assert.deepEqual(own.validateNow('org.t.Contains.v1', ['a', 1]), []);
    assert.equal(own.validateNow('org.t.Contains.v1', ['a'])!.length > 0, true);
  });
});
