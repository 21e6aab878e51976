// The validator's fast path for valid payloads (src/registry/fast-check.ts) must never call
// valid what the engine (@cfworker/json-schema) calls invalid. Checked against every
// registry schema: its examples, its negative examples, thousands of mutations of them
// (each member deleted, replaced by values of every JSON type, extra members added) and
// random JSON values.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validate } from '@cfworker/json-schema';
import fc from 'fast-check';
import { SchemaValidator, SType, directoryRegistry } from '../../src/index.ts';
import { CompiledSchema } from '../../src/registry/compiled-schema.ts';
import { compileFastCheck } from '../../src/registry/fast-check.ts';
import { REGISTRY_DIR } from './support/registry-server.ts';

const SAMPLES: unknown[] = [
  null, true, false, 0, -1, 1, 1.5, 1e9, 2 ** 53, -0.5, '', 'x', 'a'.repeat(600), '2024-03-01T14:00:00Z', '2024-02-30T14:00:00Z',
  'not a date', 'alice@example.com', 'not-an-email', 'Europe/Zurich', 'confirmed', 'https://example.com/x', [], ['x'], [1, 2], [{}], {}, { a: 1 },
  { email: 'bob@example.com' }, { email: 'nope' },
];

/** Every variant of `value` with one place changed: deleted, replaced by each sample, or (objects) given an extra member. */
function* mutations(value: unknown): Generator<unknown> {
  if (typeof value !== 'object' || value === null) return;
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    const copy = (replacement: unknown, remove = false): unknown => {
      if (Array.isArray(value)) return remove ? value.filter((_, i) => i !== key) : value.map((v, i) => (i === key ? replacement : v));
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      if (remove) delete out[key as string]; else out[key as string] = replacement;
      return out;
    };
    yield copy(undefined, true);
    for (const sample of SAMPLES) yield copy(sample);
    for (const inner of mutations(child)) yield copy(inner);
  }
  if (!Array.isArray(value)) for (const sample of SAMPLES.slice(0, 8)) yield { ...(value as object), extra_member: sample };
  else for (const sample of SAMPLES) yield [...value, sample];
}

function readJsonFiles(dir: string): unknown[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  } catch {
    return [];
  }
}

const registry = directoryRegistry(REGISTRY_DIR);
const stypes = await registry.list();

