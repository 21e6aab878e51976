// Registry and validation with the registry embedded in the bundle (no file or network
// access), and, when the reference server runs, the same schemas read over HTTP.
import { assert } from '../harness.mjs';

const SEED = ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1'];
const VALID_EVENT = { title: 'Architecture Review', start: '2024-03-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', { email: 'bob@example.com', name: 'Bob' }] };
const BAD_ATTENDEES = { title: 'Sync', start: '2024-01-15T10:00:00Z', attendees: ['alice@example.com', { email: 'not-an-email', name: 'Bob' }, 'carol'] };
const WRONG_TYPES = { title: 42, start: 'tomorrow', duration_minutes: 'half an hour' };

const pathsOf = (issues) => [...new Set(issues.map((i) => i.path))].sort();

export function register(test, { sdk, env }) {
  const { embeddedRegistry, httpRegistry, SchemaValidator, SchemaFidelityError, UnknownStypeError, MplError } = sdk;

  test('the embedded registry has the seed STypes, their schemas and the QoM profiles', async () => {
    const registry = embeddedRegistry();
    const list = await registry.list();
    for (const stype of SEED) {
      assert.ok(list.includes(stype), `${stype} listed`);
      assert.equal(await registry.has(stype), true);
    }
    const schema = await registry.getSchema('org.calendar.Event.v1');
    assert.deepEqual(schema.required, ['title', 'start']);
    assert.equal((await registry.getProfile('qom-strict-argcheck'))?.name, 'qom-strict-argcheck');
    assert.equal(await registry.has('com.example.Nothing.v1'), false);
    const missing = await assert.rejects(registry.getSchema('com.example.Nothing.v1'));
    assert.ok(missing instanceof UnknownStypeError, `UnknownStypeError, got ${missing?.name}`);
  });

  test('a valid payload has no issues; an invalid one lists every issue with its path', async () => {
    const validator = new SchemaValidator(embeddedRegistry());
    assert.deepEqual(await validator.validate('org.calendar.Event.v1', VALID_EVENT), []);
    await validator.assertValid('org.calendar.Event.v1', VALID_EVENT);
    const issues = await validator.validate('org.calendar.Event.v1', BAD_ATTENDEES);
    assert.deepEqual(pathsOf(issues), ['/attendees/1/email', '/attendees/2']);
    for (const issue of issues) {
      assert.equal(typeof issue.message, 'string');
      assert.ok(issue.message.length > 0);
      assert.equal(typeof issue.keyword, 'string');
    }
    assert.deepEqual(pathsOf(await validator.validate('org.calendar.Event.v1', WRONG_TYPES)), ['/duration_minutes', '/start', '/title']);
    assert.deepEqual(pathsOf(await validator.validate('org.calendar.Event.v1', { title: 'x' })), ['']);
  });

  test('assertValid throws SchemaFidelityError with the SType and all issues; unknown STypes throw UnknownStypeError', async () => {
    const validator = new SchemaValidator(embeddedRegistry());
    const error = await assert.rejects(validator.assertValid('urn:stype:org.calendar.Event.v1', WRONG_TYPES));
    assert.ok(error instanceof SchemaFidelityError && error instanceof MplError);
    assert.equal(error.code, 'E-SCHEMA-FIDELITY');
    assert.equal(error.stype, 'org.calendar.Event.v1');
    assert.deepEqual(pathsOf(error.validationErrors), ['/duration_minutes', '/start', '/title']);
    const unknown = await assert.rejects(validator.validate('com.example.Nothing.v1', {}));
    assert.ok(unknown instanceof UnknownStypeError);
    assert.equal(unknown.code, 'E-UNKNOWN-STYPE');
  });

  if (env.serverUrl) {
    test('an HTTP registry (the reference server\'s /registry) serves the same schemas and validates the same way', async () => {
      const registry = httpRegistry(`${env.serverUrl}/registry`);
      const served = await registry.getSchema('org.calendar.Event.v1');
      const embedded = await embeddedRegistry().getSchema('org.calendar.Event.v1');
      assert.deepEqual(served.required, embedded.required);
      assert.deepEqual(Object.keys(served.properties).sort(), Object.keys(embedded.properties).sort());
      const validator = new SchemaValidator(registry);
      assert.deepEqual(pathsOf(await validator.validate('org.calendar.Event.v1', BAD_ATTENDEES)), ['/attendees/1/email', '/attendees/2']);
      assert.equal(await registry.has('com.example.Nothing.v1'), false);
    });
  }
}
