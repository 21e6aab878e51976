// The session's deadlines share one timer (src/session/deadline.ts). What must hold, whatever
// the order deadlines are made and cleared in: each one left waiting ends in a TimeoutError
// naming its operation and limit, in the order they fall due; a cleared or cancelled one
// never fires; nothing waits afterwards, and no timer holds the process once none waits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TimeoutError } from '../../src/errors/timeout-error.ts';
import { DeadlineTimer, type Deadline } from '../../src/session/deadline.ts';
import { exposedGc } from '../support/session-helpers.ts';

const refTimeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** Resolves with the deadline's reason when it aborts. */
const aborted = (deadline: Deadline): Promise<unknown> => new Promise((resolve) => deadline.onAbort(() => resolve(deadline.reason)));

describe('DeadlineTimer', () => {
  it('times out what is left waiting, in the order it falls due, after heavy out-of-order clearing', async () => {
    const timer = new DeadlineTimer();
    const fired: string[] = [];
    const kept: Promise<unknown>[] = [];
    const all: Deadline[] = [];
    // Two limits interleaved; most deadlines are cleared, in a scrambled order, so the queues compact.
    for (let i = 0; i < 3000; i++) {
      const limit = i % 2 ? 60 : 30;
      const deadline = timer.deadline(`op ${i}`, limit);
      all.push(deadline);
      if (i % 250 === 0) {
        kept.push(aborted(deadline).then((reason) => { fired.push(`op ${i}`); return reason; }));
      } else {
        deadline.onAbort(() => assert.fail(`op ${i} was cleared and must not fire`));
      }
    }
    const toClear = all.filter((_, i) => i % 250 !== 0);
    for (let i = 0; i < toClear.length; i++) toClear[(i * 7919) % toClear.length]!.clear();
    assert.equal(timer.size, 12);
    const reasons = await Promise.all(kept);
    for (const [n, reason] of reasons.entries()) {
      assert.ok(reason instanceof TimeoutError, String(reason));
      assert.equal(reason.code, 'E-TIMEOUT');
      assert.equal(reason.timeoutMs, 30, `op ${n * 250} has the 30 ms limit`);
      assert.match(reason.message, new RegExp(`op ${n * 250}\\b`));
    }
    assert.deepEqual(fired, kept.map((_, n) => `op ${n * 250}`), 'in the order they fell due');
    for (const deadline of all) deadline.clear();
    assert.equal(timer.size, 0);
    timer.close();
  });

  it('orders expiries across limits by due time, and re-sets the timer for a shorter limit made later', async () => {
    const timer = new DeadlineTimer();
    const order: string[] = [];
    const long = timer.deadline('long', 120);
    const short = timer.deadline('short', 20);
    await Promise.all([aborted(long).then(() => order.push('long')), aborted(short).then(() => order.push('short'))]);
    assert.deepEqual(order, ['short', 'long']);
    assert.equal(timer.size, 0);
    timer.close();
    assert.equal(refTimeouts(), 0);
  });

  it("aborts with the caller's signal first, and that deadline leaves the queue", async () => {
    const timer = new DeadlineTimer();
    const controller = new AbortController();
    const deadline = timer.deadline('send org.calendar.Event.v1', 30_000, controller.signal);
    assert.equal(timer.size, 1);
    const reason = new Error('not needed any more');
    controller.abort(reason);
    assert.equal(deadline.aborted, true);
    assert.equal(deadline.reason, reason);
    assert.equal(deadline.signal.reason, reason);
    assert.equal(timer.size, 0);
    deadline.clear();
    const already = timer.deadline('again', 30_000, AbortSignal.abort(reason));
    assert.equal(already.aborted, true);
    assert.equal(timer.size, 0);
    timer.close();
    assert.equal(refTimeouts(), 0);
  });

  it('lets go of its listeners once cleared: what they hold (a request, its text, its reply) can be collected while the deadline is still reachable', async () => {
    const gc = exposedGc();
    const timer = new DeadlineTimer();
    const deadline = timer.deadline('send', 30_000);
    let held: WeakRef<object> | undefined;
    let called = false;
    (() => {
      const request = { text: 'x'.repeat(100_000) };
      held = new WeakRef(request);
      deadline.onAbort(() => { called = request.text.length > 0; });
    })();
    deadline.clear();
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef's target is kept until the job that made it ends
    gc();
    gc();
    assert.equal(held!.deref(), undefined, 'the cleared deadline still holds its listener');
    assert.equal(deadline.aborted, false);
    assert.equal(called, false);
    timer.close();
  });

  it('holds the process only while a deadline waits, and keeps no timer once closed', () => {
    const before = refTimeouts();
    const timer = new DeadlineTimer();
    const deadline = timer.deadline('send', 30_000);
    assert.equal(refTimeouts(), before + 1, 'a waiting deadline keeps its timer referenced');
    deadline.clear();
    assert.equal(refTimeouts(), before, 'an idle timer does not hold the process');
    const again = timer.deadline('send', 30_000);
    assert.equal(refTimeouts(), before + 1);
    timer.close();
    assert.equal(refTimeouts(), before + 1, 'closing waits for what still waits');
    again.clear();
    assert.equal(refTimeouts(), before);
    const infinite = timer.deadline('listen', Number.POSITIVE_INFINITY);
    assert.equal(timer.size, 0, 'no limit, nothing to wait for');
    infinite.clear();
  });
});