describe('fast validation path', () => {
  it('passes a oneOf only when one branch surely holds and every other surely fails: an unsure branch is not a refuted one', () => {
    // "bcd" is a string, and it also matches the second branch (no leading "a"; multipleOf applies to numbers only).
    const schema = { $id: 'urn:test:oneof', type: 'object', properties: { v: { oneOf: [{ type: 'string' }, { not: { pattern: '^a', multipleOf: 7 } }] } } };
    const compiled = new CompiledSchema(schema, []);
    const fast = compileFastCheck(compiled.root, compiled.lookup);
    const engineValid = (v: unknown): boolean => validate(v, compiled.root, '2020-12', compiled.lookup, false).valid;
    for (const value of [{ v: 'bcd' }, { v: 'abc' }, { v: 14 }, { v: 3 }]) {
      // The fast check may only say "valid" where the engine does (before and after the full check loads).
      if (fast?.(value)) assert.equal(engineValid(value), true, JSON.stringify(value));
    }
    assert.equal(engineValid({ v: 'bcd' }), false);
    assert.equal(fast?.({ v: 'bcd' }) ?? false, false);
  });

  const covered = new Set<string>();
  for (const stype of stypes) {
    it(`never says valid where the engine says invalid: ${stype}`, async () => {
      const validator = new SchemaValidator(registry);
      await validator.validate(stype, {}); // compiles
      const schema = structuredClone(await registry.getSchema(stype));
      (schema as { $id?: string }).$id = SType.parse(stype).urn;
      const compiled = new CompiledSchema(schema, []);
      const fast = compileFastCheck(compiled.root, compiled.lookup);
      if (!fast) return; // a schema it does not cover: the engine alone decides
      covered.add(stype);
      const engineValid = (v: unknown): boolean => {
        try { return validate(v, compiled.root, '2020-12', compiled.lookup, false).valid; } catch { return false; }
      };
      const folder = join(REGISTRY_DIR, SType.parse(stype).registryPath);
      const examples = readJsonFiles(join(folder, 'examples'));
      const negatives = readJsonFiles(join(folder, 'negative'));
      for (const example of examples) assert.equal(fast(example), engineValid(example), `example ${JSON.stringify(example).slice(0, 80)}`);
      for (const negative of negatives) assert.equal(fast(negative), false, `negative ${JSON.stringify(negative).slice(0, 80)}`);
      let checked = 0;
      let agreedValid = 0;
      for (const base of [...examples, ...negatives]) {
        for (const variant of mutations(base)) {
          const f = fast(variant);
          const e = engineValid(variant);
          if (f) assert.ok(e, `fast path said valid, engine said invalid: ${JSON.stringify(variant).slice(0, 200)}`);
          if (f && e) agreedValid++;
          checked++;
        }
      }
      fc.assert(fc.property(fc.jsonValue(), (v) => !fast(v) || engineValid(v)), { numRuns: 300 });
      assert.ok(checked > 0 || examples.length === 0);
      // Valid payloads must mostly take the fast path, or it buys nothing: every valid example does.
      if (examples.length > 0) assert.ok(agreedValid > 0, `no mutation of ${stype} stayed valid through the fast path`);
    });
  }
  it('leaves to the engine a format name it finds on Object.prototype (it calls that, e.g. hasOwnProperty, as the check)', () => {
    for (const name of ['hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'constructor', 'toString']) {
      const compiled = new CompiledSchema({ type: 'string', format: name }, []);
      const fast = compileFastCheck(compiled.root, compiled.lookup);
      let engineValid: boolean;
      try { engineValid = validate('abc', compiled.root, '2020-12', compiled.lookup, false).valid; } catch { engineValid = false; }
      assert.ok(fast === undefined || !fast('abc') || engineValid, `format ${name}: fast path said valid, engine said invalid`);
    }
  });
  it('agrees with the engine on string lengths in code points, astral characters included, and on values of another type', () => {
    const values = ['', 'a', 'ab', 'abcd', 'abcdefg', '😀', '😀😀', 'a😀', '😀😀😀', '😀😀😀😀', 'é✓😀x', '\ud800', '\ud800\ud800\ud800', 3, null, ['ab'], { ab: 1 }];
    for (const schema of [{ type: 'string', minLength: 2, maxLength: 3 }, { minLength: 2, maxLength: 3 }, { type: 'array', maxItems: 1 }, { type: 'object', maxProperties: 1 }, { type: ['string', 'null'], minLength: 2 }]) {
      const compiled = new CompiledSchema(structuredClone(schema), []);
      const fast = compileFastCheck(compiled.root, compiled.lookup)!;
      for (const value of values) {
        const engineValid = validate(value, compiled.root, '2020-12', compiled.lookup, false).valid;
        assert.equal(fast(value), engineValid, `${JSON.stringify(schema)} on ${JSON.stringify(value)}`);
      }
    }
  });
  it('agrees with the engine on prefixItems, with and without items after them', () => {
    const values = [[], [1], [1, 'a'], [1, 'a', 2], [1, 'a', 'b'], ['a'], [1, 2], [1.5, 'a'], [null], 'x', { 0: 1 }];
    const schemas = [
      { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }] },
      { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: false },
      { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: { type: 'string' }, minItems: 2 },
      { prefixItems: [{ type: 'integer', minimum: 1 }], items: { type: 'integer' } },
      { type: 'array', prefixItems: [] , items: { type: 'integer' } },
    ];
    for (const schema of schemas) {
      const compiled = new CompiledSchema(structuredClone(schema), []);
      const fast = compileFastCheck(compiled.root, compiled.lookup)!;
      assert.ok(fast, `covers ${JSON.stringify(schema)}`);
      for (const value of values) {
        const engineValid = validate(value, compiled.root, '2020-12', compiled.lookup, false).valid;
        assert.equal(fast(value), engineValid, `${JSON.stringify(schema)} on ${JSON.stringify(value)}`);
      }
    }
  });
  it('compiles a schema that refers back to itself from a oneOf, an if or a not (it recursed forever), and never says valid where the engine says invalid', async () => {
    const tree = { children: ['a', { children: [] }, { children: ['b', { children: [] }] }] };
    const cases: [object, unknown[]][] = [
      [{ oneOf: [{ type: 'string' }, { type: 'object', required: ['children'], properties: { children: { type: 'array', items: { $ref: '#' } } } }] },
        [tree, 'leaf', { children: [1] }, { children: ['a', { kids: [] }] }, 3, { children: [{ children: [2] }] }]],
      [{ type: 'object', properties: { next: { $ref: '#' } }, if: { properties: { next: { $ref: '#' } }, required: ['next'] }, then: { required: ['id'] } },
        [{}, { id: 1, next: {} }, { next: {} }, { id: 1, next: { next: {} } }, { id: 1, next: { id: 2, next: {} } }, 'x']],
      [{ type: 'object', properties: { inner: { not: { $ref: '#' } } } }, [{}, { inner: 1 }, { inner: {} }, { inner: { inner: 1 } }]],
      [{ $defs: { node: { anyOf: [{ type: 'null' }, { type: 'object', properties: { up: { not: { not: { $ref: '#/$defs/node' } } } } }] } }, $ref: '#/$defs/node' },
        [null, {}, { up: null }, { up: { up: 3 } }, 'x']],
    ];
    for (const [schema, values] of cases) {
      for (const fullLoaded of [false, true]) {
        const compiled = new CompiledSchema(structuredClone({ $id: 'urn:test:recursive', ...schema }), []);
        if (fullLoaded) await compiled.loadFullCheck();
        const fast = compileFastCheck(compiled.root, compiled.lookup);
        for (const value of values) {
          const engineValid = validate(value, compiled.root, '2020-12', compiled.lookup, false).valid;
          if (fast?.(value)) assert.equal(engineValid, true, `${JSON.stringify(schema)} on ${JSON.stringify(value)}`);
          const issues = compiled.check(value); // what validate() answers: issues, or undefined (the full check still to load)
          if (fullLoaded) assert.notEqual(issues, undefined);
          if (issues !== undefined) assert.equal(issues.length === 0, engineValid, `${JSON.stringify(schema)} on ${JSON.stringify(value)}`);
        }
      }
    }
  });

  it('leaves to the engine an object that inherits an enumerable property (Object.prototype polluted)', () => {
    const schemas = [
      { type: 'object', properties: { a: { type: 'string' } } },
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      { type: 'object', maxProperties: 1 },
      { type: 'object', propertyNames: { pattern: '^a$' } },
    ];
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto['polluted'] = 1; // enumerable: for…in meets it on every plain object
      for (const schema of schemas) {
        const compiled = new CompiledSchema(structuredClone({ $id: 'urn:test:inherited', ...schema }), []);
        const fast = compileFastCheck(compiled.root, compiled.lookup)!;
        assert.ok(fast, `covers ${JSON.stringify(schema)}`);
        for (const value of [{ a: 'x' }, {}, { a: 1 }]) {
          assert.equal(fast(value), false, `${JSON.stringify(schema)} on ${JSON.stringify(value)}: the fast path passed an object with an inherited member`);
        }
      }
    } finally {
      delete proto['polluted'];
    }
    const compiled = new CompiledSchema({ $id: 'urn:test:inherited', ...schemas[0] }, []);
    assert.equal(compileFastCheck(compiled.root, compiled.lookup)!({ a: 'x' }), true, 'the same object passes once Object.prototype is clean');
  });

  it('covers the seed STypes (their valid payloads skip the engine)', () => {
    for (const seed of ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1']) {
      assert.ok(covered.has(seed), `no fast path for ${seed}`);
    }
  });
});
