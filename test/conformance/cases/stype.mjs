// SType naming rules through the public API: parse, its parts and paths, strict refusals.
import { assert } from '../harness.mjs';

export function register(test, { sdk }) {
  const { SType, MplError, ErrorCode } = sdk;

  test('SType.parse reads a plain and a urn: form into the same parts', () => {
    for (const input of ['com.acme.finance.Trade.v2', 'urn:stype:com.acme.finance.Trade.v2']) {
      const t = SType.parse(input);
      assert.deepEqual([t.namespace, t.domain, t.name, t.majorVersion], ['com.acme', 'finance', 'Trade', 2]);
      assert.equal(t.id, 'com.acme.finance.Trade.v2');
      assert.equal(t.urn, 'urn:stype:com.acme.finance.Trade.v2');
      assert.equal(t.registryPath, 'stypes/com/acme/finance/Trade/v2');
      assert.equal(t.schemaPath, 'stypes/com/acme/finance/Trade/v2/schema.json');
      assert.equal(String(t), t.id);
      assert.equal(JSON.stringify({ t }), '{"t":"com.acme.finance.Trade.v2"}');
    }
  });

  test('SType.parse refuses malformed ids with E-INVALID-STYPE and the broken rule', () => {
    const bad = ['', 'org.calendar.Event', 'org..Event.v1', 'org.calendar.Event.v0', 'org.calendar.Event.v01',
      '../x.y.Z.v1', 'org.cal endar.Event.v1', 'org.calendar.Event.v1000', `${'a.'.repeat(130)}b.C.v1`];
    for (const input of bad) {
      const error = assert.throws(() => SType.parse(input), `expected ${JSON.stringify(input)} to be refused`);
      assert.ok(error instanceof MplError, `${JSON.stringify(input)}: an MplError`);
      assert.equal(error.code, ErrorCode.InvalidStype);
      assert.equal(error.code, 'E-INVALID-STYPE');
      assert.equal(error.details.stype, input);
      assert.equal(typeof error.details.rule, 'string');
    }
  });

  test('SType.tryParse, isValid and equals agree with parse', () => {
    assert.equal(SType.tryParse('nope'), undefined);
    assert.equal(SType.isValid('org.agent.TaskPlan.v1'), true);
    assert.equal(SType.isValid('org.agent.TaskPlan'), false);
    assert.ok(SType.parse('org.agent.TaskPlan.v1').equals('urn:stype:org.agent.TaskPlan.v1'));
    assert.ok(!SType.parse('org.agent.TaskPlan.v1').equals('org.agent.TaskPlan.v2'));
  });
}
