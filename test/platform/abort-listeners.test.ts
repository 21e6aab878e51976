// whenAborted: many waiters on one caller's signal behind one listener of the SDK's, which
// goes when the last waiter does; each waiter called once, in order, a throwing one
// reported without keeping the others from being called.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { whenAborted } from '../../src/platform/abort-listeners.ts';

describe('whenAborted', () => {
  it('adds one listener for any number of waiters, and removes it when the last one is forgotten', () => {
    const controller = new AbortController();
    const forget = Array.from({ length: 50 }, () => whenAborted(controller.signal, () => assert.fail('forgotten')));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    for (const f of forget.slice(1)) f();
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    forget[0]!();
    forget[0]!(); // twice is harmless
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    // A new waiter after that gets a listener again.
    let called = 0;
    whenAborted(controller.signal, () => called++);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    controller.abort();
    assert.equal(called, 1);
  });

  it('calls every waiter once, in order, even when one throws (that error is thrown again, uncaught, as a listener\'s would be)', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const callback = () => calls.push(0);
    whenAborted(controller.signal, callback);
    whenAborted(controller.signal, () => { throw new Error('a waiter failed'); });
    whenAborted(controller.signal, () => calls.push(2));
    const forgetSecond = whenAborted(controller.signal, callback); // the same function twice: two waits
    whenAborted(controller.signal, () => calls.push(4));
    // Thrown again in a microtask of its own, as an uncaught error; caught here to look at it.
    const queued: Array<() => void> = [];
    const { queueMicrotask } = globalThis;
    globalThis.queueMicrotask = (task) => queued.push(task);
    try {
      controller.abort();
    } finally {
      globalThis.queueMicrotask = queueMicrotask;
    }
    assert.deepEqual(calls, [0, 2, 0, 4]);
    assert.equal(queued.length, 1);
    assert.throws(queued[0]!, /a waiter failed/);
    forgetSecond(); // after the abort: nothing to forget
    controller.abort();
    assert.deepEqual(calls, [0, 2, 0, 4]);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('keeps signals apart', () => {
    const a = new AbortController();
    const b = new AbortController();
    const calls: string[] = [];
    whenAborted(a.signal, () => calls.push('a'));
    const forgetB = whenAborted(b.signal, () => calls.push('b'));
    forgetB();
    a.abort();
    b.abort();
    assert.deepEqual(calls, ['a']);
  });
});
