import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MplError, SType } from '../../src/index.ts';

describe('SType.parse', () => {
  it('reads namespace, domain, name and version of a four-part SType', () => {
    const t = SType.parse('org.calendar.Event.v1');
    assert.equal(t.namespace, 'org');
    assert.equal(t.domain, 'calendar');
    assert.equal(t.name, 'Event');
    assert.equal(t.majorVersion, 1);
    assert.equal(t.id, 'org.calendar.Event.v1');
    assert.equal(t.urn, 'urn:stype:org.calendar.Event.v1');
    assert.equal(t.registryPath, 'stypes/org/calendar/Event/v1');
    assert.equal(t.schemaPath, 'stypes/org/calendar/Event/v1/schema.json');
  });

  it('takes a dotted namespace and maps it to folders', () => {
    const t = SType.parse('com.acme.finance.Trade.v2');
    assert.equal(t.namespace, 'com.acme');
    assert.equal(t.domain, 'finance');
    assert.equal(t.registryPath, 'stypes/com/acme/finance/Trade/v2');
  });

  it('accepts the urn:stype: prefix and normalizes the id', () => {
    const t = SType.parse('urn:stype:data.rag.Query.v12');
    assert.equal(t.id, 'data.rag.Query.v12');
    assert.equal(t.toString(), 'data.rag.Query.v12');
    assert.equal(JSON.stringify({ t }), '{"t":"data.rag.Query.v12"}');
    assert.ok(t.equals('data.rag.Query.v12'));
  });

  it('accepts digits, "_" and "-" in parts and versions up to 999', () => {
    assert.equal(SType.parse('my_org.sub-domain.Thing_2.v999').majorVersion, 999);
  });

  it('is frozen', () => {
    const t = SType.parse('org.calendar.Event.v1');
    assert.throws(() => { (t as unknown as { name: string }).name = 'x'; }, TypeError);
  });

  const hostile: Array<[string, RegExp]> = [
    ['', /empty/],
    ['org.calendar.Event', /at least four/],
    ['calendar.Event.v1', /at least four/],
    ['org..Event.v1', /part 2 is empty/],
    ['.org.calendar.Event.v1', /part 1 is empty/],
    ['org.calendar.Event.v1.', /empty/],
    ['org.calendar.Event.v0', /v1\.\.v999/],
    ['org.calendar.Event.v1000', /v1\.\.v999/],
    ['org.calendar.Event.v01', /leading zeros/],
    ['org.calendar.Event.V1', /version/],
    ['org.calendar.Event.1', /version/],
    ['org.calendar.Event.v-1', /version/],
    ['org.calendar.Event.v1e2', /version/],
    ['../../etc.passwd.Event.v1', /part 1 is empty/],
    ['org.calendar/../../x.Event.v1', /only letters/],
    ['org.%2e%2e.Event.v1', /only letters/],
    ['org.calendar.Ev ent.v1', /only letters/],
    ['org.calendar.Event\u0000.v1', /only letters/],
    ['org.calendar.Event\n.v1', /only letters/],
    ['org.calendar.Évent.v1', /only letters/],
    ['org.calendar.Event?x=1.v1', /only letters/],
    ['org.calendar.Event#x.v1', /only letters/],
    ['org.cal\\endar.Event.v1', /only letters/],
    ['urn:stype:', /at least four/],
    ['urn:stype:urn:stype:org.calendar.Event.v1', /only letters/],
    [`org.${'a'.repeat(250)}.Event.v1`, /longer than 256/],
  ];
  for (const [input, rule] of hostile) {
    it(`refuses ${JSON.stringify(input.length > 40 ? input.slice(0, 40) + '…' : input)} saying which rule failed`, () => {
      assert.throws(() => SType.parse(input), (e: unknown) => {
        assert.ok(e instanceof MplError);
        assert.equal(e.code, 'E-INVALID-STYPE');
        assert.match(e.message, rule);
        assert.equal(e.details['stype'], input);
        return true;
      });
    });
  }

  it('refuses non-strings', () => {
    assert.throws(() => SType.parse(null as unknown as string), /expected a string, got null/);
    assert.throws(() => SType.parse(42 as unknown as string), /expected a string, got number/);
    assert.throws(() => SType.parse(undefined as unknown as string), /expected a string, got undefined/);
    assert.throws(() => SType.parse(''), /it is empty/);
  });

  it('tryParse and isValid never throw', () => {
    assert.equal(SType.tryParse('nope'), undefined);
    assert.equal(SType.isValid('org.calendar.Event.v1'), true);
    assert.equal(SType.isValid('../x.y.z.v1'), false);
  });

  it('gives each input its own answer whatever came before (the last one is remembered)', () => {
    // Fresh strings, as JSON.parse makes them: equal text, not the same string.
    const fresh = (text: string): string => JSON.parse(JSON.stringify(text)) as string;
    const event = SType.parse('org.calendar.Event.v1');
    assert.equal(SType.parse(fresh('org.calendar.Event.v1')), event);
    assert.equal(SType.parse(fresh('urn:stype:org.calendar.Event.v1')).id, 'org.calendar.Event.v1');
    assert.equal(SType.parse(fresh('org.calendar.Event.v2')).majorVersion, 2);
    // A refused input leaves no answer behind, for itself or for the one before it.
    assert.throws(() => SType.parse(fresh('org.calendar.Event.v01')), /Invalid SType/);
    assert.throws(() => SType.parse(fresh('org.calendar.Event.v01')), /Invalid SType/);
    assert.equal(SType.isValid(fresh('org.calendar.Event.v1 ')), false);
    assert.equal(SType.parse(fresh('org.calendar.Event.v2')).majorVersion, 2);
    assert.equal(SType.parse('org.calendar.Event.v1'), event);
  });
});
