// "Did you mean": the names a misspelt one was probably meant to be, for errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didYouMean, nearMatch } from '../../src/platform/near-match.ts';

const STYPES = ['org.calendar.Event.v1', 'org.agent.Heartbeat.v1', 'org.agent.TaskPlan.v1', 'ai.completion.Request.v1'];

describe('nearMatch', () => {
  it('finds a slip of the keyboard: a letter swapped, missing, doubled or wrong, another version, another case', () => {
    assert.equal(nearMatch('org.calender.Event.v1', STYPES), 'org.calendar.Event.v1');
    assert.equal(nearMatch('org.calendar.Evnt.v1', STYPES), 'org.calendar.Event.v1');
    assert.equal(nearMatch('org.calendar.Eventt.v1', STYPES), 'org.calendar.Event.v1');
    assert.equal(nearMatch('org.agent.taskplan.v1', STYPES), 'org.agent.TaskPlan.v1');
    assert.equal(nearMatch('org.agent.Hartbeat.v2', STYPES), 'org.agent.Heartbeat.v1', 'two edits in 21 characters (a letter, and the version with it)');
    assert.equal(nearMatch('org.agent.HeartBaet.v1', STYPES), undefined, 'three edits in 22 characters');
  });

  it('says nothing for a name that is among them, far from all of them, short and two edits away, or the same SType in another version', () => {
    assert.equal(nearMatch('org.agent.Heartbeat.v2', STYPES), undefined, 'another version is no slip: a payload of v1 is not one of v2');
    assert.equal(nearMatch('org.calendar.Event.v10', STYPES), undefined);
    assert.equal(nearMatch('org.calendar.Event.v1', STYPES), undefined);
    assert.equal(nearMatch('org.acme.Order.v1', ['org.acme.Ordor.v1', 'org.acme.Order.v1']), undefined, 'among them, with a neighbour one edit away');
    assert.equal(nearMatch('org.acme.Order.v1', [...Array.from({ length: 1_000 }, (_, i) => `org.other.T${i}.v1`), 'org.acme.Order.v1']), undefined, 'among them past the first 1,000');
    assert.equal(nearMatch('com.acme.finance.Trade.v2', STYPES), undefined);
    assert.equal(nearMatch('org.agent.Plan.v1', STYPES), undefined, 'four edits');
    assert.equal(nearMatch('mode', ['node', 'modes']), 'node', 'one edit: the first of a tie');
    assert.equal(nearMatch('ab', ['cd']), undefined);
    assert.equal(nearMatch('x', []), undefined);
  });
});

describe('didYouMean', () => {
  it('names each near one, and is empty when there is none', () => {
    assert.equal(didYouMean(['org.calender.Event.v1', 'com.acme.Nope.v1'], STYPES), ' (did you mean "org.calendar.Event.v1" for "org.calender.Event.v1"?)');
    assert.equal(didYouMean(['org.calender.Event.v1', 'org.agent.Heartbeet.v1'], STYPES), ' (did you mean "org.calendar.Event.v1" for "org.calender.Event.v1", "org.agent.Heartbeat.v1" for "org.agent.Heartbeet.v1"?)');
    assert.equal(didYouMean(['com.acme.Nope.v1'], STYPES), '');
    assert.equal(didYouMean([], STYPES), '');
    assert.equal(didYouMean(['org.calendar.Evnt.v1', 'org.calendar.Event.v1'], STYPES), '', 'the near one was offered too: no slip');
  });

  it('weighs at most the first 1,000 of a peer\'s names, and none longer than 256 characters (the distance costs the product of two lengths)', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `org.example.${'x'.repeat(200)}${i}`);
    assert.equal(didYouMean(Array.from({ length: 10 }, (_, i) => `org.mine.Type${i}.v1`), many), '');
    assert.equal(didYouMean(['a'.repeat(2000)], ['b'.repeat(1_000_000)]), '');
    assert.equal(nearMatch('org.example.Thing.v1', [...many, 'org.example.Thing.v2']), undefined, 'only the first 1,000 names are weighed');
  });
});
