// The registry/ folder itself: every schema is a documented 2020-12 schema with its
// urn:stype $id, every example validates, every negative fails at exactly the paths its
// negative.expected.json lists, the seed's payloads validate, and the four QoM profiles
// carry PROTOCOL.md's thresholds.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SType, SchemaValidator, embeddedRegistry, directoryRegistry } from '../../src/index.ts';
import { walkSubschemas } from '../../src/registry/subschemas.ts';
import { REGISTRY_DIR } from './support/registry-server.ts';
import { registryTree, sortedPaths } from './support/registry-tree.ts';

const tree = registryTree();
const validator = new SchemaValidator(directoryRegistry(REGISTRY_DIR));

describe('registry/ contents', () => {
  it('holds at least twelve STypes, the four seed STypes among them, in each MPL family', () => {
    const ids = tree.map((t) => t.id);
    assert.ok(ids.length >= 12, `${ids.length} STypes`);
    for (const seed of ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1']) assert.ok(ids.includes(seed), seed);
    for (const family of ['org.', 'data.', 'eval.', 'ai.']) assert.ok(ids.some((id) => id.startsWith(family)), family);
  });

  for (const t of tree) {
    describe(t.id, () => {
      it('is a 2020-12 schema with $id urn:stype:<id>, a title, a description and described properties', () => {
        assert.equal(SType.parse(t.id).id, t.id);
        assert.equal(t.schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
        assert.equal(t.schema['$id'], `urn:stype:${t.id}`);
        assert.equal(typeof t.schema['title'], 'string');
        assert.equal(typeof t.schema['description'], 'string');
        const properties = (t.schema['properties'] ?? {}) as Record<string, { description?: unknown; $ref?: unknown }>;
        for (const [name, property] of Object.entries(properties)) {
          assert.equal(typeof property.description, 'string', `property ${name} has no description`);
        }
      });

      it('reads the same in Draft 7, as the reference proxy reads every schema: no 2020-12-only keyword, nothing beside a $ref', () => {
        // jsonschema 0.18 with Draft 7 forced (upstream's mpl-protocol validation.rs): prefixItems is unknown there and
        // items: false refuses every element; dependent*, unevaluated*, min/maxContains and anchors are not read; a
        // $ref's siblings are ignored. A schema that uses them is checked otherwise by the proxy than by this SDK.
        const DRAFT_2020_ONLY = ['prefixItems', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems', 'minContains', 'maxContains', '$anchor', '$dynamicRef', '$dynamicAnchor'];
        const ANNOTATIONS = new Set(['$ref', 'title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
        const found: string[] = [];
        walkSubschemas(t.schema, (sub, pointer) => {
          for (const keyword of DRAFT_2020_ONLY) if (keyword in sub) found.push(`${keyword} at #${pointer}`);
          if (typeof sub['$ref'] === 'string') for (const k of Object.keys(sub)) if (!ANNOTATIONS.has(k)) found.push(`${k} beside $ref at #${pointer}`);
        });
        assert.deepEqual(found, []);
      });

      it('has at least one example and one negative, and an expectation for every negative', () => {
        assert.ok(t.examples.length > 0, 'no examples');
        assert.ok(t.negatives.length > 0, 'no negatives');
        assert.deepEqual(t.expectedFiles, t.negatives.map((n) => n.file));
      });

      for (const example of t.examples) {
        it(`examples/${example.file} validates`, async () => {
          assert.deepEqual(await validator.validate(t.id, example.payload), []);
        });
      }

      for (const negative of t.negatives) {
        it(`negative/${negative.file} fails at ${JSON.stringify(negative.paths)}`, async () => {
          const issues = await validator.validate(t.id, negative.payload);
          assert.ok(issues.length > 0, 'validated');
          assert.deepEqual(sortedPaths(issues), [...(negative.paths ?? [])].sort());
          for (const issue of issues) {
            assert.equal(typeof issue.message, 'string');
            assert.ok(issue.message.length > 0 && !/^Instance |subschema/.test(issue.message), `raw message: ${issue.message}`);
            assert.equal(typeof issue.keyword, 'string');
          }
        });
      }
    });
  }
});

describe("the seed's payloads (session-reference.md)", () => {
  const seed: [string, unknown][] = [
    ['org.calendar.Event.v1', { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] }],
    ['org.calendar.Event.v1', { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 }],
    ['org.agent.TaskResult.v1', { plan_id: 'plan-1', status: 'completed', output: { summary: 'Task completed successfully' } }],
    ['org.agent.TaskResult.v1', { plan_id: 'plan-1', status: 'completed' }],
    ['org.agent.Heartbeat.v1', { status: 'alive' }],
    ['org.agent.TaskPlan.v1', { id: 'plan-1', title: 'Review', objective: 'Schedule the review' }],
  ];
  for (const [stype, payload] of seed) {
    it(`${stype} ${JSON.stringify(payload).slice(0, 60)}… validates in the embedded registry`, async () => {
      assert.deepEqual(await new SchemaValidator(embeddedRegistry()).validate(stype, payload), []);
    });
  }
});

describe('QoM profiles (registry/profiles)', () => {
  const profiles = Object.fromEntries(
    readdirSync(join(REGISTRY_DIR, 'profiles')).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(REGISTRY_DIR, 'profiles', f), 'utf8'))]),
  );
  const thresholds = (name: string) =>
    Object.fromEntries(Object.entries(profiles[name].metrics as Record<string, { min: number }>).map(([k, v]) => [k, v.min]));
  const required = (name: string) =>
    Object.entries(profiles[name].metrics as Record<string, { required?: boolean }>).filter(([, v]) => v.required).map(([k]) => k).sort();

  it('are the four profiles of PROTOCOL.md, each {name, description, metrics, retry_policy}', () => {
    assert.deepEqual(Object.keys(profiles).sort(), ['qom-basic', 'qom-comprehensive', 'qom-outcome', 'qom-strict-argcheck']);
    for (const [name, p] of Object.entries(profiles)) {
      assert.equal(p.name, name);
      assert.equal(typeof p.description, 'string');
      assert.equal(typeof p.retry_policy.max_retries, 'number');
      assert.ok(['escalate', 'error', 'warn'].includes(p.retry_policy.on_failure));
    }
  });

  it('carry the thresholds, sample rates and required metrics of the reference', () => {
    assert.deepEqual(thresholds('qom-basic'), { schema_fidelity: 1 });
    assert.deepEqual(thresholds('qom-strict-argcheck'), { schema_fidelity: 1, instruction_compliance: 0.97 });
    assert.deepEqual(thresholds('qom-outcome'), { schema_fidelity: 1, tool_outcome_correctness: 0.9 });
    assert.deepEqual(thresholds('qom-comprehensive'), {
      schema_fidelity: 1, instruction_compliance: 0.95, groundedness: 0.8, determinism_jitter: 0.9, ontology_adherence: 0.95, tool_outcome_correctness: 0.9,
    });
    assert.equal(profiles['qom-comprehensive'].metrics.groundedness.sample_rate, 0.5);
    assert.equal(profiles['qom-comprehensive'].metrics.determinism_jitter.sample_rate, 0.3);
    assert.deepEqual(required('qom-strict-argcheck'), ['instruction_compliance', 'schema_fidelity']);
    assert.deepEqual(required('qom-outcome'), ['schema_fidelity', 'tool_outcome_correctness']);
    assert.deepEqual(required('qom-comprehensive'), ['instruction_compliance', 'schema_fidelity', 'tool_outcome_correctness']);
  });

  it('are served by the embedded registry as written', async () => {
    for (const [name, p] of Object.entries(profiles)) assert.deepEqual(await embeddedRegistry().getProfile(name), p);
    assert.equal(await embeddedRegistry().getProfile('qom-unknown'), undefined);
  });
});
