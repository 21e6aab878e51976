// Schema validation per payload: SchemaValidator.validate() (the built bundle, schemas
// compiled once per SType and reused) against a baseline that builds a fresh
// @cfworker/json-schema Validator for every call (no compile cache), and beside the bare
// engine reused with no issue mapping (what the engine alone costs; under 1x when the fast
// path for valid payloads, src/registry/fast-check.ts, answers without it). The medium payload
// is validated as data.json.Document.v1, the registry's schema for generic JSON objects.
import { readFileSync } from 'node:fs';
import { Validator, type Schema } from '@cfworker/json-schema';
import { SchemaValidator, directoryRegistry, embeddedRegistry } from '../../dist/node.js';
import { CLOCK, nsPerAsyncOp, printTable } from './timing.ts';

const medium: unknown = JSON.parse(readFileSync(new URL('../fixtures/bench/medium.json', import.meta.url), 'utf8'));
const cases: [string, string, unknown, number][] = [
  ['event (valid)', 'org.calendar.Event.v1', { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] }, 0],
  ['event (3 errors)', 'org.calendar.Event.v1', { title: '', start: 'tomorrow', attendees: ['alice@example.com', { email: 'nope' }] }, 3],
  ['medium (valid)', 'data.json.Document.v1', medium, 0],
];

const validator = new SchemaValidator(embeddedRegistry());
const documented = directoryRegistry(new URL('../../registry/', import.meta.url).pathname);
const rows: string[][] = [];
for (const [name, stype, payload, expectedIssues] of cases) {
  const issues = await validator.validate(stype, payload);
  if (issues.length !== expectedIssues) throw new Error(`${name}: ${issues.length} issues, expected ${expectedIssues}`);
  const schema = (await documented.getSchema(stype)) as Schema;
  const engine = new Validator(structuredClone(schema), '2020-12', false);
  if (engine.validate(payload).valid !== (expectedIssues === 0)) throw new Error(`${name}: the engine disagrees`);
  const ours = await nsPerAsyncOp(() => validator.validate(stype, payload), 1200);
  const fresh = await nsPerAsyncOp(async () => new Validator(structuredClone(schema), '2020-12', false).validate(payload), 800);
  const bare = await nsPerAsyncOp(async () => engine.validate(payload), 1200);
  const perSecond = (ns: number) => Math.round(1e9 / ns).toLocaleString('en-US');
  rows.push([name, perSecond(ours), perSecond(fresh), `${(fresh / ours).toFixed(1)}x`, perSecond(bare), `${(ours / bare).toFixed(2)}x`]);
}

printTable(['payload', 'validate()/s', 'fresh Validator/s', 'vs fresh', 'bare engine/s', 'cost vs bare'], rows);
console.log(`${CLOCK}. vs fresh: how many times faster than compiling a Validator per call; cost vs bare: validate() time over the reused engine alone (async call, issue mapping; under 1x: the fast path for valid payloads)`);
